import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from objectives.models import ProgressSnapshot, ReviewEvent
from tests.constraint_helpers import assert_rejected

from .factories import (
    ActionFactory,
    ImplementationFactory,
    ObjectiveFactory,
    OutcomeFactory,
    StatusUpdateFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "values", "constraint"),
    [
        (StrategyFactory, {"code": ""}, "objectives_strategy_code_not_blank"),
        (StrategyFactory, {"title_en": ""}, "objectives_strategy_title_en_not_blank"),
        (StrategyFactory, {"status": "paused"}, "objectives_strategy_status_valid"),
        (
            StrategyFactory,
            {"objective_term": "pillar"},
            "objectives_strategy_objective_term_valid",
        ),
        (
            StrategyFactory,
            {"round_months": 13},
            "objectives_strategy_round_months_range",
        ),
        (ObjectiveFactory, {"code": ""}, "objectives_objective_code_not_blank"),
        (ObjectiveFactory, {"title_en": ""}, "objectives_objective_title_en_not_blank"),
        (OutcomeFactory, {"code": ""}, "objectives_outcome_code_not_blank"),
        (OutcomeFactory, {"title_en": None}, "objectives_outcome_title_en_not_blank"),
        (ActionFactory, {"code": ""}, "objectives_action_code_not_blank"),
        (ActionFactory, {"weight": Decimal("0")}, "objectives_action_weight_positive"),
        (
            ActionFactory,
            {
                "start_date": datetime.date(2024, 5, 1),
                "due_date": datetime.date(2024, 4, 30),
            },
            "objectives_action_due_after_start",
        ),
        (
            ImplementationFactory,
            {"progress": 101},
            "objectives_implementation_progress_range",
        ),
        (
            ImplementationFactory,
            {"status": "paused"},
            "objectives_implementation_status_valid",
        ),
        (
            ImplementationFactory,
            {"status": "completed", "progress": 90},
            "objectives_implementation_completed_is_100_percent",
        ),
        (
            ImplementationFactory,
            {
                "start_date": datetime.date(2024, 5, 1),
                "due_date": datetime.date(2024, 1, 1),
            },
            "objectives_implementation_due_after_start",
        ),
        (
            StatusUpdateFactory,
            {"progress": 101},
            "objectives_statusupdate_progress_range",
        ),
        (
            StatusUpdateFactory,
            {"status": "green"},
            "objectives_statusupdate_status_valid",
        ),
        (
            StatusUpdateFactory,
            {"confidence": "certain"},
            "objectives_statusupdate_confidence_valid",
        ),
        (
            StatusUpdateFactory,
            {"sensitivity": "secret"},
            "objectives_statusupdate_sensitivity_valid",
        ),
        (
            StatusUpdateFactory,
            {"review_state": "lost"},
            "objectives_statusupdate_review_state_valid",
        ),
        (
            StatusUpdateFactory,
            {"status": "completed", "progress": 99},
            "objectives_statusupdate_completed_is_100_percent",
        ),
        (
            StatusUpdateFactory,
            {"review_state": "accepted", "accepted_at": None},
            "objectives_statusupdate_accepted_has_time",
        ),
        (
            StatusUpdateFactory,
            {
                "sensitivity": "confidential",
                "cleared_for_public": True,
                "cleared_at": timezone.now(),
            },
            "objectives_statusupdate_public_only_if_accepted_unclassified",
        ),
        (
            StatusUpdateFactory,
            {
                "review_state": "approved",
                "accepted_at": None,
                "cleared_for_public": True,
                "cleared_at": timezone.now(),
            },
            "objectives_statusupdate_public_only_if_accepted_unclassified",
        ),
    ],
)
def test_constraints_reject_bad_rows(factory, values, constraint):
    """Every invariant is enforced by the database itself, under its own name."""
    model = factory._meta.model
    before = model.objects.count()
    assert_rejected(lambda: factory(**values), constraint)
    assert model.objects.count() == before


@pytest.mark.parametrize(
    ("factory", "parent_field", "constraint"),
    [
        (ObjectiveFactory, "strategy", "objectives_objective_unique_code_in_strategy"),
        (OutcomeFactory, "objective", "objectives_outcome_unique_code_in_objective"),
        (ActionFactory, "outcome", "objectives_action_unique_code_in_outcome"),
    ],
)
def test_codes_are_unique_within_their_parent_only(factory, parent_field, constraint):
    """The same code may appear under two parents, never twice under one."""
    first = factory(code="X1")
    factory(code="X1")  # another parent: allowed
    assert_rejected(
        lambda: factory(code="X1", **{parent_field: getattr(first, parent_field)}),
        constraint,
    )


def test_one_implementation_per_action_and_organisation():
    """An action is carried out at most once by each organisation."""
    implementation = ImplementationFactory()
    assert_rejected(
        lambda: ImplementationFactory(
            action=implementation.action, organisation=implementation.organisation
        ),
        "objectives_implementation_unique_action_organisation",
    )


def _strategy_snapshots() -> tuple[dict, object]:
    """A strategy's snapshot of 1 January for all organisations and for one; returns the
    row's fields and the organisation."""
    strategy = StrategyFactory()
    organisation = ImplementationFactory().organisation
    row = {
        "date": datetime.date(2026, 1, 1),
        "audience": "internal",
        "strategy": strategy,
        "node_type": "strategy",
        "node_id": strategy.pk,
    }
    ProgressSnapshot.objects.create(**row)
    ProgressSnapshot.objects.create(organisation=organisation, **row)
    return row, organisation


JANUARY_2, JANUARY_3 = datetime.date(2026, 1, 2), datetime.date(2026, 1, 3)


@pytest.mark.parametrize(
    ("changes", "per_organisation", "constraint"),
    [
        # One snapshot per (date, audience, node, organisation), 'all' being one too.
        ({}, False, "unique_for_all"),
        ({}, True, "unique_per_organisation"),
        # One row still holds per node and organisation.
        ({"date": JANUARY_2}, False, "current_for_all"),
        ({"date": JANUARY_2}, True, "current_per_organisation"),
        # A closed row ends after it starts.
        (
            {"date": JANUARY_2, "valid_until": JANUARY_2},
            False,
            "valid_until_after_date",
        ),
        (
            {"date": JANUARY_2, "valid_until": JANUARY_3, "progress": 101},
            False,
            "progress_range",
        ),
    ],
)
def test_snapshot_constraints(changes, per_organisation, constraint):
    row, organisation = _strategy_snapshots()
    extra = {"organisation": organisation} if per_organisation else {}
    assert_rejected(
        lambda: ProgressSnapshot.objects.create(**{**row, **changes, **extra}),
        f"objectives_progresssnapshot_{constraint}",
    )


def test_snapshots_read_as_of_a_day_and_current():
    """The figures for all organisations change on 2 January; those of one do not."""
    row, organisation = _strategy_snapshots()
    ProgressSnapshot.objects.filter(organisation=None).update(valid_until=JANUARY_2)
    ProgressSnapshot.objects.create(**{**row, "date": JANUARY_2, "progress": 40})
    january_1 = ProgressSnapshot.objects.as_of(datetime.date(2026, 1, 1))
    january_3 = ProgressSnapshot.objects.as_of(JANUARY_3)
    assert sorted(january_1.values_list("date", "progress"), key=str) == [
        (datetime.date(2026, 1, 1), None),
        (datetime.date(2026, 1, 1), None),
    ]
    assert sorted(january_3.values_list("date", "progress"), key=str) == [
        (datetime.date(2026, 1, 1), None),
        (JANUARY_2, 40),
    ]
    assert list(ProgressSnapshot.objects.current().order_by("date")) == list(
        january_3.order_by("date")
    )
    assert january_3.get(organisation=organisation).valid_until is None


def test_review_event_target_state_is_from_the_vocabulary():
    update = StatusUpdateFactory()
    assert_rejected(
        lambda: ReviewEvent.objects.create(
            update=update,
            to_state="misplaced",
            actor=UserFactory(),
            created_at=timezone.now(),
        ),
        "objectives_reviewevent_to_state_valid",
    )


def test_full_clean_explains_a_bad_partial_date():
    """Model validation names the field and the accepted forms."""
    strategy = StrategyFactory.build(published="2018-13")
    with pytest.raises(ValidationError) as caught:
        strategy.full_clean()
    assert caught.value.message_dict["published"] == [
        "Use YYYY, YYYY-MM or YYYY-MM-DD."
    ]


def test_status_update_sensitivity_defaults_to_unclassified():
    update = StatusUpdateFactory()
    assert update.sensitivity == "unclassified"
    assert update.cleared_for_public is False
