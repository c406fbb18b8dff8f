from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from guardian.shortcuts import assign_perm

from strategy_tracker.exceptions import ApplicationError
from strategy_tracker.services import model_update, translated_values

from .models import Organisation, StakeholderGroup
from .permissions import (
    MISSION_ROLE_PERMISSION,
    ROLE_GROUP_NAMES,
    ROLE_MODEL_PERMISSIONS,
    Role,
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
    location: str = "",
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
            "location": location,
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
        wanted = ROLE_MODEL_PERMISSIONS[role]
        permissions = Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        )
        group.permissions.set(
            [
                p
                for p in permissions
                if (p.content_type.app_label, p.codename) in set(wanted)
            ]
        )
        groups[role.value] = group
    return groups


@transaction.atomic
def role_assign(
    *, user: AbstractUser, role: Role, organisation: Organisation | None = None
) -> None:
    """Give a user a role, scoped to a mission for the mission roles."""
    group = Group.objects.filter(name=ROLE_GROUP_NAMES[role]).first()
    if group is None:
        group = role_groups_ensure()[role.value]
    user.groups.add(group)
    codename = MISSION_ROLE_PERMISSION.get(role)
    if codename is not None:
        if organisation is None:
            raise ApplicationError(f"the role {role.label} needs an organisation")
        assign_perm(f"stakeholders.{codename}", user, organisation)
