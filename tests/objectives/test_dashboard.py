"""The leadership dashboard: the same figures as the rollup, fixed query count, access."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from objectives.choices import Audience, NodeType
from objectives.models import Implementation, ProgressSnapshot
from objectives.selectors.dashboard import DashboardFilters, leadership_dashboard
from objectives.services.rollup import rollup_compute
from tests.signing_in import sign_in

from .conftest import add_update
from .factories import ActionFactory, ImplementationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo(demo_database, db):
    return demo_database


def test_dashboard_figures_equal_the_rollup(demo):
    reported = Implementation.objects.order_by("pk").first().action.outcome.objective
    dashboard = leadership_dashboard(
        DashboardFilters(strategy=reported.strategy.code),
        user=User.objects.get(username="leader"),
    )
    assert dashboard.overall.implementation_count > 0
    strategy = dashboard.strategy
    rows = {
        (r.node_type, r.node_id, r.organisation_id): r
        for r in rollup_compute(day=timezone.localdate())  # past due: judged today
        if r.audience == Audience.INTERNAL and r.strategy_id == strategy.pk
    }
    overall = rows[(NodeType.STRATEGY, strategy.pk, None)]
    assert (dashboard.overall.progress, dashboard.overall.implementation_count) == (
        overall.progress,
        overall.implementation_count,
    )
    assert dashboard.overall.past_due_count == overall.past_due_count
    for goal, figures in dashboard.goals:
        row = rows[(NodeType.OBJECTIVE, goal.pk, None)]
        assert (figures.progress, figures.past_due_count) == (
            row.progress,
            row.past_due_count,
        )
    for goal, cells in dashboard.grid:
        for mission, figures in zip(dashboard.missions, cells, strict=True):
            row = rows.get((NodeType.OBJECTIVE, goal.pk, mission.pk))
            assert (figures.progress if figures else None) == (
                row.progress if row else None
            )
    assert len(dashboard.principles) == strategy.principles.count()
    assert len(dashboard.stakeholder_groups) == strategy.stakeholder_groups.count()
    # A principle's figures are those of the implementations of its actions.
    for coverage in dashboard.principles:
        implementations = Implementation.objects.filter(
            action__principles=coverage.item,
            action__archived_at__isnull=True,
            archived_at__isnull=True,
            action__outcome__objective__strategy=strategy,
        )
        assert coverage.figures.implementation_count == implementations.count()
    assert dashboard.attention_total >= len(dashboard.attention)


def test_the_trend_carries_each_figure_until_it_changes(demo):
    """Rollups three days ago and today: the trend has a point for each of those four
    days, the figure of three days ago held until today's."""

    from objectives.services.rollup import rollup_run

    today = timezone.localdate()
    ProgressSnapshot.objects.all().delete()  # the demo's own rollup is of today
    rollup_run(day=today - datetime.timedelta(days=3))
    Implementation.objects.update(progress=100)
    rollup_run(day=today)
    strategy = Implementation.objects.order_by("pk").first().action.outcome.objective
    dashboard = leadership_dashboard(
        DashboardFilters(strategy=strategy.strategy.code),
        user=User.objects.get(username="leader"),
    )

    days = [today - datetime.timedelta(days=back) for back in (3, 2, 1, 0)]
    assert [day for day, _ in dashboard.trend] == days
    earlier = {progress for _, progress in dashboard.trend[:3]}
    assert len(earlier) == 1
    assert dashboard.trend[-1][1] == dashboard.overall.progress
    assert earlier != {dashboard.overall.progress}


def test_dashboard_page_for_leadership_only(demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client = Client()
    assert client.get("/en/dashboard/").status_code == 302
    sign_in(client, users.get(username="minusca-focal"))
    assert client.get("/en/dashboard/").status_code == 403
    sign_in(client, users.get(username="leader"))
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()
    for heading in (
        "Overall progress",
        "Missions and goals",
        "Principle coverage",
        "Needs attention",
        "Stakeholder groups",
    ):
        assert heading in body
    assert 'href="/en/dashboard/"' in body  # in the navigation


def test_filters_and_needs_attention_give_names_beside_codes(demo):
    """Finding: "Needs attention" and the filters showed codes (A1.3.3, G1, DTS-2021)
    without names."""
    from django.contrib.auth import get_user_model

    from objectives.models import Objective, Strategy
    from stakeholders.models import Organisation

    client = Client()
    sign_in(client, get_user_model().objects.get(username="leader"))
    response = client.get("/en/dashboard/")
    body = response.content.decode()
    strategy = Strategy.objects.get(code="DTS-2021")
    goal = Objective.objects.get(strategy=strategy, code="G1")
    mission = Organisation.objects.get(code="MINUSCA")
    assert f">DTS-2021 · {strategy.title_en}</option>" in body
    assert f">G1 · {goal.title_en}</option>" in body
    assert f">MINUSCA · {mission.name_en}</option>" in body
    first = response.context["d"].attention[0]
    assert f"{first.action.code} {first.action.title_en}</a>" in body


@pytest.mark.parametrize("narrowed", ["", "&goal=G1&mission=MINUSCA&status=at_risk"])
def test_dashboard_query_count_does_not_grow(
    demo, django_assert_max_num_queries, narrowed
):
    from django.contrib.auth import get_user_model

    client = Client()
    leader = get_user_model().objects.get(username="leader")
    sign_in(client, leader)
    outcome = Implementation.objects.order_by("pk").first().action.outcome
    url = f"/en/dashboard/?strategy={outcome.objective.strategy.code}{narrowed}"
    client.get(url)
    cache.clear()  # counted uncached: the round figures are kept under a stamp
    with django_assert_max_num_queries(50) as before:
        assert client.get(url).status_code == 200
    mission = leader.__class__.objects.get(username="minusca-focal")
    from stakeholders.models import Organisation

    for index in range(30):
        implementation = ImplementationFactory(
            action=ActionFactory(outcome=outcome, code=f"MORE-{index}"),
            organisation=Organisation.objects.get(code="MINUSCA"),
            status="at_risk",
        )
        add_update(implementation, mission, "submitted")
    cache.clear()
    with django_assert_max_num_queries(50) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


def _leader_client() -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    sign_in(client, get_user_model().objects.get(username="leader"))
    return client


def test_exports_list_the_implementations_filtered_as_on_screen(demo):
    import csv
    import io

    from openpyxl import load_workbook

    client = _leader_client()
    query = "strategy=DTS-2021&mission=MINUSCA&goal=G1"
    dashboard = client.get(f"/en/dashboard/?{query}").context["dashboard"]
    expected = Implementation.objects.filter(
        organisation__code="MINUSCA",
        action__outcome__objective__code="G1",
        action__outcome__objective__strategy__code="DTS-2021",
        archived_at__isnull=True,
        action__archived_at__isnull=True,
    )
    assert dashboard.overall.implementation_count == expected.count() > 0
    assert dashboard.breakdown.goal.code == "G1"

    response = client.get(f"/fr/dashboard/implementations.csv?{query}")
    assert response["Content-Disposition"].startswith('attachment; filename="DTS-2021-')
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert rows[0][:3] == ["Objectif", "Résultat", "Action"]  # the reader's language
    assert len(rows) - 1 == expected.count()
    assert {row[4] for row in rows[1:]} == {"MINUSCA"}
    assert {row[0] for row in rows[1:]} == {"G1"}

    response = client.get(f"/en/dashboard/implementations.xlsx?{query}&status=at_risk")
    sheet = load_workbook(io.BytesIO(response.content))["Implementations"]
    values = list(sheet.values)
    assert values[0][:3] == ("Goal", "Outcome", "Action")
    assert len(values) - 1 == expected.filter(status="at_risk").count()
    assert all(row[5] == "At risk" for row in values[1:])


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_xlsx_export_needs_no_reformatting(demo, language):
    """Finding: the due-date column was empty in every row, no widths, filters or frozen
    header, the Arabic sheet ran left to right, and an internal version column showed."""
    import io

    from openpyxl import load_workbook

    client = _leader_client()
    response = client.get(
        f"/{language}/dashboard/implementations.xlsx?strategy=DTS-2021&mission=MINUSCA"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    about, sheet = workbook.worksheets
    rows = list(sheet.values)
    headings = rows[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{chr(64 + len(headings))}{len(rows)}"
    assert bool(sheet.sheet_view.rightToLeft) == (language == "ar")
    assert bool(about.sheet_view.rightToLeft) == (language == "ar")
    assert all(
        sheet.column_dimensions[chr(65 + i)].width >= 12 for i in range(len(headings))
    )
    due = headings.index("Due date" if language == "en" else _due_date_in_arabic())
    assert all(isinstance(row[due], datetime.datetime) for row in rows[1:])
    assert "Version" not in headings
    # The first sheet names what the export was narrowed to, and its columns.
    named = list(about.values)
    assert "MINUSCA" in {value for _label, value in named}
    assert set(headings) <= {label for label, _value in named}


def _due_date_in_arabic() -> str:
    from django.utils import translation

    with translation.override("ar"):
        return str(translation.gettext("Due date"))


def test_exports_are_for_leadership_only(demo):
    from django.contrib.auth import get_user_model

    client = Client()
    assert client.get("/en/dashboard/implementations.csv").status_code == 302
    sign_in(client, get_user_model().objects.get(username="minusca-focal"))
    assert client.get("/en/dashboard/implementations.csv").status_code == 403
    assert _leader_client().get("/en/dashboard/implementations.txt").status_code == 404


def test_export_query_count_does_not_grow(demo, django_assert_max_num_queries):
    client = _leader_client()
    outcome = Implementation.objects.order_by("pk").first().action.outcome
    url = "/en/dashboard/implementations.xlsx"
    client.get(url)
    with django_assert_max_num_queries(10) as before:
        assert client.get(url).status_code == 200
    from stakeholders.models import Organisation

    for index in range(30):
        ImplementationFactory(
            action=ActionFactory(outcome=outcome, code=f"MORE-{index}"),
            organisation=Organisation.objects.get(code="MINUSCA"),
        )
    with django_assert_max_num_queries(10) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
