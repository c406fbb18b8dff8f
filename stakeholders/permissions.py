"""Roles: Django groups carry what a role may do; guardian object permissions on an
Organisation carry where (one row per user and mission, never one per action)."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import QuerySet

REPORT_PROGRESS = "report_progress"
APPROVE_PROGRESS = "approve_progress"


class Role(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Mission focal point")
    APPROVER = "approver", _("Mission approver")
    STRATEGY_MANAGER = "strategy_manager", _("Strategy manager")
    LEADERSHIP = "leadership", _("HQ leadership")


# Group names are stored, so they stay in English whatever language is active.
ROLE_GROUP_NAMES = {
    Role.FOCAL_POINT: "Mission focal point",
    Role.APPROVER: "Mission approver",
    Role.STRATEGY_MANAGER: "Strategy manager",
    Role.LEADERSHIP: "HQ leadership",
}

# The object permission a mission-scoped role holds on its mission.
MISSION_ROLE_PERMISSION = {
    Role.FOCAL_POINT: REPORT_PROGRESS,
    Role.APPROVER: APPROVE_PROGRESS,
}

# Model permissions of each role's group, as (app_label, codename). Each app names its
# own: this one the stakeholder data a strategy manager keeps; the apps above it add
# theirs with `role_model_permissions_register` when they are ready. Mission roles get no
# model-wide rights: their scope is the object permission on their mission.
_ROLE_MODEL_PERMISSIONS: dict[Role, set[tuple[str, str]]] = {
    Role.FOCAL_POINT: set(),
    Role.APPROVER: set(),
    Role.STRATEGY_MANAGER: {
        ("stakeholders", f"{verb}_{model}")
        for model in ("stakeholdergroup", "organisation", "roleassignment")
        for verb in ("view", "add", "change")
    },
    Role.LEADERSHIP: set(),
}


def role_model_permissions_register(
    role: Role, permissions: list[tuple[str, str]]
) -> None:
    """Add model permissions, as (app_label, codename), to a role's group."""
    _ROLE_MODEL_PERMISSIONS[Role(role)].update(permissions)


def role_model_permissions(role: Role) -> set[tuple[str, str]]:
    return set(_ROLE_MODEL_PERMISSIONS[Role(role)])


def organisations_with(user: "AbstractBaseUser", *codenames: str) -> "QuerySet":
    """The organisations on which the user holds any of these object permissions (by codename)."""
    from guardian.shortcuts import get_objects_for_user

    from .models import Organisation

    if not user.is_authenticated:
        return Organisation.objects.none()
    return get_objects_for_user(
        user,
        [f"stakeholders.{codename}" for codename in codenames],
        klass=Organisation,
        any_perm=True,
        with_superuser=False,
        accept_global_perms=False,
    )


def roles_held(user: "AbstractBaseUser") -> set[str]:
    """The roles the user holds today (one query, then kept on the user for the request)."""
    from .models import RoleAssignment

    if not user.is_authenticated:
        return set()
    held = getattr(user, "_roles_held", None)
    if held is None:
        held = set(
            RoleAssignment.objects.filter(user=user, ended_at__isnull=True)
            .values_list("role", flat=True)
            .distinct()
        )
        user._roles_held = held
    return held
