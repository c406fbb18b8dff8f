"""Rollup figures against hand-computed values, idempotence, the lock and the debounce."""

import datetime
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from objectives.models import Implementation, Outcome, ProgressSnapshot
from objectives.selectors.dashboard import trend_by_day
from objectives.services import rollup
from objectives.services.rollup import (
    RollupBusy,
    RollupDayPassed,
    rollup_compute,
    rollup_run,
)
from objectives.tasks import ROLLUP_SCHEDULED_KEY, request_rollup
from tests.stakeholders.factories import OrganisationFactory

from .conftest import snapshot_values
from .factories import (
    ActionFactory,
    ImplementationFactory,
    ObjectiveFactory,
    OutcomeFactory,
    StatusUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 23)
NEXT_DAY = DAY + timedelta(days=1)


@pytest.fixture
def small():
    """Two missions; A (weight 1), B (weight 3) under O1; O2 empty; C (weight 2) under O3."""
    now = timezone.now()
    recent, stale = now - timedelta(days=3), now - timedelta(days=60)
    # Past due date: open work whose due date has passed (B in M1, C in M2); completed
    # work past its date (A in M2) is not.
    passed, ahead = DAY - timedelta(days=10), DAY + timedelta(days=30)
    strategy = StrategyFactory(code="S")
    g1, g2 = (
        ObjectiveFactory(strategy=strategy, code="G1"),
        ObjectiveFactory(strategy=strategy, code="G2"),
    )
    o1, o2 = (
        OutcomeFactory(objective=g1, code="O1"),
        OutcomeFactory(objective=g1, code="O2"),
    )
    o3 = OutcomeFactory(objective=g2, code="O3")
    a = ActionFactory(outcome=o1, code="A", weight=Decimal(1))
    b = ActionFactory(outcome=o1, code="B", weight=Decimal(3))
    c = ActionFactory(outcome=o3, code="C", weight=Decimal(2))
    m1 = OrganisationFactory(code="M1")
    m2 = OrganisationFactory(code="M2", group=m1.group)

    def impl(action, mission, status, progress, accepted_at, due_date):
        return ImplementationFactory(
            action=action,
            organisation=mission,
            status=status,
            progress=progress,
            last_accepted_at=accepted_at,
            start_date=None,
            due_date=due_date,
        )

    a1 = impl(a, m1, "on_track", 40, recent, ahead)
    impl(a, m2, "completed", 100, recent, passed)
    impl(b, m1, "at_risk", 20, stale, passed)
    impl(b, m2, "not_applicable", 0, recent, passed)
    impl(c, m1, "cancelled", 50, recent, None)
    impl(c, m2, "not_started", 0, None, passed)
    public = StatusUpdateFactory(
        implementation=a1,
        status="on_track",
        progress=30,
        cleared_for_public=True,
        cleared_at=now,
    )
    a1.public_update = public
    a1.save()
    return {
        "strategy": strategy,
        "g1": g1,
        "g2": g2,
        "o1": o1,
        "o2": o2,
        "o3": o3,
        "a": a,
        "b": b,
        "c": c,
        "m1": m1,
        "m2": m2,
    }


NODE_TYPES = {
    "Strategy": "strategy",
    "Objective": "objective",
    "Outcome": "outcome",
    "Action": "action",
}


@pytest.fixture(params=["computed", "stored"])
def rows(request, small):
    """The day's rows as rollup_compute gives them (in Python) and as rollup_run stores
    them (on PostgreSQL, summed and written by the database)."""
    if request.param == "computed":
        return rollup_compute(day=DAY)
    rollup_run(day=DAY)
    return list(ProgressSnapshot.objects.filter(date=DAY))


def row_for(rows, node, organisation=None, audience="internal"):
    matches = [
        r
        for r in rows
        if r.node_type == NODE_TYPES[type(node).__name__]
        and r.node_id == node.pk
        and r.organisation_id == (organisation.pk if organisation else None)
        and r.audience == audience
    ]
    assert len(matches) == 1, (node, organisation, audience)
    return matches[0]


@pytest.mark.parametrize(
    ("node", "mission", "progress", "overdue", "counted"),
    [
        ("a", None, Decimal("70.00"), 0, 2),
        ("b", None, Decimal("20.00"), 1, 2),
        ("o1", None, Decimal("40.00"), 1, 4),  # (40 + 100 + 3*20) / (1 + 1 + 3)
        ("o2", None, None, 0, 0),  # empty outcome: no progress, not 0
        (
            "c",
            None,
            Decimal("0.00"),
            1,
            2,
        ),  # cancelled excluded; not started counts as 0
        ("g1", None, Decimal("40.00"), 1, 4),
        ("g2", None, Decimal("0.00"), 1, 2),
        ("strategy", None, Decimal("28.57"), 2, 6),  # 200 / 7
        ("o1", "m1", Decimal("25.00"), 1, 2),  # (40 + 3*20) / 4
        ("o1", "m2", Decimal("100.00"), 0, 2),  # B is not applicable in M2
        ("b", "m2", None, 0, 1),
        ("c", "m1", None, 0, 1),  # only a cancelled implementation
        ("strategy", "m1", Decimal("25.00"), 1, 3),
        ("strategy", "m2", Decimal("33.33"), 1, 3),  # (100 + 2*0) / 3
    ],
)
def test_rollup_equals_hand_computed_values(
    small, rows, node, mission, progress, overdue, counted
):
    row = row_for(rows, small[node], small[mission] if mission else None)
    assert (row.progress, row.past_due_count, row.implementation_count) == (
        progress,
        overdue,
        counted,
    )


def test_status_counts_and_excluded_items(small, rows):
    row = row_for(rows, small["strategy"])
    assert (
        row.on_track_count,
        row.completed_count,
        row.at_risk_count,
        row.not_started_count,
    ) == (1, 1, 1, 1)
    assert (row.cancelled_count, row.not_applicable_count, row.off_track_count) == (
        1,
        1,
        0,
    )
    assert row.weight_total == Decimal("7.00")


def test_public_figures_read_only_cleared_updates(small, rows):
    public = row_for(rows, small["strategy"], audience="public")
    assert (public.progress, public.implementation_count) == (Decimal("30.00"), 1)
    assert row_for(rows, small["o2"], audience="public").progress is None


def _stored():
    return snapshot_values(ProgressSnapshot.objects.all())


def test_running_twice_gives_the_same_rows(small):
    first_count = rollup_run(day=DAY)
    first = _stored()
    second_count = rollup_run(day=DAY)
    assert first_count == second_count == len(first)
    assert _stored() == first
    assert (
        len(first) == 2 * (1 + 2 + 3 + 3) + 2 * 9 + 2
    )  # all-rows per node, per-mission rows, public


def test_a_later_run_of_the_day_equals_a_clean_rebuild(small):
    """Runs after changes update, add and delete exactly what a rebuild would give: a
    node whose work was archived goes back to no progress, a moved figure changes."""
    rollup_run(day=DAY)
    Implementation.objects.filter(action=small["c"]).update(archived_at=timezone.now())
    Implementation.objects.filter(action=small["a"], organisation=small["m1"]).update(
        progress=80
    )
    Outcome.objects.filter(pk=small["o2"].pk).update(archived_at=timezone.now())
    rollup_run(day=DAY)
    upserted = _stored()
    ProgressSnapshot.objects.all().delete()
    rollup_run(day=DAY)
    assert upserted == _stored()
    rows = list(ProgressSnapshot.objects.all())
    assert row_for(rows, small["c"]).progress is None
    assert row_for(rows, small["a"], small["m1"]).progress == Decimal("80.00")
    assert not [
        r for r in rows if r.node_type == "outcome" and r.node_id == small["o2"].pk
    ]


@pytest.fixture(params=["in the database", "in Python"])
def write_path(request, monkeypatch):
    """Both ways of writing the changes: SQL on PostgreSQL, the portable one elsewhere."""
    if request.param == "in Python":
        monkeypatch.setattr(rollup, "_writes_in_database", lambda: False)
    elif not rollup._writes_in_database():
        pytest.skip("the SQL path needs PostgreSQL")
    return request.param


def _keys(rows) -> set[tuple]:
    return {(r.audience, r.node_type, r.node_id, r.organisation_id) for r in rows}


def test_the_next_day_writes_only_what_changed_and_keeps_the_history(small, write_path):
    rollup_run(day=DAY)
    yesterday = snapshot_values(ProgressSnapshot.objects.as_of(DAY))
    before_by_key = {
        key: row for row in ProgressSnapshot.objects.all() for key in _keys([row])
    }
    Implementation.objects.filter(action=small["a"], organisation=small["m1"]).update(
        progress=80
    )
    Outcome.objects.filter(pk=small["o2"].pk).update(archived_at=timezone.now())

    count = rollup_run(day=NEXT_DAY)

    # The day's figures are those a clean rebuild gives; the day before is untouched.
    today = ProgressSnapshot.objects.as_of(NEXT_DAY)
    assert snapshot_values(today) == snapshot_values(rollup_compute(day=NEXT_DAY))
    assert count == today.count() == ProgressSnapshot.objects.current().count()
    assert snapshot_values(ProgressSnapshot.objects.as_of(DAY)) == yesterday
    # Only the rows whose figures moved start on the new day: the action's, and its
    # outcome's, goal's and strategy's, for the mission and for all (internal only).
    opened = list(ProgressSnapshot.objects.filter(date=NEXT_DAY))
    assert _keys(opened) == {
        ("internal", node_type, node.pk, organisation)
        for node_type, node in (
            ("action", small["a"]),
            ("outcome", small["o1"]),
            ("objective", small["o1"].objective),
            ("strategy", small["strategy"]),
        )
        for organisation in (small["m1"].pk, None)
    }
    left = ("outcome", small["o2"].pk)
    for row in ProgressSnapshot.objects.filter(date=DAY):
        before = before_by_key[next(iter(_keys([row])))]
        if _keys([row]) & _keys(opened) or (row.node_type, row.node_id) == left:
            assert row.valid_until == NEXT_DAY  # closed: replaced or left the tree
        else:
            assert row.valid_until is None
            assert row.updated_at == before.updated_at
    assert not ProgressSnapshot.objects.current().filter(
        node_type="outcome", node_id=small["o2"].pk
    )

    # Another run of the same day finds nothing to write.
    stored = list(ProgressSnapshot.objects.values_list().order_by("pk"))
    rollup_run(day=NEXT_DAY)
    assert list(ProgressSnapshot.objects.values_list().order_by("pk")) == stored


def test_a_row_opened_today_is_rewritten_or_removed_in_place(small, write_path):
    rollup_run(day=DAY)
    a_m1 = {
        "audience": "internal",
        "node_type": "action",
        "node_id": small["a"].pk,
        "organisation": small["m1"],
    }
    first = ProgressSnapshot.objects.get(**a_m1)
    Implementation.objects.filter(action=small["a"], organisation=small["m1"]).update(
        progress=80
    )
    rollup_run(day=NEXT_DAY)
    opened = ProgressSnapshot.objects.get(date=NEXT_DAY, **a_m1)
    assert opened.progress == Decimal("80.00")
    Implementation.objects.filter(action=small["a"], organisation=small["m1"]).update(
        archived_at=timezone.now()
    )
    rollup_run(day=NEXT_DAY)

    # The mission's row opened today is gone as if never written; yesterday's stays
    # closed at today. The action's row for all missions, opened today, was rewritten.
    assert [
        (row.pk, row.date, row.valid_until)
        for row in ProgressSnapshot.objects.filter(**a_m1)
    ] == [(first.pk, DAY, NEXT_DAY)]
    all_missions = ProgressSnapshot.objects.filter(
        audience="internal",
        node_type="action",
        node_id=small["a"].pk,
        organisation=None,
        date=NEXT_DAY,
    ).get()
    assert all_missions.valid_until is None
    assert snapshot_values(ProgressSnapshot.objects.as_of(NEXT_DAY)) == snapshot_values(
        rollup_compute(day=NEXT_DAY)
    )


def test_a_rollup_cannot_go_back_in_time(small, write_path):
    rollup_run(day=NEXT_DAY)
    stored = list(ProgressSnapshot.objects.values_list().order_by("pk"))
    with pytest.raises(RollupDayPassed):
        rollup_run(day=DAY)
    assert list(ProgressSnapshot.objects.values_list().order_by("pk")) == stored


def test_the_command_refuses_a_day_before_the_latest_snapshots(small):
    from django.core.management import CommandError, call_command

    rollup_run(day=NEXT_DAY)
    with pytest.raises(CommandError, match="snapshots after 2026-11-23 exist"):
        call_command("rollup_progress", date=DAY)


def test_the_trend_has_a_point_for_every_day_a_figure_held():
    day = datetime.date(2026, 11, 1)
    periods = [
        (day, day + timedelta(days=2), Decimal("10.00")),
        (day + timedelta(days=2), None, Decimal("25.00")),
    ]
    points = trend_by_day(periods, day - timedelta(days=2), day + timedelta(days=3))
    assert points == [
        (day, Decimal("10.00")),
        (day + timedelta(days=1), Decimal("10.00")),
        (day + timedelta(days=2), Decimal("25.00")),
        (day + timedelta(days=3), Decimal("25.00")),
    ]


def test_a_running_rollup_holds_the_lock_and_a_dead_holder_leaves_none(small):
    """On PostgreSQL the lock is an advisory lock of the holder's session: closing the
    holder's connection (as a killed worker's closes) frees it at once. The embedded
    default's cache lock expires on its own."""
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg2

        params = connection.get_connection_params()
        holder = psycopg2.connect(**params)
        with holder.cursor() as cursor:
            cursor.execute(
                rollup.ADVISORY_LOCK_SQL.format("pg_advisory_lock"),
                [rollup.ADVISORY_LOCK_ID],
            )
        with pytest.raises(RollupBusy):
            rollup_run(day=DAY)
        holder.close()  # the holder dies; its server process ends a moment later
    else:
        cache.add(rollup.LOCK_KEY, "another-worker", timeout=1)
        with pytest.raises(RollupBusy):
            rollup_run(day=DAY)
        cache.delete(rollup.LOCK_KEY)  # the holder's lock expires (timeout)
    deadline = time.monotonic() + 10
    while True:
        try:
            count = rollup_run(day=DAY)
            break
        except RollupBusy:
            assert time.monotonic() < deadline, "the dead holder's lock stayed"
            time.sleep(0.05)
    assert count > 0
    assert cache.get(rollup.LOCK_KEY) is None


def test_a_burst_of_requests_gives_one_run(small, caplog):
    cache.delete(ROLLUP_SCHEDULED_KEY)
    with caplog.at_level("INFO", logger="objectives.services.rollup"):
        for _ in range(5):
            request_rollup()
    assert [r.message for r in caplog.records].count("rollup.done") == 1
    cache.delete(ROLLUP_SCHEDULED_KEY)


def test_rollup_query_count_does_not_grow_with_data(
    small, django_assert_max_num_queries
):
    with django_assert_max_num_queries(24) as before:
        rollup_compute(day=DAY)
    for index in range(20):
        ImplementationFactory(
            action=ActionFactory(outcome=small["o2"], code=f"X{index}"),
            organisation=small["m1"],
        )
    with django_assert_max_num_queries(24) as after:
        rollup_compute(day=DAY)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_stored_rows_equal_the_computed_rows_on_the_demo_data():
    """The database's summing (PostgreSQL) and the Python one give the same rows."""
    from objectives.devtools.demo import demo_data_load

    demo_data_load()
    ProgressSnapshot.objects.all().delete()  # the demo's own rollup is of today
    rollup_run(day=DAY)
    stored = snapshot_values(ProgressSnapshot.objects.filter(date=DAY))
    assert len(stored) > 500
    assert stored == snapshot_values(rollup_compute(day=DAY))


def test_stored_rollup_query_count_does_not_grow_with_data(
    small, postgres, django_assert_max_num_queries
):
    """On PostgreSQL the write is one statement. (SQLite's bulk insert is split into
    batches by its limit on parameters, so its count grows with the rows written.)"""
    with django_assert_max_num_queries(30) as before:
        rollup_run(day=DAY)
    for index in range(20):
        ImplementationFactory(
            action=ActionFactory(outcome=small["o2"], code=f"X{index}"),
            organisation=small["m1"],
        )
    with django_assert_max_num_queries(30) as after:
        rollup_run(day=DAY)
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_benchmark_compares_the_rollup_with_raw_sql_on_the_same_figures(
    postgres, tmp_path, capsys
):
    """A small run of the benchmark: both sides produce the same rows, and the memory is
    read from a process of its own. (Sized so that every node has data: the rollup also
    writes rows for empty nodes, which a GROUP BY cannot.)"""
    import json

    from django.core.management import call_command

    report = tmp_path / "bench.json"
    call_command(
        "benchmark_rollup",
        implementations=150,
        updates=1500,
        missions=5,
        repeat=1,
        json_path=str(report),
    )

    results = json.loads(report.read_text())
    assert results["rollup_rows"] == results["raw_sql_rows"]
    assert results["implementations"] == 150
    assert 20 < results["rollup_process_max_rss_mb"] < 500
    assert "Target (rollup <= 1.5 x raw SQL, under 500 MB), first run" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("weights", "progresses", "expected"),
    [
        # 0.01 / 2 = 0.005: half up gives 0.01 (half to even would give 0.00)
        ((Decimal("0.01"), Decimal("1.99")), (1, 0), Decimal("0.01")),
        # 0.25 / 2 = 0.125: half up gives 0.13 (half to even would give 0.12)
        ((Decimal("0.25"), Decimal("1.75")), (1, 0), Decimal("0.13")),
        # 2 * 3 / 6 = 1: no edge, the control
        ((Decimal("3.00"), Decimal("3.00")), (2, 0), Decimal("1.00")),
    ],
)
def test_both_paths_round_the_same_on_a_rounding_edge(
    write_path, weights, progresses, expected
):
    """The SQL path names the Python function it mirrors; on a value that sits exactly
    half-way between two hundredths, both round it up."""
    from tests.stakeholders.factories import OrganisationFactory as Missions

    mission = Missions(code="EDGE")
    outcome = OutcomeFactory()
    for weight, progress in zip(weights, progresses, strict=True):
        ImplementationFactory(
            action=ActionFactory(outcome=outcome, weight=weight),
            organisation=mission,
            status="on_track",
            progress=progress,
        )
    rollup_run(day=DAY)
    stored = ProgressSnapshot.objects.current().get(
        audience="internal",
        node_type="outcome",
        node_id=outcome.pk,
        organisation__isnull=True,
    )
    assert stored.progress == expected
    computed = [
        row
        for row in rollup_compute(day=DAY)
        if (row.audience, row.node_type, row.node_id, row.organisation_id)
        == ("internal", "outcome", outcome.pk, None)
    ]
    assert [row.progress for row in computed] == [expected]
