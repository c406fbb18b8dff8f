from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from strategy_tracker.exceptions import ApplicationError, NotAllowed
from strategy_tracker.services import model_update, translated_values

from .models import Organisation, RoleAssignment, StakeholderGroup
from .permissions import (
    MISSION_ROLE_PERMISSION,
    ROLE_GROUP_NAMES,
    Role,
    role_model_permissions,
)


@transaction.atomic
def stakeholder_group_upsert(
    *, code: str, order: int, name: dict[str, str], description: dict[str, str]
) -> tuple[StakeholderGroup, bool]:
    """Create the group with this code or bring it in line; return it and whether it changed."""
    group = StakeholderGroup.objects.filter(code=code).first() or StakeholderGroup(
        code=code
    )
    changed = model_update(
        group,
        {
            "order": order,
            **translated_values("name", name),
            **translated_values("description", description),
        },
    )
    return group, changed


@transaction.atomic
def organisation_upsert(
    *,
    code: str,
    kind: str,
    group: StakeholderGroup,
    name: dict[str, str],
    location: dict[str, str] | str = "",
    established_year: int | None = None,
    working_language: str = "",
) -> tuple[Organisation, bool]:
    """Create the organisation with this code or bring it in line; return it and whether it changed."""
    organisation = Organisation.objects.filter(code=code).first() or Organisation(
        code=code
    )
    changed = model_update(
        organisation,
        {
            "kind": kind,
            "group": group,
            **translated_values(
                "location", location if isinstance(location, dict) else {"en": location}
            ),
            "established_year": established_year,
            "working_language": working_language,
            **translated_values("name", name),
        },
    )
    return organisation, changed


@transaction.atomic
def role_groups_ensure() -> dict[str, Group]:
    """Create the role groups with their model permissions; safe to call any number of times."""
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        wanted = role_model_permissions(role)
        permissions = Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        )
        group.permissions.set(
            [p for p in permissions if (p.content_type.app_label, p.codename) in wanted]
        )
        groups[role.value] = group
    return groups


# Roles one person may not hold together in the same mission.
CONFLICTING_MISSION_ROLES = {
    Role.FOCAL_POINT: Role.APPROVER,
    Role.APPROVER: Role.FOCAL_POINT,
}


def role_assignment_refusal(
    *,
    user: AbstractUser,
    role: Role,
    organisation: Organisation | None,
    actor: AbstractUser | None,
) -> str | None:
    """Why this assignment breaks the separation of duties, in the reader's language,
    or None. The service and the admin form both ask it."""
    role = Role(role)
    if role not in MISSION_ROLE_PERMISSION:
        return None
    if actor is not None and actor.pk == user.pk:
        return _(
            "Nobody assigns a mission role to themselves; ask another strategy manager."
        )
    conflicting = CONFLICTING_MISSION_ROLES.get(role)
    if (
        conflicting is not None
        and organisation is not None
        and RoleAssignment.objects.filter(
            user=user,
            role=conflicting,
            organisation=organisation,
            ended_at__isnull=True,
        ).exists()
    ):
        return _(
            "%(user)s is already %(role)s for %(mission)s; one person may not both "
            "report and approve for the same mission."
        ) % {
            "user": user.get_username(),
            "role": conflicting.label,
            "mission": organisation.code,
        }
    return None


@transaction.atomic
def role_assign(
    *,
    user: AbstractUser,
    role: Role,
    organisation: Organisation | None = None,
    actor: AbstractUser | None = None,
    note: str = "",
) -> RoleAssignment:
    """Give a user a role (scoped to a mission for the mission roles); safe to repeat.

    Records a RoleAssignment and grants the group and, for mission roles, the object
    permission on the mission. An active assignment is returned as it is. Refuses what
    breaks the separation of duties (`role_assignment_refusal`).
    """
    role = Role(role)
    codename = MISSION_ROLE_PERMISSION.get(role)
    if codename is not None and organisation is None:
        raise ApplicationError(
            _("The role %(role)s needs a mission.") % {"role": role.label}
        )
    if codename is None:
        organisation = None
    refusal = role_assignment_refusal(
        user=user, role=role, organisation=organisation, actor=actor
    )
    if refusal is not None:
        raise NotAllowed(refusal)
    active = RoleAssignment.objects.filter(
        user=user, role=role, organisation=organisation, ended_at__isnull=True
    ).first()
    if active is not None:
        return active
    group = Group.objects.filter(name=ROLE_GROUP_NAMES[role]).first()
    if group is None:
        group = role_groups_ensure()[role.value]
    user.groups.add(group)
    if codename is not None:
        assign_perm(f"stakeholders.{codename}", user, organisation)
    assignment = RoleAssignment(
        user=user,
        role=role,
        organisation=organisation,
        assigned_by=actor,
        started_at=timezone.now(),
        note=note,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_end(
    *, assignment: RoleAssignment, actor: AbstractUser | None = None
) -> RoleAssignment:
    """End an assignment: the scope goes, the record of who held the role stays."""
    if assignment.ended_at is not None:
        return assignment
    assignment.ended_at = timezone.now()
    assignment.ended_by = actor
    assignment.save(update_fields=["ended_at", "ended_by", "updated_at"])
    codename = MISSION_ROLE_PERMISSION.get(Role(assignment.role))
    if codename is not None:
        remove_perm(
            f"stakeholders.{codename}", assignment.user, assignment.organisation
        )
    still_holds_role = RoleAssignment.objects.filter(
        user=assignment.user, role=assignment.role, ended_at__isnull=True
    ).exists()
    if not still_holds_role:
        assignment.user.groups.remove(
            Group.objects.get(name=ROLE_GROUP_NAMES[Role(assignment.role)])
        )
    return assignment


@transaction.atomic
def role_hand_over(
    *,
    from_user: AbstractUser,
    to_user: AbstractUser,
    role: Role,
    organisation: Organisation | None = None,
    actor: AbstractUser | None = None,
) -> RoleAssignment:
    """Staff rotation: end one person's assignment and give the same role to another.

    Everything the first person wrote keeps their name; only the scope moves.
    """
    current = RoleAssignment.objects.filter(
        user=from_user, role=role, organisation=organisation, ended_at__isnull=True
    ).first()
    if current is None:
        where = f" in {organisation.code}" if organisation else ""
        raise ApplicationError(
            f"{from_user} does not hold the role {Role(role).label}{where}."
        )
    role_end(assignment=current, actor=actor)
    return role_assign(
        user=to_user,
        role=role,
        organisation=organisation,
        actor=actor,
        note=f"handed over from {from_user}",
    )
