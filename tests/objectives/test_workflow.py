"""The review workflow services: rules, transitions, notices and concurrency."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from objectives.choices import ReviewState
from objectives.models import Implementation, Notification, StatusUpdate
from objectives.services import workflow
from objectives.services.notifications import notification_digests_send
from stakeholders.models import RoleAssignment
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from strategy_tracker.exceptions import InvalidTransition, NotAllowed
from tests.concurrency import race

from .conftest import two_approved_reports

CONTENT = workflow.UpdateContent(
    status="on_track", progress=30, narrative="Going well."
)


@pytest.mark.django_db
def test_submit_bumps_the_implementation_version_and_queues_a_notice(world):
    implementation = world.minusca_implementation
    update = workflow.status_update_save(
        implementation=implementation,
        actor=world.users["minusca-focal"],
        content=CONTENT,
        submit=True,
        expected_version=implementation.version,
    )
    assert update.review_state == "submitted"
    assert (
        Implementation.objects.get(pk=implementation.pk).version
        == implementation.version + 1
    )
    assert list(
        Notification.objects.filter(update=update).values_list(
            "recipient__username", "kind"
        )
    ) == [("minusca-approver", "submitted")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (
            workflow.UpdateContent(status="completed", progress=80),
            {
                "progress": [
                    "A completed action is at 100; set progress to 100 or choose another status."
                ]
            },
        ),
        (
            workflow.UpdateContent(status="at_risk", progress=20, narrative=""),
            {
                "narrative": [
                    "Explain in the narrative why the action is at risk or off track."
                ]
            },
        ),
        (
            workflow.UpdateContent(status="on_track", progress=101),
            {"progress": ["Progress must be a whole number from 0 to 100."]},
        ),
    ],
)
def test_service_enforces_the_reporting_rules_whatever_the_caller(
    world, content, errors
):
    before = world.state()
    with pytest.raises(ValidationError) as caught:
        workflow.status_update_save(
            implementation=world.minusca_implementation,
            actor=world.users["minusca-focal"],
            content=content,
            submit=True,
            expected_version=None,
        )
    assert caught.value.message_dict == errors
    assert world.state() == before


@pytest.mark.django_db
def test_only_the_missions_focal_points_report(world):
    with pytest.raises(NotAllowed):
        workflow.status_update_save(
            implementation=world.minusca_implementation,
            actor=world.users["unmiss-focal"],
            content=CONTENT,
            submit=True,
            expected_version=None,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "update_key", "username", "error"),
    [
        (workflow.status_update_approve, "unmiss", "minusca-approver", NotAllowed),
        (
            workflow.status_update_approve,
            "approved",
            "minusca-approver",
            InvalidTransition,
        ),
        (workflow.status_update_accept, "submitted", "manager", InvalidTransition),
        (workflow.status_update_accept, "approved", "leader", NotAllowed),
        (workflow.status_update_clear, "confidential", "manager", InvalidTransition),
        (workflow.status_update_clear, "approved", "manager", InvalidTransition),
    ],
)
def test_steps_out_of_turn_or_role_change_nothing(
    world, step, update_key, username, error
):
    update = world.updates[update_key]
    before = world.state()
    with pytest.raises(error):
        step(
            update=update, actor=world.users[username], expected_version=update.version
        )
    assert world.state() == before


@pytest.mark.django_db
def test_hq_may_return_an_approved_update_and_the_author_hears_of_it(world):
    update = world.updates[ReviewState.APPROVED]
    workflow.status_update_return(
        update=update,
        actor=world.users["manager"],
        expected_version=update.version,
        comment="Figures differ.",
    )
    assert StatusUpdate.objects.get(pk=update.pk).review_state == "returned"
    assert (
        Notification.objects.filter(
            update=update, kind="returned", recipient=update.author
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_digests_batch_notices_into_one_email_per_person_without_narratives(world):
    for _ in range(3):
        workflow.status_update_save(
            implementation=world.minusca_implementation,
            actor=world.users["minusca-focal"],
            content=workflow.UpdateContent(
                status="on_track", progress=30, narrative="SECRET-MARKER text"
            ),
            submit=True,
            expected_version=None,
        )

    assert notification_digests_send() == 1
    assert notification_digests_send() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["minusca-approver@example.org"]
    # The first two were superseded by the third before the digest went out: the
    # digest lists only what still waits.
    assert message.subject == "Strategy tracker: 1 item(s) need your attention"
    assert message.body.count("An update awaits your approval: A1.1.1 (MINUSCA)") == 1
    assert "SECRET-MARKER" not in message.body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_one_wins_one_gets_a_conflict(world, postgres):
    update = world.updates[ReviewState.SUBMITTED]
    approver = world.users["minusca-approver"]
    version = update.version

    outcomes = race(
        [
            lambda: workflow.status_update_approve(
                update=update, actor=approver, expected_version=version
            ),
            lambda: workflow.status_update_return(
                update=update,
                actor=approver,
                expected_version=version,
                comment="Needs work",
            ),
        ]
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "ConflictError",
        "StatusUpdate",
    ]
    final = StatusUpdate.objects.get(pk=update.pk)
    assert final.version == version + 1
    assert final.events.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submissions_from_the_same_view_one_wins_one_gets_a_conflict(
    world, postgres
):
    implementation = world.minusca_implementation
    focal = world.users["minusca-focal"]
    # A second focal point of MINUSCA (the approver may not report for the mission).
    second_focal = world.users["unmiss-focal"]
    role_assign(user=second_focal, role=Role.FOCAL_POINT, organisation=world.minusca)
    version = implementation.version

    def submit(actor, text):
        return lambda: workflow.status_update_save(
            implementation=implementation,
            actor=actor,
            content=workflow.UpdateContent(
                status="on_track", progress=40, narrative=text
            ),
            submit=True,
            expected_version=version,
        )

    outcomes = race([submit(focal, "first"), submit(second_focal, "second")])

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "ConflictError",
        "StatusUpdate",
    ]
    assert StatusUpdate.objects.filter(narrative__in=["first", "second"]).count() == 1
    assert Implementation.objects.get(pk=implementation.pk).version == version + 1


def _submit(world, username, **values):
    content = workflow.UpdateContent(
        **{"status": "on_track", "progress": 30, "narrative": "Going well.", **values}
    )
    return workflow.status_update_save(
        implementation=world.minusca_implementation,
        actor=world.users[username],
        content=content,
        submit=True,
        expected_version=None,
    )


def _through_review(world, update):
    update = workflow.status_update_approve(
        update=update, actor=world.users["minusca-approver"], expected_version=None
    )
    return workflow.status_update_accept(
        update=update, actor=world.users["manager"], expected_version=None
    )


@pytest.mark.django_db
def test_accepting_an_older_report_after_a_newer_one_never_turns_the_figures_back(
    world,
):
    """Finding: two reports approved at once; the newer (at risk, 20 %) accepted
    first, then the older (on track, 19 %) became the current status."""
    StatusUpdate.objects.filter(implementation=world.minusca_implementation).delete()
    older = _submit(world, "minusca-focal", progress=19)
    older = workflow.status_update_approve(
        update=older, actor=world.users["minusca-approver"], expected_version=None
    )
    # A second report from another focal point of the mission, reported later.
    colleague = world.users["unmiss-focal"]
    role_assign(user=colleague, role=Role.FOCAL_POINT, organisation=world.minusca)
    RoleAssignment.objects.filter(user=colleague, organisation=world.unmiss).update(
        ended_at=timezone.now()
    )
    newer = _submit(
        world, "unmiss-focal", status="at_risk", progress=20, narrative="Delayed."
    )
    _through_review(world, newer)

    older.refresh_from_db()
    assert older.review_state == ReviewState.SUPERSEDED
    with pytest.raises(InvalidTransition):
        workflow.status_update_accept(
            update=older, actor=world.users["manager"], expected_version=None
        )
    implementation = Implementation.objects.get(pk=world.minusca_implementation.pk)
    assert (implementation.status, implementation.progress) == ("at_risk", 20)


@pytest.mark.django_db
def test_an_older_acceptance_is_recorded_without_changing_the_current_figures(world):
    """Reports accepted out of the order they were reported in: the latest reported
    stays current, whatever the order of acceptance."""
    StatusUpdate.objects.filter(implementation=world.minusca_implementation).delete()
    older, newer = two_approved_reports(world)
    manager = world.users["manager"]
    workflow.status_update_accept(update=newer, actor=manager, expected_version=None)
    accepted = workflow.status_update_accept(
        update=older, actor=manager, expected_version=None
    )

    assert accepted.review_state == ReviewState.ACCEPTED
    assert not workflow.is_current(accepted)
    implementation = Implementation.objects.get(pk=world.minusca_implementation.pk)
    assert implementation.current_update_id == newer.pk
    assert (implementation.status, implementation.progress) == ("at_risk", 20)


@pytest.mark.django_db
def test_a_newer_submission_supersedes_the_missions_older_pending_one(world):
    first = _submit(world, "minusca-focal", progress=31)
    second = _submit(world, "minusca-focal", progress=32)

    first.refresh_from_db()
    assert first.review_state == ReviewState.SUPERSEDED
    assert list(first.events.values_list("from_state", "to_state")) == [
        ("draft", "submitted"),
        ("submitted", "superseded"),
    ]
    assert second.review_state == ReviewState.SUBMITTED
    # Every earlier pending report of the implementation is superseded too.
    assert (
        not StatusUpdate.objects.filter(
            implementation=world.minusca_implementation,
            review_state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED],
        )
        .exclude(pk=second.pk)
        .exists()
    )
    with pytest.raises(InvalidTransition):
        workflow.status_update_approve(
            update=first, actor=world.users["minusca-approver"], expected_version=None
        )


@pytest.mark.django_db
def test_a_digest_leaves_out_updates_that_moved_on_before_it_went_out(world):
    """Finding: digests said "awaits your approval" for updates already accepted."""
    update = _submit(world, "minusca-focal")
    _through_review(world, update)

    assert notification_digests_send() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_clearing_is_recorded_as_a_review_event(world):
    update = world.updates[ReviewState.ACCEPTED]
    workflow.status_update_clear(
        update=update, actor=world.users["manager"], expected_version=None
    )
    event = update.events.get()
    assert event.is_clearance
    assert event.actor == world.users["manager"]


@pytest.mark.django_db
def test_nobody_approves_accepts_or_clears_their_own_report(world):
    """Finding: a strategy manager gave themselves focal-point and approver roles for
    MINUSCA, then submitted, approved, accepted and cleared the same update alone."""
    manager = world.users["manager"]
    role_assign(user=manager, role=Role.FOCAL_POINT, organisation=world.minusca)
    update = workflow.status_update_save(
        implementation=world.minusca_implementation,
        actor=manager,
        content=CONTENT,
        submit=True,
        expected_version=None,
    )
    update = workflow.status_update_approve(
        update=update, actor=world.users["minusca-approver"], expected_version=None
    )
    before = world.state()
    with pytest.raises(NotAllowed, match="someone else must accept it"):
        workflow.status_update_accept(
            update=update, actor=manager, expected_version=None
        )
    assert world.state() == before


@pytest.mark.django_db
def test_whoever_approved_a_report_for_the_mission_does_not_accept_it(world):
    approver = world.users["minusca-approver"]
    approver.groups.add(world.users["manager"].groups.get())
    update = workflow.status_update_approve(
        update=world.updates[ReviewState.SUBMITTED],
        actor=approver,
        expected_version=None,
    )
    with pytest.raises(NotAllowed, match="someone else at HQ must accept it"):
        workflow.status_update_accept(
            update=update, actor=approver, expected_version=None
        )
    assert StatusUpdate.objects.get(pk=update.pk).review_state == ReviewState.APPROVED


@pytest.mark.django_db
def test_the_author_may_not_approve_or_clear_their_own_report(world):
    author = world.users["minusca-focal"]
    role_assign(
        user=author,
        role=Role.APPROVER,
        organisation=world.unmiss,
        actor=world.users["manager"],
    )
    unmiss_update = world.updates["unmiss"]
    unmiss_update.author = author
    unmiss_update.save()
    with pytest.raises(NotAllowed, match="someone else must approve it"):
        workflow.status_update_approve(
            update=unmiss_update, actor=author, expected_version=None
        )
