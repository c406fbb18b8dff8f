"""Query filters of the list endpoints (django-filter)."""

from datetime import UTC

import django_filters

from ..choices import Audience, ImplementationStatus, NodeType, ReviewState
from ..models import (
    Action,
    Implementation,
    ProgressSnapshot,
    ReportingRound,
    RoundFigure,
    StatusUpdate,
)


class ActionFilter(django_filters.FilterSet):
    strategy = django_filters.CharFilter(
        field_name="outcome__objective__strategy__code"
    )
    objective = django_filters.NumberFilter(field_name="outcome__objective_id")
    principle = django_filters.CharFilter(field_name="principles__code")
    stakeholder_group = django_filters.CharFilter(field_name="stakeholder_groups__code")
    lead_organisation = django_filters.CharFilter(field_name="lead_organisation__code")

    class Meta:
        model = Action
        fields = ["outcome", "code", "is_illustrative"]


class ImplementationFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__code")
    strategy = django_filters.CharFilter(
        field_name="action__outcome__objective__strategy__code"
    )
    objective = django_filters.NumberFilter(field_name="action__outcome__objective_id")
    outcome = django_filters.NumberFilter(field_name="action__outcome_id")
    status = django_filters.ChoiceFilter(choices=ImplementationStatus.choices)

    class Meta:
        model = Implementation
        fields = ["action"]


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time with any UTC offset Python accepts (up to ±23:59), compared
    in UTC: the database accepts only offsets below 16 hours."""

    def filter(self, qs, value):
        if value is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)


class StatusUpdateFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="implementation__organisation__code"
    )
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices)
    status = django_filters.ChoiceFilter(choices=ImplementationStatus.choices)
    submitted_after = UTCDateTimeFilter(field_name="submitted_at", lookup_expr="gte")

    class Meta:
        model = StatusUpdate
        fields = ["implementation", "round"]


class FigureRowsFilter(django_filters.FilterSet):
    """What snapshots and round figures are narrowed by alike."""

    organisation = django_filters.CharFilter(field_name="organisation__code")
    all_organisations = django_filters.BooleanFilter(
        field_name="organisation",
        lookup_expr="isnull",
        label="Only the all-missions rows",
    )
    node_type = django_filters.ChoiceFilter(choices=NodeType.choices)
    audience = django_filters.ChoiceFilter(choices=Audience.choices)


class ProgressSnapshotFilter(FigureRowsFilter):
    strategy = django_filters.CharFilter(field_name="strategy__code")
    as_of = django_filters.DateFilter(
        method="filter_as_of", label="Only the rows that held on this day"
    )
    current = django_filters.BooleanFilter(
        field_name="valid_until",
        lookup_expr="isnull",
        label="Only the rows that still hold (true) or only those that ended (false)",
    )
    date_from = django_filters.DateFilter(
        method="filter_date_from", label="Only rows that held on this day or later"
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="Only rows that held on this day or earlier",
    )

    class Meta:
        model = ProgressSnapshot
        fields = ["node_id"]

    def filter_as_of(self, queryset, name, value):
        return queryset.as_of(value)

    def filter_date_from(self, queryset, name, value):
        return queryset.held_since(value)


class ReportingRoundFilter(django_filters.FilterSet):
    strategy = django_filters.CharFilter(field_name="strategy__code")
    open = django_filters.BooleanFilter(
        field_name="closed_at",
        lookup_expr="isnull",
        label="Only open (true) or closed (false) rounds",
    )

    class Meta:
        model = ReportingRound
        fields = ["name"]


class RoundFigureFilter(FigureRowsFilter):
    class Meta:
        model = RoundFigure
        fields = ["round", "node_id"]
