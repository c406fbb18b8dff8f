"""Generated data at scale: deterministic, consistent, replaceable; and the benchmark."""

import json

import pytest
from django.core.management import call_command

from objectives.devtools.scale_data import Scale, scale_data_generate
from objectives.models import Implementation, StatusUpdate
from stakeholders.permissions import REPORT_PROGRESS, organisations_with

pytestmark = pytest.mark.django_db

SMALL = Scale(missions=3, actions=12, implementations=30, updates=300, users=10)


def _fingerprint():
    return list(
        StatusUpdate.objects.filter(
            implementation__action__outcome__objective__strategy__code="SCALE"
        )
        .order_by("pk")
        .values_list(
            "status", "progress", "review_state", "sensitivity", "cleared_for_public"
        )
    )


def test_generation_is_deterministic_and_consistent(reference_data):
    counts = scale_data_generate(scale=SMALL)
    assert counts == {
        "missions": 3,
        "actions": 12,
        "implementations": 30,
        "status_updates": 300,
        "users": 10,
    }
    first = _fingerprint()
    scale_data_generate(scale=SMALL)  # a second run replaces the first
    assert _fingerprint() == first
    implementations = Implementation.objects.filter(action__code__startswith="A")
    for implementation in implementations.select_related(
        "current_update", "public_update"
    ):
        current = implementation.current_update
        if current is not None:
            assert current.review_state == "accepted"
            assert (implementation.status, implementation.progress) == (
                current.status,
                current.progress,
            )
        if implementation.public_update is not None:
            assert implementation.public_update.cleared_for_public


def test_generated_data_has_six_rounds_with_frozen_figures(reference_data):
    from objectives.models import ReportingRound, RoundFigure

    scale_data_generate(scale=SMALL)
    rounds = list(
        ReportingRound.objects.filter(strategy__code="SCALE").order_by("period_start")
    )
    assert len(rounds) == 6
    assert [r.is_open for r in rounds] == [False] * 5 + [True]
    assert all(RoundFigure.objects.filter(round=r).exists() for r in rounds[:5])
    reported = StatusUpdate.objects.filter(round__in=rounds)
    assert reported.exists()
    for update in reported.select_related("round")[:50]:
        assert update.submitted_at.date() >= update.round.opens_on


def test_generated_people_report_for_their_own_mission(reference_data):
    scale_data_generate(scale=SMALL)
    from django.contrib.auth import get_user_model

    focal = get_user_model().objects.get(username="scale-0000")
    assert [o.code for o in organisations_with(focal, REPORT_PROGRESS)] == ["SCALE-M00"]


def test_benchmark_reports_every_page_against_its_bounds(
    postgres, reference_data, pdf_renderer, tmp_path, capsys
):
    scale_data_generate(scale=SMALL)
    report = tmp_path / "benchmark.json"
    call_command("benchmark", repeat=3, json_path=str(report), pdf_repeat=1)
    document = json.loads(report.read_text())
    results = {r["name"]: r for r in document["results"]}
    for name in (
        "public home",
        "leadership dashboard",
        "My actions",
        "implementation list API, 50",
        "strategy tree API",
        "review queue, to accept",
        "round page",
        "round completeness API",
        "round changes API",
        "dashboard, a mission and a goal",
        "dashboard, by status (live)",
        "dashboard, a closed round",
        "briefing page",
    ):
        # The public home is served from its cache: no query at all.
        assert (results[name]["queries"] == 0) == (name == "public home")
        assert results[name]["p95_ms"] >= results[name]["p50_ms"] > 0
        assert results[name]["ratio_to_bounds"] > 0
    assert "Object permission overhead" in capsys.readouterr().out
    for language in ("en", "ar"):
        assert document["briefing_pdf"][language]["pages"] > 1
        assert document["briefing_pdf"][language]["median_s"] > 0
