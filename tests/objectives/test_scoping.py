"""One scoping rule per model: visible_to(user)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from objectives.models import Implementation, StatusUpdate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "missions"),
    [
        ("minusca-focal", {"MINUSCA"}),
        ("unmiss-focal", {"UNMISS"}),
        ("minusca-approver", {"MINUSCA"}),
        ("manager", {"MINUSCA", "UNMISS"}),
        ("leader", {"MINUSCA", "UNMISS"}),
    ],
)
def test_implementations_are_scoped_by_mission(world, username, missions):
    visible = Implementation.objects.visible_to(world.users[username])
    assert set(visible.values_list("organisation__code", flat=True)) == missions


def test_anonymous_sees_no_implementation_and_no_update(world):
    assert not Implementation.objects.visible_to(AnonymousUser()).exists()
    assert not StatusUpdate.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (
            "minusca-focal",
            {"submitted", "approved", "accepted", "confidential", "strictly", "draft"},
        ),
        ("unmiss-focal", {"unmiss"}),
        (
            "minusca-approver",
            {"submitted", "approved", "accepted", "confidential", "strictly"},
        ),
        (
            "manager",
            {"submitted", "approved", "accepted", "confidential", "strictly", "unmiss"},
        ),
        ("leader", {"submitted", "approved", "accepted", "confidential", "unmiss"}),
    ],
)
def test_updates_are_scoped_by_mission_clearance_and_authorship(
    world, username, expected
):
    names = {update.pk: name for name, update in world.updates.items()}
    visible = StatusUpdate.objects.visible_to(world.users[username])
    assert {names[pk] for pk in visible.values_list("pk", flat=True)} == expected


def test_a_second_focal_point_does_not_see_a_colleagues_strictly_confidential_update(
    world,
):
    from stakeholders.permissions import Role
    from stakeholders.services import role_assign
    from tests.objectives.factories import UserFactory

    colleague = UserFactory(username="minusca-focal-2")
    role_assign(user=colleague, role=Role.FOCAL_POINT, organisation=world.minusca)
    visible = set(
        StatusUpdate.objects.visible_to(colleague).values_list("pk", flat=True)
    )
    assert world.updates["strictly"].pk not in visible
    assert world.updates["draft"].pk not in visible
    assert world.updates["confidential"].pk in visible


def test_public_updates_are_accepted_unclassified_and_cleared_only(world):
    from django.utils import timezone

    accepted = world.updates["accepted"]
    StatusUpdate.objects.filter(pk=accepted.pk).update(
        cleared_for_public=True, cleared_at=timezone.now()
    )
    assert list(StatusUpdate.objects.public().values_list("pk", flat=True)) == [
        accepted.pk
    ]
