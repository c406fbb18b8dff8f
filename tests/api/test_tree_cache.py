"""The strategy tree is served from its cache until anything it shows changes."""

import pytest

from objectives.models import Implementation
from objectives.services.rollup import rollup_run

pytestmark = pytest.mark.django_db


def _tree(client, strategy):
    response = client.get(f"/api/v1/strategies/{strategy.code}/tree/")
    assert response.status_code == 200
    return response


def test_second_read_is_the_same_bytes_with_fewer_queries(
    world, api, django_assert_max_num_queries
):
    strategy = world.minusca_implementation.action.outcome.objective.strategy
    leader = api("leader")
    first = _tree(leader, strategy)
    with django_assert_max_num_queries(6) as cached:
        second = _tree(leader, strategy)
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    with django_assert_max_num_queries(20) as fresh:
        _tree(api("anonymous"), strategy)  # another audience: its own entry
    assert len(cached.captured_queries) < len(fresh.captured_queries)


def test_an_edit_a_new_action_or_a_rollup_gives_a_fresh_tree(world, api):
    from tests.objectives.factories import ActionFactory

    implementation: Implementation = world.minusca_implementation
    action = implementation.action
    strategy = action.outcome.objective.strategy
    leader = api("leader")
    assert _tree(leader, strategy).json()["rollup"]["implementation_count"] == 0

    action.title_en = "Appoint digital focal points everywhere"
    action.save()
    served = _tree(leader, strategy).json()["goals"][0]["outcomes"][0]["actions"][0]
    assert served["title"]["en"] == "Appoint digital focal points everywhere"

    ActionFactory(outcome=action.outcome, code="A1.1.9")
    codes = [
        a["code"]
        for a in _tree(leader, strategy).json()["goals"][0]["outcomes"][0]["actions"]
    ]
    assert "A1.1.9" in codes

    rollup_run()
    assert _tree(leader, strategy).json()["rollup"]["implementation_count"] == 2
