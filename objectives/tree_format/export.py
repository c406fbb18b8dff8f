"""The strategy tree written back in the import format (the YAML exporter): a fixed, small number of queries."""

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup
from strategy_tracker.models import column

from ..models import Action, Implementation, Objective, Outcome, Strategy
from .spec import FORMAT_VERSION, LANGUAGE_CODES


def _texts(instance: object, field_name: str) -> dict[str, str]:
    return {
        language: value
        for language in LANGUAGE_CODES
        if (value := getattr(instance, column(field_name, language), None))
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def strategy_export_tree(*, strategy: Strategy) -> dict[str, Any]:
    """The current (unarchived) tree of a strategy in the import format, in a fixed number of queries."""
    strategy = (
        Strategy.objects.filter(pk=strategy.pk)
        .prefetch_related(
            Prefetch("owners", queryset=Organisation.objects.order_by("code")),
            Prefetch(
                "principles", queryset=Principle.objects.order_by("order", "code")
            ),
            Prefetch(
                "stakeholder_groups",
                queryset=StakeholderGroup.objects.order_by("order", "code"),
            ),
            Prefetch("aligned_with", queryset=Strategy.objects.order_by("code")),
            Prefetch(
                "objectives",
                queryset=Objective.objects.in_tree().order_by("order", "code"),
            ),
            Prefetch(
                "objectives__outcomes",
                queryset=Outcome.objects.in_tree().order_by("order", "code"),
            ),
            Prefetch(
                "objectives__outcomes__actions",
                queryset=Action.objects.in_tree()
                .select_related("lead_organisation")
                .prefetch_related(
                    Prefetch(
                        "principles",
                        queryset=Principle.objects.order_by("order", "code"),
                    ),
                    Prefetch(
                        "stakeholder_groups",
                        queryset=StakeholderGroup.objects.order_by("order", "code"),
                    ),
                    Prefetch(
                        "implementations",
                        queryset=Implementation.objects.filter(archived_at__isnull=True)
                        .select_related("organisation")
                        .order_by("organisation__code"),
                    ),
                )
                .order_by("order", "code"),
            ),
        )
        .get()
    )
    tree: dict[str, Any] = {
        "code": strategy.code,
        "title": _texts(strategy, "title"),
        "purpose": _texts(strategy, "purpose"),
        "status": strategy.status,
        "objective_term": strategy.objective_term,
        "initiated": strategy.initiated or None,
        "published": strategy.published or None,
        "launched": strategy.launched or None,
        "note": strategy.note or None,
        "round_months": strategy.round_months,
        "owners": [owner.code for owner in strategy.owners.all()],
        "principles": [
            {
                "code": principle.code,
                "order": principle.order,
                "name": _texts(principle, "name"),
                "definition": _texts(principle, "definition"),
            }
            for principle in strategy.principles.all()
        ],
        "stakeholder_groups": [
            {
                "code": group.code,
                "order": group.order,
                "name": _texts(group, "name"),
                "description": _texts(group, "description"),
            }
            for group in strategy.stakeholder_groups.all()
        ],
        "aligned_with": [aligned.code for aligned in strategy.aligned_with.all()],
        "goals": [_export_goal(objective) for objective in strategy.objectives.all()],
    }
    return {"format_version": FORMAT_VERSION, "strategy": _drop_empty(tree)}


def _export_goal(objective: Objective) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": objective.code,
            "order": objective.order,
            "title": _texts(objective, "title"),
            "description": _texts(objective, "description"),
            "source_note": objective.source_note or None,
            "outcomes": [
                _drop_empty(
                    {
                        "code": outcome.code,
                        "order": outcome.order,
                        "title": _texts(outcome, "title"),
                        "description": _texts(outcome, "description"),
                        "illustrative": outcome.is_illustrative or None,
                        "actions": [
                            _export_action(action) for action in outcome.actions.all()
                        ],
                    },
                    keep={"actions"},
                )
                for outcome in objective.outcomes.all()
            ],
        },
        keep={"outcomes"},
    )


def _export_action(action: Action) -> dict[str, Any]:
    implementations: list[Any] = []
    for implementation in action.implementations.all():
        if implementation.start_date or implementation.due_date:
            implementations.append(
                _drop_empty(
                    {
                        "organisation": implementation.organisation.code,
                        "start_date": implementation.start_date,
                        "due_date": implementation.due_date,
                    }
                )
            )
        else:
            implementations.append(implementation.organisation.code)
    return _drop_empty(
        {
            "code": action.code,
            "order": action.order,
            "title": _texts(action, "title"),
            "description": _texts(action, "description"),
            "lead": action.lead_organisation.code if action.lead_organisation else None,
            "start_date": action.start_date,
            "due_date": action.due_date,
            "weight": _number(action.weight),
            "principles": [principle.code for principle in action.principles.all()],
            "stakeholder_groups": [
                group.code for group in action.stakeholder_groups.all()
            ],
            "illustrative": action.is_illustrative or None,
            "implementations": implementations,
        },
        keep={"implementations"},
    )


def _drop_empty(
    item: dict[str, Any], keep: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    """Leave out empty values, except lists whose presence means "exactly these" (see the format)."""
    return {
        key: value
        for key, value in item.items()
        if key in keep or value not in (None, "", [], {})
    }
