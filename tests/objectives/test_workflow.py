"""The review workflow services: rules, transitions, notices and concurrency."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from objectives.choices import ReviewState
from objectives.models import Implementation, Notification, StatusUpdate
from objectives.services import workflow
from objectives.services.notifications import notification_digests_send
from strategy_tracker.exceptions import InvalidTransition, NotAllowed
from tests.concurrency import race

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
    assert message.subject == "Strategy tracker: 3 item(s) need your attention"
    assert message.body.count("An update awaits your approval: A1.1.1 (MINUSCA)") == 3
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
    second_focal = world.users["minusca-approver"]
    from stakeholders.permissions import Role
    from stakeholders.services import role_assign

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
