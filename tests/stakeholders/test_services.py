"""Roles: assignment, rotation and the record of who held what."""

import pytest
from django.core.management import CommandError, call_command
from guardian.shortcuts import get_objects_for_user

from stakeholders.models import RoleAssignment
from stakeholders.permissions import Role
from stakeholders.services import role_assign, role_end, role_hand_over
from strategy_tracker.exceptions import ApplicationError
from tests.objectives.factories import StatusUpdateFactory, UserFactory

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def reports_for(user):
    return list(
        get_objects_for_user(user, "stakeholders.report_progress").values_list(
            "code", flat=True
        )
    )


def test_assigning_twice_keeps_one_active_assignment_and_one_permission_row():
    mission = OrganisationFactory(code="MINUSCA")
    user = UserFactory(username="focal")
    first = role_assign(user=user, role=Role.FOCAL_POINT, organisation=mission)
    second = role_assign(user=user, role=Role.FOCAL_POINT, organisation=mission)
    assert first.pk == second.pk
    assert reports_for(user) == ["MINUSCA"]
    assert user.userobjectpermission_set.count() == 1


def test_mission_roles_need_a_mission():
    with pytest.raises(ApplicationError, match="needs a mission"):
        role_assign(user=UserFactory(), role=Role.APPROVER)


def test_hand_over_moves_the_scope_and_keeps_authorship_and_history():
    mission = OrganisationFactory(code="MINUSCA")
    leaving, arriving = (
        UserFactory(username="leaving"),
        UserFactory(username="arriving"),
    )
    role_assign(user=leaving, role=Role.FOCAL_POINT, organisation=mission)
    update = StatusUpdateFactory(author=leaving, implementation__organisation=mission)

    role_hand_over(
        from_user=leaving, to_user=arriving, role=Role.FOCAL_POINT, organisation=mission
    )

    leaving = type(leaving).objects.get(pk=leaving.pk)
    assert reports_for(leaving) == []
    assert reports_for(arriving) == ["MINUSCA"]
    assert update.author == leaving
    history = RoleAssignment.objects.filter(organisation=mission).order_by("started_at")
    assert [(a.user.username, a.ended_at is not None) for a in history] == [
        ("leaving", True),
        ("arriving", False),
    ]
    assert history.last().note == "handed over from leaving"
    assert not leaving.groups.exists()


def test_ending_one_of_two_missions_keeps_the_role_group():
    first, second = OrganisationFactory(code="M1"), OrganisationFactory(code="M2")
    user = UserFactory()
    assignment = role_assign(user=user, role=Role.APPROVER, organisation=first)
    role_assign(user=user, role=Role.APPROVER, organisation=second)
    role_end(assignment=assignment)
    user = type(user).objects.get(pk=user.pk)
    assert list(
        get_objects_for_user(user, "stakeholders.approve_progress").values_list(
            "code", flat=True
        )
    ) == ["M2"]
    assert list(user.groups.values_list("name", flat=True)) == ["Mission approver"]


def test_assign_role_command_assigns_hands_over_and_ends(capsys):
    OrganisationFactory(code="UNMISS")
    UserFactory(username="a")
    UserFactory(username="b")
    call_command("assign_role", "a", "focal_point", "--mission", "UNMISS")
    call_command(
        "assign_role", "a", "focal_point", "--mission", "UNMISS", "--hand-over-to", "b"
    )
    call_command("assign_role", "b", "focal_point", "--mission", "UNMISS", "--end")
    out = capsys.readouterr().out
    assert "Assigned: a focal_point @ UNMISS" in out
    assert "Handed over: b focal_point @ UNMISS" in out
    assert "Ended: b focal_point @ UNMISS" in out
    assert RoleAssignment.objects.filter(ended_at__isnull=True).count() == 0


def test_assign_role_command_explains_what_is_missing():
    UserFactory(username="a")
    with pytest.raises(CommandError, match="the role approver needs --mission"):
        call_command("assign_role", "a", "approver")
    with pytest.raises(CommandError, match='no organisation with code "NOPE"'):
        call_command("assign_role", "a", "approver", "--mission", "NOPE")
