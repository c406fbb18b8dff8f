"""Demo data: illustrative and marked so, every status and sensitivity, demo accounts, never in production."""

import datetime
import itertools

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Q
from django.test import RequestFactory
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from objectives.choices import ImplementationStatus, ReviewState, Sensitivity
from objectives.devtools.demo import DEMO_PASSWORD, demo_data_load
from objectives.models import Action, Implementation, Outcome, ReviewEvent, StatusUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_database, db):
    return demo_database


def test_demo_outcomes_and_actions_are_all_marked_illustrative(demo):
    assert Outcome.objects.filter(objective__strategy__code="DTS-2021").count() == 12
    assert (
        Action.objects.filter(outcome__objective__strategy__code="DTS-2021").count()
        == 36
    )
    assert not Outcome.objects.filter(is_illustrative=False).exists()
    assert not Action.objects.filter(is_illustrative=False).exists()


def test_demo_content_is_complete_in_the_six_languages_and_marked_on_public_pages(
    demo, client
):
    """The demo shows what a complete translation looks like: every illustrative outcome
    and action has its title (and description) in every language, recorded as
    unofficial; the public goal page marks them illustrative in every language."""
    from strategy_tracker.models import TranslationSource

    for item in [*Outcome.objects.all(), *Action.objects.all()]:
        assert item.missing_translations() == [], item.code
        assert item.translation_source("title", "zh-hans") == (
            TranslationSource.UNOFFICIAL
        )
    for language in ("ar", "zh-hans", "en", "fr", "ru", "es"):
        page = client.get(f"/{language}/strategies/DTS-2021/goals/G1/").content.decode()
        assert page.count('class="tag"') >= 1 + 3 + 9, (
            language
        )  # note, outcomes, actions
        assert 'class="untranslated"' not in page, language


def test_demo_covers_every_status_sensitivity_and_review_state(demo):
    updates = StatusUpdate.objects.all()
    assert set(updates.values_list("status", flat=True)) == set(
        ImplementationStatus.values
    )
    assert set(updates.values_list("sensitivity", flat=True)) == set(Sensitivity.values)
    assert set(updates.values_list("review_state", flat=True)) == set(
        ReviewState.values
    )
    current = set(Implementation.objects.values_list("status", flat=True))
    assert current == set(ImplementationStatus.values)
    assert demo == {
        "implementations": Implementation.objects.count(),
        "updates": updates.count(),
    }


def test_demo_spans_a_year_and_a_half_and_keeps_the_rules(demo):
    oldest = StatusUpdate.objects.earliest("created_at").created_at
    newest = StatusUpdate.objects.latest("created_at").created_at
    assert 400 <= (newest - oldest).days <= 540
    assert (
        not StatusUpdate.objects.filter(cleared_for_public=True)
        .exclude(
            sensitivity=Sensitivity.UNCLASSIFIED, review_state=ReviewState.ACCEPTED
        )
        .exists()
    )
    # Nothing is dated after today (a finding: reviews ran into the future).
    now = timezone.now()
    assert not StatusUpdate.objects.filter(
        Q(created_at__gt=now)
        | Q(submitted_at__gt=now)
        | Q(accepted_at__gt=now)
        | Q(cleared_at__gt=now)
    ).exists()
    assert not ReviewEvent.objects.filter(created_at__gt=now).exists()
    # Every accepted update went submitted → approved → accepted, with its actors recorded.
    accepted = StatusUpdate.objects.filter(review_state=ReviewState.ACCEPTED).first()
    assert list(accepted.events.values_list("to_state", flat=True)) == [
        "submitted",
        "approved",
        "accepted",
    ]


def test_implementation_current_status_is_its_latest_accepted_update(demo):
    for implementation in Implementation.objects.select_related("current_update")[:40]:
        latest = (
            implementation.updates.filter(review_state=ReviewState.ACCEPTED)
            .order_by("-created_at")
            .first()
        )
        assert implementation.current_update == latest
        if latest:
            assert (implementation.status, implementation.progress) == (
                latest.status,
                latest.progress,
            )


def test_demo_accounts_sign_in_with_their_scope(demo):
    for username in (
        "leader",
        "manager",
        "minusca-focal",
        "minusca-approver",
        "unmiss-focal",
        "unmiss-approver",
    ):
        request = RequestFactory().post("/en/accounts/login/")
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
    focal = get_user_model().objects.get(username="minusca-focal")
    approver = get_user_model().objects.get(username="unmiss-approver")
    reported = get_objects_for_user(focal, "stakeholders.report_progress")
    approved = get_objects_for_user(approver, "stakeholders.approve_progress")
    assert list(reported.values_list("code", flat=True)) == ["MINUSCA"]
    assert list(approved.values_list("code", flat=True)) == ["UNMISS"]
    assert focal.groups.get().name == "Mission focal point"


def test_every_demo_mission_account_has_actions(demo):
    for code in ("MINUSCA", "UNMISS"):
        assert Implementation.objects.filter(organisation__code=code).count() == 36


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = (
        StatusUpdate.objects.count(),
        ReviewEvent.objects.count(),
        get_user_model().objects.count(),
    )
    result = demo_data_load()
    assert (
        StatusUpdate.objects.count(),
        ReviewEvent.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert result["updates"] == counts[0]


def test_reset_replaces_the_updates_deterministically(demo):
    first = list(
        StatusUpdate.objects.order_by("implementation_id", "created_at").values_list(
            "status", "progress"
        )
    )
    demo_data_load(reset=True)
    again = list(
        StatusUpdate.objects.order_by("implementation_id", "created_at").values_list(
            "status", "progress"
        )
    )
    assert again == first


def test_demo_has_six_rounds_the_last_open_with_missions_late(demo):
    from objectives.models import ReportingRound, RoundFigure
    from objectives.selectors.rounds import round_changes, round_completeness

    rounds = list(ReportingRound.objects.order_by("period_start"))
    assert len(rounds) == 6
    *closed, current = rounds
    assert all(r.closed_at is not None for r in closed)
    assert current.is_open
    assert current.deadline_passed  # missions are late, not merely not in yet
    today, now = timezone.localdate(), timezone.now()
    assert all(r.opens_on <= today and r.deadline <= today for r in rounds)
    assert all(r.closed_at <= now for r in closed)
    for earlier, later in itertools.pairwise(rounds):
        assert later.period_start == earlier.period_end + datetime.timedelta(days=1)
    assert all(RoundFigure.objects.filter(round=r).exists() for r in closed)
    assert not RoundFigure.objects.filter(round=current).exists()
    # Every submitted update is reported for the round open when it was submitted.
    assert (
        StatusUpdate.objects.filter(
            round=current, submitted_at__date__lt=current.opens_on
        ).count()
        == 0
    )
    leader = get_user_model().objects.get(username="leader")
    completeness = round_completeness(current, leader)
    # Some missions have not reported at all; the demo accounts' missions have drafts
    # not sent and reports returned to them.
    by_code = {row.item.code: row for row in completeness.by_mission}
    assert any(
        row.missing > row.returned
        for code, row in by_code.items()
        if code not in ("MINUSCA", "UNMISS")
    )
    assert by_code["MINUSCA"].returned > 0
    changes = round_changes(strategy=current.strategy, user=leader)
    assert changes.baseline == closed[-1]
    assert changes.rises
    # The demo accounts find reports returned to them.
    assert StatusUpdate.objects.filter(
        review_state=ReviewState.RETURNED,
        implementation__organisation__code__in=["MINUSCA", "UNMISS"],
    ).exists()
