"""The rounds pages, their export and the rounds API, as each role uses them."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from objectives.models import ReportingRound, RoundFigure
from objectives.services import rounds as round_services
from objectives.services import workflow
from tests.signing_in import sign_in

from .conftest import add_update
from .factories import ActionFactory, ImplementationFactory

pytestmark = pytest.mark.django_db


def _open(world, name="2026-Q3", **dates) -> ReportingRound:
    values = {
        "period_start": datetime.date(2026, 7, 1),
        "period_end": datetime.date(2026, 9, 30),
        "opens_on": datetime.date(2026, 10, 1),
        "deadline": datetime.date(2026, 10, 31),
        **dates,
    }
    return round_services.round_open(
        strategy=world.minusca_implementation.action.outcome.objective.strategy,
        actor=world.users["manager"],
        name=name,
        **values,
    )


def test_the_manager_opens_the_next_round_from_a_filled_form(client, world):
    sign_in(client, world.users["manager"])
    page = client.get(reverse("objectives:rounds"))
    form = page.context["open_form"]
    assert form.initial["name"].startswith("20")
    strategy = world.minusca_implementation.action.outcome.objective.strategy
    refused = client.post(
        reverse("objectives:rounds"),
        {
            "strategy": strategy.code,
            "name": "2026-Q4",
            "period_start": "2026-12-31",
            "period_end": "2026-10-01",
            "opens_on": "2027-01-01",
            "deadline": "not a day",
        },
    )
    assert refused.status_code == 400
    errors = refused.context["open_form"].errors
    assert "deadline" in errors
    assert not ReportingRound.objects.exists()
    response = client.post(
        reverse("objectives:rounds"),
        {
            "strategy": strategy.code,
            "name": "2026-Q4",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "opens_on": "2027-01-01",
            "deadline": "2027-01-31",
        },
        follow=True,
    )
    opened = ReportingRound.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "objectives:round-detail", args=[opened.pk]
    )
    assert "Round 2026-Q4 is open" in response.content.decode()
    # Every signed-in page shows it; a report submitted now belongs to it.
    sign_in(client, world.users["minusca-focal"])
    html = client.get(reverse("objectives:my-actions")).content.decode()
    assert "Reporting round 2026-Q4" in html
    update = workflow.status_update_save(
        implementation=world.minusca_implementation,
        actor=world.users["minusca-focal"],
        content=workflow.UpdateContent(status="on_track", progress=10),
        submit=True,
        expected_version=None,
    )
    assert update.round == opened


def test_closing_and_reopening_from_the_page(client, world):
    reporting_round = _open(world)
    address = reverse("objectives:round-detail", args=[reporting_round.pk])
    sign_in(client, world.users["manager"])
    response = client.post(address, {"close": "1"}, follow=True)
    assert "its figures are frozen" in response.content.decode()
    assert RoundFigure.objects.filter(round=reporting_round).exists()
    missing_reason = client.post(address, {"reopen": "1", "reason": "  "})
    assert missing_reason.status_code == 400
    assert "reason" in missing_reason.context["reopen_form"].errors
    reporting_round.refresh_from_db()
    assert reporting_round.closed_at is not None
    response = client.post(
        address,
        {"reopen": "1", "reason": "UNMISS reported late by e-mail."},
        follow=True,
    )
    html = response.content.decode()
    assert "Reopened: UNMISS reported late by e-mail." in html
    reporting_round.refresh_from_db()
    assert reporting_round.is_open


def test_an_approver_sees_their_mission_on_the_round_page(client, world):
    reporting_round = _open(world)
    sign_in(client, world.users["minusca-approver"])
    response = client.get(reverse("objectives:round-detail", args=[reporting_round.pk]))
    completeness = response.context["completeness"]
    assert [row.item.code for row in completeness.by_mission] == ["MINUSCA"]
    assert {i.organisation.code for i in response.context["page"].object_list} == {
        "MINUSCA"
    }
    assert "Close the round" not in response.content.decode()


def test_missing_reports_are_named_after_the_deadline(client, world):
    reporting_round = _open(world)  # its deadline has passed
    sign_in(client, world.users["manager"])
    response = client.get(
        reverse("objectives:round-detail", args=[reporting_round.pk]),
        {"show": "missing"},
    )
    html = response.content.decode()
    assert "Report missing" in html
    assert [row.round_stage for row in response.context["page"].object_list] == [
        "missing",
        "missing",
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_round_export_reads_back_as_a_finished_sheet(client, world, language):
    reporting_round = _open(world)
    sign_in(client, world.users["manager"])
    response = client.get(
        f"/{language}/rounds/{reporting_round.pk}/reports.xlsx",
    )
    assert response.status_code == 200
    about, sheet = load_workbook(io.BytesIO(response.content)).worksheets
    assert "2026-Q3" in {value for _label, value in about.values}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"
    assert bool(sheet.sheet_view.rightToLeft) == (language == "ar")
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"MINUSCA", "UNMISS"}
    assert all(row[0] == "2026-Q3" for row in rows[1:])


def _grow(world, count: int) -> None:
    outcome = world.minusca_implementation.action.outcome
    for index in range(count):
        action = ActionFactory(outcome=outcome, code=f"A9.{index}")
        for mission in (world.minusca, world.unmiss):
            implementation = ImplementationFactory(action=action, organisation=mission)
            add_update(implementation, world.users["minusca-focal"], "submitted")


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("manager", "rounds"),
        ("manager", "detail"),
        ("minusca-approver", "detail"),
        ("manager", "api-completeness"),
        ("manager", "api-changes"),
        ("minusca-approver", "api-changes"),
    ],
)
def test_rounds_keep_a_fixed_query_count(
    client, world, django_assert_max_num_queries, username, path
):
    closed = _open(
        world,
        name="2026-Q2",
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        opens_on=datetime.date(2026, 7, 1),
        deadline=datetime.date(2026, 7, 31),
    )
    round_services.round_close(reporting_round=closed, actor=world.users["manager"])
    reporting_round = _open(world)
    address = {
        "rounds": reverse("objectives:rounds"),
        "detail": reverse("objectives:round-detail", args=[reporting_round.pk]),
        "api-completeness": f"/api/v1/reporting-rounds/{reporting_round.pk}/completeness/",
        "api-changes": f"/api/v1/reporting-rounds/{reporting_round.pk}/changes/",
    }[path]
    sign_in(client, world.users[username])
    assert client.get(address).status_code == 200
    with django_assert_max_num_queries(40) as small:
        client.get(address)
    _grow(world, 30)
    with django_assert_max_num_queries(40) as large:
        assert client.get(address).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_rounds_api_opens_refuses_and_reports(client, world):
    sign_in(client, world.users["manager"])
    strategy = world.minusca_implementation.action.outcome.objective.strategy
    body = {
        "strategy": strategy.code,
        "name": "2026-Q3",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "opens_on": "2026-10-01",
        "deadline": "2026-10-31",
    }
    bad = client.post(
        "/api/v1/reporting-rounds/",
        {**body, "period_end": "2026-06-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "period" in bad.content.decode()
    created = client.post(
        "/api/v1/reporting-rounds/", body, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["is_open"] is True
    again = client.post(
        "/api/v1/reporting-rounds/",
        {**body, "name": "2026-Q4"},
        content_type="application/json",
    )
    assert again.status_code == 409
    round_id = created.json()["id"]
    completeness = client.get(
        f"/api/v1/reporting-rounds/{round_id}/completeness/"
    ).json()
    assert completeness["total"]["expected"] == 2
    assert completeness["deadline_passed"] is True
    assert {row["code"] for row in completeness["by_mission"]} == {"MINUSCA", "UNMISS"}
    narrowed = client.get(
        f"/api/v1/reporting-rounds/{round_id}/completeness/", {"mission": "UNMISS"}
    ).json()
    assert [row["code"] for row in narrowed["by_mission"]] == ["UNMISS"]
    unknown = client.get(
        f"/api/v1/reporting-rounds/{round_id}/completeness/", {"mission": "NOPE"}
    ).json()
    assert unknown["by_mission"] == []
    closed = client.post(f"/api/v1/reporting-rounds/{round_id}/close/")
    assert closed.json()["is_open"] is False
    figures = client.get("/api/v1/round-figures/", {"round": round_id}).json()
    assert figures["count"] > 0
    reopen = client.post(
        f"/api/v1/reporting-rounds/{round_id}/reopen/",
        {},
        content_type="application/json",
    )
    assert reopen.status_code == 400
    assert "reason" in reopen.json()["errors"] or "reason" in reopen.content.decode()
