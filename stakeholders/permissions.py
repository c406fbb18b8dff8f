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

# Model permissions of each role's group, as (app_label, codename). Mission roles get no
# model-wide reading rights: their scope is the object permission on their mission.
HQ_READER_PERMISSION = ("objectives", "view_all_missions")
ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.FOCAL_POINT: [],
    Role.APPROVER: [],
    Role.STRATEGY_MANAGER: [
        HQ_READER_PERMISSION,
        ("objectives", "view_confidential"),
        ("objectives", "view_strictly_confidential"),
        ("objectives", "accept_update"),
        ("objectives", "clear_update"),
        *[
            (app_label, f"{verb}_{model}")
            for app_label, model_names in {
                "objectives": [
                    "strategy",
                    "objective",
                    "outcome",
                    "action",
                    "implementation",
                ],
                "principles": ["principle"],
                "stakeholders": ["stakeholdergroup", "organisation", "roleassignment"],
            }.items()
            for model in model_names
            for verb in ("view", "add", "change")
        ],
        ("objectives", "view_statusupdate"),
        ("objectives", "view_reviewevent"),
        ("objectives", "view_progresssnapshot"),
    ],
    Role.LEADERSHIP: [HQ_READER_PERMISSION, ("objectives", "view_confidential")],
}


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


def reads_all_missions(user: "AbstractBaseUser") -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("objectives.view_all_missions")
    )
