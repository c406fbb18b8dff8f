"""The review page sorts the work: stages with their counts, filters, paging, titles
beside codes, and several updates handled at once, each succeeding or failing on its own.

Finding: the strategy manager's page said "386 updates wait for your review" and listed
the oldest 25 (all waiting for clearance), with no stage, filter, paging or bulk action."""

import pytest
from django.urls import reverse

from objectives.choices import ReviewState, Sensitivity
from objectives.models import StatusUpdate
from tests.signing_in import sign_in

from .conftest import add_update
from .factories import ImplementationFactory

pytestmark = pytest.mark.django_db
URL = reverse("objectives:review-queue")


def _stages(response) -> dict[str, int]:
    return {value: count for value, _label, count in response.context["stages"]}


def test_each_person_sees_their_stages_with_counts(client, world):
    sign_in(client, world.users["manager"])
    manager = _stages(client.get(URL))
    # Approved → to accept; accepted unclassified not cleared → to clear.
    assert manager == {"to_approve": 0, "to_accept": 1, "to_clear": 1, "returned": 0}
    sign_in(client, world.users["minusca-approver"])
    approver = _stages(client.get(URL))
    assert approver == {"to_approve": 2, "returned": 0}
    sign_in(client, world.users["unmiss-focal"])
    assert _stages(client.get(URL)) == {"to_approve": 0, "returned": 0}


def test_a_stage_lists_titles_beside_codes_and_filters_narrow_it(client, world):
    sign_in(client, world.users["minusca-approver"])
    response = client.get(URL, {"stage": "to_approve"})
    html = response.content.decode()
    assert "A1.1.1 Appoint digital focal points" in html
    assert len(response.context["page"].object_list) == 2
    narrowed = client.get(
        URL, {"stage": "to_approve", "sensitivity": Sensitivity.STRICTLY_CONFIDENTIAL}
    )
    assert [u.pk for u in narrowed.context["page"].object_list] == [
        world.updates["strictly"].pk
    ]
    assert _stages(narrowed)["to_approve"] == 1


def test_bulk_approval_handles_each_update_on_its_own(client, world):
    sign_in(client, world.users["minusca-approver"])
    fresh = world.updates[ReviewState.SUBMITTED]
    stale = world.updates["strictly"]
    response = client.post(
        f"{URL}?stage=to_approve",
        {
            "decision": "approve",
            "items": [
                f"{fresh.pk}:{fresh.version}",
                f"{stale.pk}:{stale.version - 1 if stale.version > 1 else 99}",
            ],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "1 update(s) approved and passed to HQ." in html
    assert f"(update {stale.pk})" in html
    assert StatusUpdate.objects.get(pk=fresh.pk).review_state == ReviewState.APPROVED
    assert StatusUpdate.objects.get(pk=stale.pk).review_state == ReviewState.SUBMITTED


def test_bulk_steps_obey_the_same_rules(client, world):
    """The focal point may not approve, in bulk or not; nothing changes."""
    sign_in(client, world.users["minusca-focal"])
    update = world.updates[ReviewState.SUBMITTED]
    response = client.post(
        URL,
        {"decision": "approve", "items": [f"{update.pk}:{update.version}"]},
        follow=True,
    )
    html = response.content.decode()
    assert "You do not approve updates for this mission." in html
    assert "approved and passed to HQ" not in html
    assert StatusUpdate.objects.get(pk=update.pk).review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize("username", ["minusca-approver", "manager"])
def test_review_page_query_count_does_not_grow(
    client, world, django_assert_max_num_queries, username
):
    sign_in(client, world.users[username])
    client.get(URL)
    # One of them asks whether the person's roles need a second factor (or, for those
    # that do, which device they used in this session).
    with django_assert_max_num_queries(15) as small:
        client.get(URL)
    for _ in range(30):
        implementation = ImplementationFactory(organisation=world.minusca)
        add_update(implementation, world.users["minusca-focal"], ReviewState.SUBMITTED)
        add_update(implementation, world.users["minusca-focal"], ReviewState.APPROVED)
    with django_assert_max_num_queries(15) as large:
        client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)
