"""Separation of duties in role assignment: nobody assigns mission roles to themselves,
and one person never both reports and approves for the same mission."""

import pytest

from stakeholders.models import RoleAssignment
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from strategy_tracker.exceptions import NotAllowed
from tests.objectives.factories import UserFactory
from tests.signing_in import sign_in
from tests.stakeholders.factories import OrganisationFactory


@pytest.fixture
def people(db):
    manager = UserFactory(username="manager")
    role_assign(user=manager, role=Role.STRATEGY_MANAGER)
    return manager, UserFactory(username="someone"), OrganisationFactory(code="MINUSCA")


def test_nobody_assigns_a_mission_role_to_themselves(people):
    manager, _someone, minusca = people
    with pytest.raises(NotAllowed, match="another strategy manager"):
        role_assign(
            user=manager, role=Role.FOCAL_POINT, organisation=minusca, actor=manager
        )
    assert not RoleAssignment.objects.filter(organisation=minusca).exists()
    assert not manager.has_perm("stakeholders.report_progress", minusca)


@pytest.mark.parametrize(
    ("first", "second"),
    [(Role.FOCAL_POINT, Role.APPROVER), (Role.APPROVER, Role.FOCAL_POINT)],
)
def test_one_person_never_reports_and_approves_for_the_same_mission(
    people, first, second
):
    manager, someone, minusca = people
    role_assign(user=someone, role=first, organisation=minusca, actor=manager)
    with pytest.raises(NotAllowed, match="both report and approve"):
        role_assign(user=someone, role=second, organisation=minusca, actor=manager)
    other = OrganisationFactory(code="UNMISS", group=minusca.group)
    # Another mission is fine.
    role_assign(user=someone, role=second, organisation=other, actor=manager)


def test_the_admin_refuses_a_self_assignment_with_a_message(people, client):
    manager, _someone, minusca = people
    manager.is_staff = True
    manager.save()
    sign_in(client, manager)
    response = client.post(
        "/en/admin/stakeholders/roleassignment/add/",
        {
            "user": manager.pk,
            "role": Role.APPROVER,
            "organisation": minusca.pk,
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "Nobody assigns a mission role to themselves" in response.content.decode()
    assert not RoleAssignment.objects.filter(organisation=minusca).exists()
    # Nor is there a page granting the mission permissions around the role services.
    assert (
        client.get(
            f"/en/admin/stakeholders/organisation/{minusca.pk}/permissions/"
        ).status_code
        != 200
    )
