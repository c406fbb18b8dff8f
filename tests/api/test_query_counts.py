"""Every list endpoint, the tree and the detail endpoints keep the same number of queries as the data grows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from objectives.choices import ReviewState
from objectives.services import rounds
from objectives.services.rollup import rollup_run
from tests.principles.factories import PrincipleFactory

from ..objectives.conftest import add_update
from ..objectives.factories import ActionFactory, ImplementationFactory
from ..stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/strategies/",
    "/api/v1/objectives/",
    "/api/v1/outcomes/",
    "/api/v1/actions/",
    "/api/v1/principles/",
    "/api/v1/stakeholder-groups/",
    "/api/v1/organisations/",
    "/api/v1/implementations/",
    "/api/v1/status-updates/",
    "/api/v1/progress-snapshots/",
    "/api/v1/reporting-rounds/",
    "/api/v1/round-figures/",
]
MAX_QUERIES = 12


def _grow(world, count: int, label: str) -> None:
    outcome = world.minusca_implementation.action.outcome
    principles = [PrincipleFactory() for _ in range(2)]
    for index in range(count):
        action = ActionFactory(outcome=outcome, code=f"{label}-{index}")
        action.principles.set(principles)
        mission = OrganisationFactory(
            code=f"{label}-M{index}", group=world.minusca.group
        )
        for organisation in (world.minusca, mission):
            implementation = ImplementationFactory(
                action=action, organisation=organisation
            )
            add_update(
                implementation, world.users["minusca-focal"], ReviewState.SUBMITTED
            )
            add_update(
                implementation, world.users["minusca-focal"], ReviewState.ACCEPTED
            )
    rollup_run(day=datetime.date(2026, 11, 23))
    # A closed round more, whose frozen figures hold every node and mission grown here.
    year = 2000 + count
    reporting_round = rounds.round_open(
        strategy=outcome.objective.strategy,
        actor=world.users["manager"],
        name=label,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 3, 31),
        opens_on=datetime.date(year, 4, 1),
        deadline=datetime.date(year, 4, 30),
    )
    rounds.round_close(reporting_round=reporting_round, actor=world.users["manager"])


def _counts(client, paths) -> dict[str, int]:
    """Each address read twice from an empty cache: built, then (the tree) from its cache."""
    counts = {}
    for path in paths:
        cache.clear()
        for label in ("", " again"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.content[:200])
            counts[path + label] = len(captured.captured_queries)
    return counts


@pytest.mark.parametrize("role", ["anonymous", "minusca-focal", "leader"])
def test_list_endpoints_keep_a_fixed_query_count(world, role):
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(world.users[role])
    strategy = world.minusca_implementation.action.outcome.objective.strategy
    paths = [
        *LISTS,
        f"/api/v1/strategies/{strategy.code}/tree/",
        f"/api/v1/strategies/{strategy.code}/",
        f"/api/v1/actions/{world.minusca_implementation.action_id}/",
    ]
    if role != "anonymous":  # nothing of these is cleared for the public
        paths += [
            f"/api/v1/implementations/{world.minusca_implementation.pk}/",
            f"/api/v1/status-updates/{world.updates[ReviewState.ACCEPTED].pk}/",
        ]
    _grow(world, 3, "SMALL")
    _counts(client, paths)  # warm the process-wide caches (content types, permissions)
    small = _counts(client, paths)
    _grow(world, 25, "LARGE")
    large = _counts(client, paths)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
