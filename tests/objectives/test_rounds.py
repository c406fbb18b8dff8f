"""Reporting rounds, computed by hand on a two-mission tree over three rounds: what
counts in each round, what closing freezes, completeness and the changes between rounds.
Every report goes through the review workflow, as people make them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError

from objectives.choices import Audience, NodeType, ReviewState
from objectives.models import ReminderSent, ReportingRound, RoundFigure, StatusUpdate
from objectives.selectors.rounds import round_changes, round_completeness
from objectives.services import rounds as round_services
from objectives.services import workflow
from objectives.services.reminders import reminders_send
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from strategy_tracker.exceptions import InvalidTransition, NotAllowed
from tests.stakeholders.factories import OrganisationFactory

from .factories import (
    ActionFactory,
    ImplementationFactory,
    ObjectiveFactory,
    OutcomeFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUARTERS = {
    "2026-Q1": (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    "2026-Q2": (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
    "2026-Q3": (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
}


class Tree:
    """Goal G1 (actions A and B) and goal G2 (action C); M1 carries out A, B and C, M2
    carries out A and B. Every action weighs 1."""

    def __init__(self):
        self.strategy = StrategyFactory(code="S")
        g1 = ObjectiveFactory(strategy=self.strategy, code="G1", order=1)
        g2 = ObjectiveFactory(strategy=self.strategy, code="G2", order=2)
        self.goals = {"G1": g1, "G2": g2}
        o1 = OutcomeFactory(objective=g1, code="O1")
        o2 = OutcomeFactory(objective=g2, code="O2")
        self.actions = {
            "A": ActionFactory(outcome=o1, code="A", weight=Decimal(1)),
            "B": ActionFactory(outcome=o1, code="B", weight=Decimal(1)),
            "C": ActionFactory(outcome=o2, code="C", weight=Decimal(1)),
        }
        self.m1 = OrganisationFactory(code="M1")
        self.m2 = OrganisationFactory(code="M2", group=self.m1.group)
        self.impl = {
            f"{mission.code} {code}": ImplementationFactory(
                action=self.actions[code],
                organisation=mission,
                start_date=None,
                due_date=None,
            )
            for mission, codes in ((self.m1, "ABC"), (self.m2, "AB"))
            for code in codes
        }
        self.people = {}
        for name, role, mission in (
            ("f1", Role.FOCAL_POINT, self.m1),
            ("f2", Role.FOCAL_POINT, self.m2),
            ("p1", Role.APPROVER, self.m1),
            ("p2", Role.APPROVER, self.m2),
            ("manager", Role.STRATEGY_MANAGER, None),
        ):
            person = UserFactory(username=name, email=f"{name}@example.org")
            role_assign(user=person, role=role, organisation=mission)
            self.people[name] = person

    def open(self, name: str) -> ReportingRound:
        start, end = QUARTERS[name]
        return round_services.round_open(
            strategy=self.strategy,
            actor=self.people["manager"],
            name=name,
            period_start=start,
            period_end=end,
            opens_on=end + datetime.timedelta(days=1),
            deadline=end + datetime.timedelta(days=30),
        )

    def close(self, reporting_round: ReportingRound) -> None:
        round_services.round_close(
            reporting_round=reporting_round, actor=self.people["manager"]
        )

    def submit(self, key, status, progress, answers=None) -> StatusUpdate:
        mission = key.split()[0]
        return workflow.status_update_save(
            implementation=self.impl[key],
            actor=self.people["f1" if mission == "M1" else "f2"],
            content=workflow.UpdateContent(
                status=status, progress=progress, narrative="Reported."
            ),
            submit=True,
            expected_version=None,
            answers=answers,
        )

    def approve(self, update) -> StatusUpdate:
        approver = "p1" if update.implementation.organisation == self.m1 else "p2"
        return workflow.status_update_approve(
            update=update, actor=self.people[approver], expected_version=None
        )

    def accept(self, update) -> StatusUpdate:
        return workflow.status_update_accept(
            update=update, actor=self.people["manager"], expected_version=None
        )

    def report(self, key, status, progress) -> StatusUpdate:
        return self.accept(self.approve(self.submit(key, status, progress)))

    def figure(self, reporting_round, node, organisation=None) -> Decimal | None:
        node_type = {
            "Strategy": NodeType.STRATEGY,
            "Objective": NodeType.OBJECTIVE,
            "Action": NodeType.ACTION,
        }[type(node).__name__]
        return RoundFigure.objects.get(
            round=reporting_round,
            audience=Audience.INTERNAL,
            node_type=node_type,
            node_id=node.pk,
            organisation=organisation,
        ).progress


def completeness_counts(reporting_round, user):
    completeness = round_completeness(reporting_round, user)
    return {
        row.item.code: (
            row.expected,
            row.submitted,
            row.approved,
            row.accepted,
            row.returned,
            row.missing,
        )
        for row in completeness.by_mission
    }, completeness


@pytest.fixture
def tree():
    return Tree()


def test_three_rounds_computed_by_hand(tree):
    manager = tree.people["manager"]
    # Round 1: M1 reports A and B (accepted) but not C; M2's A is accepted, its B only
    # submitted when the round closes.
    q1 = tree.open("2026-Q1")
    tree.report("M1 A", "on_track", 20)
    tree.report("M1 B", "at_risk", 10)
    tree.report("M2 A", "on_track", 30)
    late = tree.submit("M2 B", "on_track", 50)
    counts, completeness = completeness_counts(q1, manager)
    # expected, submitted, approved, accepted, returned, missing
    assert counts == {"M1": (3, 2, 2, 2, 0, 1), "M2": (2, 2, 1, 1, 0, 0)}
    assert (completeness.total.expected, completeness.total.missing) == (5, 1)
    by_goal = {
        row.item.code: (row.expected, row.submitted) for row in completeness.by_goal
    }
    assert by_goal == {"G1": (4, 4), "G2": (1, 0)}
    tree.close(q1)
    assert q1.updates.count() == 4
    # (20 + 10 + 0) / 3 in M1, (30 + 0) / 2 in M2, 60 / 5 in all.
    assert tree.figure(q1, tree.strategy, tree.m1) == Decimal("10.00")
    assert tree.figure(q1, tree.strategy, tree.m2) == Decimal("15.00")
    assert tree.figure(q1, tree.strategy) == Decimal("12.00")
    assert tree.figure(q1, tree.goals["G1"]) == Decimal("15.00")
    assert tree.figure(q1, tree.goals["G2"]) == Decimal("0.00")

    # A late acceptance after the close: the current figures take it, round 1 does not.
    tree.accept(tree.approve(late))
    tree.impl["M2 B"].refresh_from_db()
    assert tree.impl["M2 B"].progress == 50
    assert tree.figure(q1, tree.strategy, tree.m2) == Decimal("15.00")

    # Round 2: M1's A is reported twice (the first superseded), B returned and
    # resubmitted, C completed; M2's A is approved but not accepted by the close, and
    # M2's B is not reported.
    q2 = tree.open("2026-Q2")
    first = tree.submit("M1 A", "on_track", 40)
    second = tree.submit("M1 A", "on_track", 45)
    first.refresh_from_db()
    assert first.review_state == ReviewState.SUPERSEDED
    tree.accept(tree.approve(second))
    returned = workflow.status_update_return(
        update=tree.submit("M1 B", "off_track", 15),
        actor=tree.people["p1"],
        expected_version=None,
        comment="Say why.",
    )
    counts, _ = completeness_counts(q2, manager)
    assert counts["M1"] == (3, 1, 1, 1, 1, 2)  # B returned, C not in yet
    resubmitted = tree.submit("M1 B", "off_track", 25, answers=returned)
    assert resubmitted.answers == returned
    assert resubmitted.round == q2
    tree.accept(tree.approve(resubmitted))
    tree.report("M1 C", "completed", 100)
    older = tree.approve(tree.submit("M2 A", "on_track", 60))
    counts, _ = completeness_counts(q2, manager)
    assert counts == {"M1": (3, 3, 3, 3, 0, 0), "M2": (2, 1, 1, 0, 0, 1)}
    tree.close(q2)
    # M1: (45 + 25 + 100) / 3; M2: A at round 1's 30 (60 is not accepted), B at the
    # late-accepted 50; all: 250 / 5.
    assert tree.figure(q2, tree.strategy, tree.m1) == Decimal("56.67")
    assert tree.figure(q2, tree.strategy, tree.m2) == Decimal("40.00")
    assert tree.figure(q2, tree.strategy) == Decimal("50.00")

    changes = round_changes(strategy=tree.strategy, user=manager, reporting_round=q2)
    assert changes.baseline == q1
    assert [
        (c.implementation.action.code, c.implementation.organisation.code, c.change)
        for c in changes.rises
    ] == [
        ("C", "M1", 100),
        ("B", "M2", 50),
        ("A", "M1", 25),
        ("B", "M1", 15),
    ]
    assert changes.falls == []
    assert [c.implementation.action.code for c in changes.newly_completed] == ["C"]
    assert changes.newly_at_risk == []  # B in M1 was at risk already, now off track
    overall = next(
        n for n in changes.nodes if n.node == tree.strategy and n.organisation is None
    )
    assert (overall.before, overall.after, overall.change) == (
        Decimal("12.00"),
        Decimal("50.00"),
        Decimal("38.00"),
    )

    # Round 3 (left open): M2's A reported again and accepted; then round 2's older
    # report of it is accepted. The figures keep the newer report; round 2 stays frozen.
    q3 = tree.open("2026-Q3")
    tree.report("M2 A", "on_track", 70)
    tree.accept(older)
    tree.impl["M2 A"].refresh_from_db()
    assert tree.impl["M2 A"].progress == 70
    assert tree.figure(q2, tree.actions["A"], tree.m2) == Decimal("30.00")
    assert tree.figure(q2, tree.strategy, tree.m2) == Decimal("40.00")
    now = round_changes(strategy=tree.strategy, user=manager)
    assert now.baseline == q2
    assert [
        (c.implementation.organisation.code, c.before_progress, c.after_progress)
        for c in now.rises
    ] == [("M2", 30, 70)]
    tree.close(q3)
    assert tree.figure(q3, tree.actions["A"], tree.m2) == Decimal("70.00")
    assert tree.figure(q3, tree.strategy) == Decimal("58.00")  # (45+25+100+70+50)/5


def test_closing_again_after_a_reopen_gives_the_same_figures(tree):
    q1 = tree.open("2026-Q1")
    tree.report("M1 A", "on_track", 20)
    tree.close(q1)
    frozen = list(
        RoundFigure.objects.filter(round=q1)
        .order_by("node_type", "node_id", "organisation_id", "audience")
        .values_list("node_type", "node_id", "organisation_id", "audience", "progress")
    )
    with pytest.raises(ValidationError):
        round_services.round_reopen(
            reporting_round=q1, actor=tree.people["manager"], reason=" "
        )
    round_services.round_reopen(
        reporting_round=q1,
        actor=tree.people["manager"],
        reason="M2 sent its report late by e-mail.",
    )
    assert not RoundFigure.objects.filter(round=q1).exists()
    assert (
        q1.history.first().history_change_reason
        == "reopened: M2 sent its report late by e-mail."
    )
    tree.close(q1)
    again = list(
        RoundFigure.objects.filter(round=q1)
        .order_by("node_type", "node_id", "organisation_id", "audience")
        .values_list("node_type", "node_id", "organisation_id", "audience", "progress")
    )
    assert again == frozen
    assert [h.history_change_reason for h in q1.history.order_by("history_date")] == [
        "opened",
        "closed",
        "reopened: M2 sent its report late by e-mail.",
        "closed",
    ]


def test_one_open_round_per_strategy_and_only_managers_run_them(tree):
    q1 = tree.open("2026-Q1")
    with pytest.raises(InvalidTransition):
        tree.open("2026-Q2")
    with pytest.raises(NotAllowed):
        round_services.round_close(reporting_round=q1, actor=tree.people["p1"])
    tree.close(q1)
    with pytest.raises(InvalidTransition):
        tree.close(q1)
    with pytest.raises(ValidationError) as refused:
        round_services.round_open(
            strategy=tree.strategy,
            actor=tree.people["manager"],
            name="Backwards",
            period_start=datetime.date(2026, 6, 30),
            period_end=datetime.date(2026, 4, 1),
            opens_on=datetime.date(2026, 7, 1),
            deadline=datetime.date(2026, 6, 1),
        )
    assert set(refused.value.message_dict) == {"__all__"}


def test_updates_outside_a_round_and_work_not_started(tree):
    tree.submit("M1 A", "on_track", 10)
    assert StatusUpdate.objects.get(implementation=tree.impl["M1 A"]).round is None
    tree.impl["M2 B"].start_date = datetime.date(2027, 1, 1)
    tree.impl["M2 B"].due_date = datetime.date(2027, 6, 30)
    tree.impl["M2 B"].save()
    q1 = tree.open("2026-Q1")
    counts, _ = completeness_counts(q1, tree.people["manager"])
    assert counts["M2"][0] == 1  # B starts in 2027: not due to report yet
    q1.expects_unstarted_work = True
    q1.save()
    counts, _ = completeness_counts(q1, tree.people["manager"])
    assert counts["M2"][0] == 2


def test_an_approver_sees_the_completeness_of_their_mission_only(tree):
    q1 = tree.open("2026-Q1")
    counts, _ = completeness_counts(q1, tree.people["p2"])
    assert list(counts) == ["M2"]
    counts, _ = completeness_counts(q1, AnonymousUser())
    assert counts == {}


def test_the_schedule_opens_the_quarter_that_ended(tree):
    opened = round_services.rounds_open_on_schedule(today=datetime.date(2026, 11, 30))
    assert [(r.name, r.period_start, r.period_end, r.opens_on) for r in opened] == [
        (
            "2026-Q3",
            datetime.date(2026, 7, 1),
            datetime.date(2026, 9, 30),
            datetime.date(2026, 11, 30),
        )
    ]
    assert opened[0].deadline == datetime.date(2026, 12, 30)
    assert (
        round_services.rounds_open_on_schedule(today=datetime.date(2026, 11, 30)) == []
    )
    tree.close(opened[0])
    # The next quarter has not ended yet on 30 November; it opens on 1 January.
    assert (
        round_services.rounds_open_on_schedule(today=datetime.date(2026, 12, 15)) == []
    )
    january = round_services.rounds_open_on_schedule(today=datetime.date(2027, 1, 1))
    assert [r.name for r in january] == ["2026-Q4"]


@pytest.mark.parametrize(
    ("months", "start", "name"),
    [
        (3, datetime.date(2026, 10, 1), "2026-Q4"),
        (6, datetime.date(2026, 7, 1), "2026-H2"),
        (12, datetime.date(2026, 1, 1), "2026"),
        (1, datetime.date(2026, 2, 1), "2026-02"),
        (2, datetime.date(2026, 11, 1), "2026-11/2026-12"),
    ],
)
def test_round_names(months, start, name):
    assert round_services.round_period_name(start, months) == name


def test_reminders_follow_the_round_and_go_once(tree, settings):
    settings.ROUND_REMINDER_DAYS_BEFORE = 7
    settings.ROUND_ESCALATION_DAYS_AFTER = 7
    q1 = tree.open("2026-Q1")  # deadline 30 April
    tree.report("M1 A", "on_track", 20)
    assert reminders_send(day=datetime.date(2026, 4, 22)) == 0
    # A week before: each focal point, their own mission's missing reports.
    assert reminders_send(day=datetime.date(2026, 4, 23)) == 2
    assert reminders_send(day=datetime.date(2026, 4, 23)) == 0
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["f1@example.org"].subject == (
        "Strategy tracker, round 2026-Q1: 2 report(s) missing"
    )
    assert "- B (M1)" in by_recipient["f1@example.org"].body
    assert "- A (M1)" not in by_recipient["f1@example.org"].body
    # M2 reports everything before the deadline: its approver hears nothing.
    tree.submit("M2 A", "on_track", 10)
    tree.submit("M2 B", "on_track", 10)
    mail.outbox.clear()
    assert reminders_send(day=datetime.date(2026, 4, 30)) == 1
    assert [m.to for m in mail.outbox] == [["p1@example.org"]]
    mail.outbox.clear()
    assert reminders_send(day=datetime.date(2026, 5, 7)) == 1
    assert mail.outbox[0].to == ["manager@example.org"]
    assert "- C (M1)" in mail.outbox[0].body
    assert sorted(ReminderSent.objects.values_list("recipient__username", "kind")) == [
        ("f1", "focal_point"),
        ("f2", "focal_point"),
        ("manager", "manager"),
        ("p1", "approver"),
    ]
    tree.close(q1)
    assert reminders_send(day=datetime.date(2026, 5, 8)) == 0


def test_past_due_date_reads_the_actions_date_when_the_implementation_has_none(tree):
    """Finding: implementations carry no dates of their own in the demo, so nothing was
    ever past its due date; the action's date stands in."""
    from objectives.models import Implementation
    from objectives.progress import past_due_condition

    action = tree.actions["A"]
    action.due_date = datetime.date(2026, 6, 30)
    action.save()
    Implementation.objects.filter(pk=tree.impl["M2 A"].pk).update(
        due_date=datetime.date(2027, 6, 30)
    )
    Implementation.objects.filter(pk=tree.impl["M1 B"].pk).update(
        status="completed", progress=100, due_date=datetime.date(2026, 1, 31)
    )
    past = Implementation.objects.filter(
        past_due_condition(
            audience=Audience.INTERNAL, today=datetime.date(2026, 11, 30)
        )
    )
    assert {str(i) for i in past} == {"A @ M1"}
