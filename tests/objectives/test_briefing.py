"""The dashboard as a briefing: the summary, the heatmap, the trends by round, the
briefing pack (page and PDF) and the mission view. Figures read from stored rows equal
those summed live; every figure follows the filters; nothing outside the reader's scope."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from objectives.choices import Audience, NodeType
from objectives.models import (
    BriefingPack,
    Implementation,
    ReportingRound,
    RollupRun,
    RoundFigure,
)
from objectives.selectors.dashboard import (
    RISK_REASONS,
    DashboardFilters,
    FiguresSource,
    leadership_dashboard,
)
from objectives.services.briefings import (
    briefing_pack_request,
    briefing_pack_run,
    briefing_render,
)
from principles.models import Principle
from tests.signing_in import sign_in

from .conftest import add_update
from .factories import ActionFactory, ImplementationFactory

pytestmark = pytest.mark.django_db
STRATEGY = "DTS-2021"


@pytest.fixture
def demo(demo_database, db):
    return demo_database


@pytest.fixture
def renders_pdf(pdf_renderer):
    """The tests that render a PDF."""


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _client(name: str) -> Client:
    client = Client()
    sign_in(client, _user(name))
    return client


def _figures(dashboard) -> dict:
    """Every figure of a dashboard, for comparing two ways of getting them."""

    def of(f):
        return (f.progress, f.implementation_count, f.past_due_count, f.status_counts)

    return {
        "overall": of(dashboard.overall),
        "goals": [(g.code, of(f)) for g, f in dashboard.goals],
        "missions": [m.code for m in dashboard.missions],
        "grid": [
            (g.code, [None if c is None else of(c) for c in row])
            for g, row in dashboard.grid
        ],
        "principles": [
            (c.item.code, c.action_count, c.figures.implementation_count)
            for c in dashboard.principles
        ],
        "principle_progress": [c.figures.progress for c in dashboard.principles],
    }


@pytest.mark.parametrize(
    "narrowed",
    [{}, {"mission": "MINUSCA"}, {"goal": "G2"}, {"mission": "UNMISS", "goal": "G1"}],
)
def test_stored_figures_equal_the_figures_summed_live(demo, narrowed):
    """The demo ran today's rollup, so the dashboard reads its snapshots; with the run's
    record gone it sums live. Both give the same figures (principles, which add stored
    action rows, within 0.01 point)."""
    leader = _user("leader")
    filters = DashboardFilters(strategy=STRATEGY, **narrowed)
    stored = leadership_dashboard(filters, user=leader)
    assert stored.source == FiguresSource.ROLLUP
    RollupRun.objects.all().delete()
    live = leadership_dashboard(filters, user=leader)
    assert live.source == FiguresSource.LIVE
    stored_figures, live_figures = _figures(stored), _figures(live)
    for a, b in zip(
        stored_figures.pop("principle_progress"),
        live_figures.pop("principle_progress"),
        strict=True,
    ):
        assert (a is None) == (b is None)
        if a is not None:
            assert abs(a - b) <= Decimal("0.01")
    assert stored_figures == live_figures
    assert stored.overall.implementation_count > 0


def test_waiting_acceptances_and_the_status_filter_make_the_figures_live(demo):
    leader = _user("leader")
    filters = DashboardFilters(strategy=STRATEGY, status="at_risk")
    narrowed = leadership_dashboard(filters, user=leader)
    assert narrowed.source == FiguresSource.LIVE
    assert narrowed.overall.implementation_count == narrowed.overall.status_counts.get(
        "at_risk"
    )
    implementation = Implementation.objects.filter(organisation__code="MINUSCA").first()
    add_update(implementation, _user("minusca-focal"), "accepted", progress=99)
    from objectives.services.rollup import rollup_requested

    rollup_requested()
    after = leadership_dashboard(DashboardFilters(strategy=STRATEGY), user=leader)
    assert after.source == FiguresSource.LIVE
    assert after.rollup_pending


def test_the_round_figures_are_kept_until_anything_they_read_changes(demo):
    """Completeness, changes and what needs attention come from the cache under a stamp
    of what they read; a new report changes the stamp, so they are never stale."""
    leader = _user("leader")
    filters = DashboardFilters(strategy=STRATEGY, mission="UNMISS")
    first = leadership_dashboard(filters, user=leader)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cached:
        again = leadership_dashboard(filters, user=leader)
    with CaptureQueriesContext(connection) as computed:
        cache.clear()
        leadership_dashboard(filters, user=leader)
    assert len(cached.captured_queries) < len(computed.captured_queries)
    assert again.completeness.total == first.completeness.total
    assert [i.pk for i in again.attention] == [i.pk for i in first.attention]
    assert again.risks[0].reason == first.risks[0].reason
    open_round = ReportingRound.objects.open().get()
    missing_before = first.completeness.total.missing
    unreported = (
        Implementation.objects.filter(organisation__code="UNMISS")
        .exclude(updates__round=open_round)
        .counted()
        .first()
    )
    update = add_update(unreported, _user("unmiss-focal"), "submitted", progress=5)
    update.round = open_round
    update.save(update_fields=["round"])
    after = leadership_dashboard(filters, user=leader)
    assert after.completeness.total.missing == missing_before - 1


def test_a_closed_round_is_briefed_from_the_figures_it_froze(demo):
    leader = _user("leader")
    closed = list(ReportingRound.objects.closed().order_by("-period_start")[:2])
    latest, before = closed
    dashboard = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY, round=str(latest.pk)), user=leader
    )
    assert dashboard.source == FiguresSource.ROUND
    assert dashboard.as_of == latest.closed_at
    frozen = RoundFigure.objects.get(
        round=latest,
        audience=Audience.INTERNAL,
        node_type=NodeType.STRATEGY,
        organisation__isnull=True,
    )
    assert dashboard.overall.progress == frozen.progress
    assert dashboard.overall.implementation_count == frozen.implementation_count
    assert dashboard.baseline == before
    assert dashboard.completeness.reporting_round == latest
    assert dashboard.changes.baseline == before
    assert dashboard.round_trend.rounds[-1] == latest
    assert dashboard.round_trend.overall[-1] == frozen.progress  # no "now" column
    page = _client("leader").get(f"/en/dashboard/?round={latest.pk}")
    assert f"Figures frozen when round {latest.name} closed" in page.content.decode()


def test_every_figure_follows_the_goal_and_mission_filters(demo):
    """Finding: in a goal drill-down the other goals showed "not reported 0 0 0", and
    principle counts ignored the filters while their progress followed them."""
    leader = _user("leader")
    everything = leadership_dashboard(DashboardFilters(strategy=STRATEGY), user=leader)
    narrowed = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY, goal="G1", mission="MINUSCA"), user=leader
    )
    assert [g.code for g, _f in narrowed.goals] == ["G1"]
    assert [m.code for m in narrowed.missions] == ["MINUSCA"]
    counted = Implementation.objects.counted().filter(
        organisation__code="MINUSCA", action__outcome__objective__code="G1"
    )
    assert narrowed.overall.implementation_count == counted.count()
    for coverage in narrowed.principles:
        expected = (
            counted.filter(action__principles=coverage.item)
            .values("action")
            .distinct()
            .count()
        )
        assert coverage.action_count == expected, coverage.item.code
    assert sum(c.action_count for c in narrowed.principles) < sum(
        c.action_count for c in everything.principles
    )
    assert {row.item.code for row in narrowed.completeness.by_goal} == {"G1"}
    assert {row.item.code for row in narrowed.completeness.by_mission} <= {"MINUSCA"}
    assert [n.node.code for n in narrowed.changes.nodes] == ["G1"]
    assert {n.organisation.code for n in narrowed.changes.missions} == {"MINUSCA"}
    for change in narrowed.changes.rises + narrowed.changes.falls:
        assert change.implementation.organisation.code == "MINUSCA"
    for implementation in narrowed.attention:
        assert implementation.organisation.code == "MINUSCA"
    # Every status table adds up to its total.
    assert sum(p["count"] for p in narrowed.status_parts) == counted.count()


def test_the_heatmap_ranks_missions_and_sorts_by_any_column(demo):
    leader = _user("leader")
    dashboard = leadership_dashboard(DashboardFilters(strategy=STRATEGY), user=leader)
    rows = dashboard.heatmap
    ranked = [r for r in rows if r.rank is not None]
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    progress = [r.total.progress for r in ranked]
    assert progress == sorted(progress, reverse=True)
    by_mission = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY, sort="mission"), user=leader
    ).heatmap
    assert [r.mission.code for r in by_mission] == sorted(r.mission.code for r in rows)
    by_g2 = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY, sort="G2"), user=leader
    ).heatmap
    g2 = [r.cells[1].progress for r in by_g2 if r.cells[1] is not None]
    assert g2 == sorted(g2, reverse=True)
    body = _client("leader").get("/en/dashboard/?sort=G2").content.decode()
    assert 'aria-sort="descending"' in body
    # Never colour alone: every coloured cell writes its number.
    cells = re.findall(r'<td class="num heat-[0-4]">(.*?)</td>', body, re.S)
    assert cells
    assert all(re.search(r"\d+(\.\d)?\u00a0%", cell) for cell in cells)


def test_the_most_serious_risks_come_first(demo):
    dashboard = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY), user=_user("leader")
    )
    severities = [i.severity for i in dashboard.attention]
    assert severities == sorted(severities)
    assert len(dashboard.risks) == 5
    assert dashboard.risks[0].reason == RISK_REASONS[1]
    # The demo's open round is past its deadline with reports missing: they count.
    missing = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY, mission="UNMISS"), user=_user("leader")
    )
    assert missing.completeness.total.missing > 0
    assert missing.attention_total >= missing.overall.status_counts.get(
        "off_track", 0
    ) + missing.overall.status_counts.get("at_risk", 0)


def test_the_summary_says_what_it_counts_and_when(demo):
    body = _client("leader").get("/en/dashboard/").content.decode()
    summary = body[body.index('id="summary"') : body.index('class="exports"')]
    assert "Data as of" in summary
    assert "How is this calculated?" in summary
    assert "points since" in summary
    assert "Most serious risks" in summary
    assert "Biggest movers since" in summary
    assert "expected reports submitted" in summary


def _arabic_text(pdf: bytes) -> tuple[list[str], int]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages], len(reader.pages)


def test_the_arabic_briefing_pdf_reads_in_logical_order_with_numbered_pages(
    demo, renders_pdf
):
    pdf, pages = briefing_render(
        DashboardFilters(strategy=STRATEGY), user=_user("leader"), language="ar"
    )
    assert pdf.startswith(b"%PDF")
    texts, count = _arabic_text(pdf)
    assert count == pages > 3
    whole = " ".join(" ".join(text.split()) for text in texts)
    principles = Principle.objects.filter(strategies__code=STRATEGY)
    assert principles.count() == 12
    for principle in principles:
        assert principle.name_ar, principle.code
        assert principle.name_ar in whole, principle.code
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {count}" in text, number
    assert "لوحة" in whole or "الإجمالي" in whole


def test_the_chinese_briefing_pdf_carries_its_glyphs(demo, renders_pdf):
    """A CJK font is installed and used: the goals' Chinese titles come out of the PDF
    as text, not as missing-glyph boxes."""
    from objectives.models import Objective

    pdf, _pages = briefing_render(
        DashboardFilters(strategy=STRATEGY), user=_user("leader"), language="zh-hans"
    )
    texts, _count = _arabic_text(pdf)
    whole = "".join("".join(text.split()) for text in texts)
    for goal in Objective.objects.filter(strategy__code=STRATEGY):
        assert "".join(goal.title_zh_hans.split()) in whole, goal.code


def test_a_briefing_pack_is_made_once_in_the_background_and_kept(demo, renders_pdf):
    leader, manager = _user("leader"), _user("manager")
    filters = DashboardFilters(strategy=STRATEGY, mission="MINUSCA")
    pack, queued = briefing_pack_request(filters, user=leader, language="en")
    assert queued
    assert pack.state == BriefingPack.State.QUEUED
    again, queued_again = briefing_pack_request(filters, user=manager, language="en")
    assert again.pk == pack.pk
    assert not queued_again
    other, queued_other = briefing_pack_request(filters, user=leader, language="ar")
    assert other.pk != pack.pk
    assert queued_other
    done = briefing_pack_run(pack_id=pack.pk)
    assert done.state == BriefingPack.State.SUCCEEDED
    assert done.pages > 1
    assert bytes(done.pdf).startswith(b"%PDF")
    assert briefing_pack_run(pack_id=pack.pk) is None  # done once
    page = _client("leader").get(f"/en/dashboard/briefing/packs/{pack.pk}/")
    assert "The PDF is ready" in page.content.decode()
    download = _client("manager").get(
        f"/en/dashboard/briefing/packs/{pack.pk}/briefing.pdf"
    )
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    # A mission's approver reads another scope: not this pack.
    approver = _client("minusca-approver")
    assert (
        approver.get(f"/en/dashboard/briefing/packs/{pack.pk}/briefing.pdf").status_code
        == 404
    )
    response = approver.post("/en/dashboard/briefing/pdf/", {"mission": "MINUSCA"})
    assert response.status_code == 302
    own = BriefingPack.objects.exclude(pk__in=[pack.pk, other.pk]).get()
    assert own.scope.startswith("missions:")
    assert own.requested_by.username == ("minusca-approver")
    assert approver.post("/en/dashboard/briefing/pdf/", {}).status_code == 403


def test_the_briefing_page_prints_without_navigation(demo):
    body = _client("leader").get("/en/dashboard/briefing/?mission=MINUSCA").content
    body = body.decode()
    assert "css/briefing.css" in body
    assert 'class="site-header"' not in body
    for heading in ("At a glance", "Goals", "Missions and goals", "Risks", "Method"):
        assert heading in body, heading
    assert "Make the PDF" in body


def test_the_mission_summary_shows_only_the_mission(demo):
    client = _client("minusca-approver")
    response = client.get("/en/missions/MINUSCA/summary/")
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert [m.code for m in dashboard.all_missions] == ["MINUSCA"]
    assert [m.code for m in dashboard.missions] == ["MINUSCA"]
    assert {i.organisation.code for i in dashboard.attention} == {"MINUSCA"}
    expected = Implementation.objects.counted().filter(organisation__code="MINUSCA")
    assert dashboard.overall.implementation_count == expected.count()
    body = response.content.decode()
    assert "UNMISS" not in body
    assert client.get("/en/missions/UNMISS/summary/").status_code == 403
    assert _client("minusca-focal").get(
        "/en/missions/MINUSCA/summary/"
    ).status_code == (403)


def test_leadership_lands_on_the_dashboard(demo, settings):
    # As in the embedded demo, which asks no second factor (tests/test_auth.py walks
    # the same with one).
    settings.SECOND_FACTOR_ROLES = []
    response = Client().post(
        "/en/accounts/login/",
        {"username": "leader", "password": "demo-peacekeeping"},
        follow=True,
    )
    assert response.request["PATH_INFO"] == "/en/dashboard/"


PAGES = [
    "/en/dashboard/",
    "/en/dashboard/?sort=G2",
    "/en/dashboard/?goal=G1",
    "/en/dashboard/?mission=MINUSCA&status=at_risk",
    "/en/dashboard/?round={closed}",
    "/en/dashboard/briefing/?round={closed}&mission=MINUSCA",
    "/en/missions/MINUSCA/summary/",
]


@pytest.mark.parametrize("path", PAGES)
def test_summary_heatmap_trends_and_pack_keep_their_query_count(
    demo, path, django_assert_max_num_queries
):
    """At two sizes: the demo, then 30 more implementations, their reports and one
    more closed round."""
    closed = ReportingRound.objects.closed().order_by("-period_start").first()
    url = path.format(closed=closed.pk)
    client = _client("manager" if "missions" in path else "leader")
    client.get(url)
    cache.clear()  # counted uncached: the round figures are kept under a stamp
    with django_assert_max_num_queries(60) as before:
        assert client.get(url).status_code == 200
    _grow()
    cache.clear()
    with django_assert_max_num_queries(60) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_pdf_keeps_its_query_count(
    demo, renders_pdf, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    filters = DashboardFilters(strategy=STRATEGY)
    with CaptureQueriesContext(connection) as before:
        briefing_render(filters, user=_user("leader"), language="en")
    _grow()
    cache.clear()
    with django_assert_max_num_queries(len(before.captured_queries)):
        briefing_render(filters, user=_user("leader"), language="en")


def _grow() -> None:
    from objectives.services.rounds import round_close, round_open
    from stakeholders.models import Organisation

    open_round = ReportingRound.objects.open().get()
    outcome = Implementation.objects.order_by("pk").first().action.outcome
    minusca = Organisation.objects.get(code="MINUSCA")
    for index in range(30):
        implementation = ImplementationFactory(
            action=ActionFactory(outcome=outcome, code=f"GROW-{index}"),
            organisation=minusca,
            status="at_risk",
        )
        add_update(implementation, _user("minusca-focal"), "accepted", progress=40)
    round_close(reporting_round=open_round, actor=_user("manager"))
    # The next round opens past its deadline too, as the demo's open round is.
    round_open(
        strategy=open_round.strategy,
        actor=_user("manager"),
        name="GROWTH",
        period_start=open_round.period_end + datetime.timedelta(days=1),
        period_end=open_round.period_end + datetime.timedelta(days=2),
        opens_on=open_round.opens_on,
        deadline=open_round.deadline,
    )


def test_a_reader_who_may_read_nothing_gets_empty_round_figures(demo):
    from django.contrib.auth.models import AnonymousUser

    from objectives.selectors.rounds import round_changes, round_completeness

    open_round = ReportingRound.objects.open().get()
    nobody = AnonymousUser()
    assert round_completeness(open_round, nobody).total.expected == 0
    changes = round_changes(strategy=open_round.strategy, user=nobody)
    assert changes.rises == []
    assert changes.falls == []


def test_what_needs_attention_counts_each_kind_once(demo):
    """Off track, at risk, open work whose round report is missing past the deadline,
    and past due date: each implementation once, whatever the reasons it has."""
    from django.utils import timezone

    from objectives.selectors.rounds import missing_reports

    leader = _user("leader")
    dashboard = leadership_dashboard(
        DashboardFilters(strategy=STRATEGY, mission="UNMISS"), user=leader
    )
    open_round = ReportingRound.objects.open().get()
    assert open_round.deadline_passed
    today = timezone.localdate()
    done = {"completed", "cancelled", "not_applicable"}
    missing = {
        i.pk
        for i in missing_reports(open_round, leader).filter(organisation__code="UNMISS")
        if i.status not in done
    }
    expected = set()
    for i in (
        Implementation.objects.counted()
        .filter(organisation__code="UNMISS")
        .select_related("action")
    ):
        due = i.due_date or i.action.due_date
        past_due = due is not None and due < today and i.status not in done
        if i.status in ("off_track", "at_risk") or i.pk in missing or past_due:
            expected.add(i.pk)
    assert missing  # the demo's open round has reports missing in UNMISS
    assert dashboard.attention_total == len(expected)
    assert {i.pk for i in dashboard.attention} <= expected


def test_old_briefing_packs_are_deleted(demo):
    import datetime

    from django.utils import timezone

    from objectives.services.briefings import briefing_packs_prune

    leader = _user("leader")
    old, _queued = briefing_pack_request(
        DashboardFilters(strategy=STRATEGY), user=leader, language="en"
    )
    new, _queued = briefing_pack_request(
        DashboardFilters(strategy=STRATEGY), user=leader, language="fr"
    )
    BriefingPack.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert briefing_packs_prune() == 1
    assert list(BriefingPack.objects.values_list("pk", flat=True)) == [new.pk]
