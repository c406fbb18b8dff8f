"""Roles: Django groups carry what a role may do; guardian object permissions on an
Organisation carry where (one row per user and mission, never one per action)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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

# Model permissions of each role's group, as (app_label, codename).
ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.FOCAL_POINT: [
        ("objectives", "view_implementation"),
        ("objectives", "add_statusupdate"),
    ],
    Role.APPROVER: [
        ("objectives", "view_implementation"),
        ("objectives", "view_statusupdate"),
    ],
    Role.STRATEGY_MANAGER: [
        (app_label, f"{verb}_{model}")
        for app_label, model_names in {
            "objectives": [
                "strategy",
                "objective",
                "outcome",
                "action",
                "implementation",
                "statusupdate",
            ],
            "principles": ["principle"],
            "stakeholders": ["stakeholdergroup", "organisation"],
        }.items()
        for model in model_names
        for verb in ("view", "add", "change")
    ],
    Role.LEADERSHIP: [
        ("objectives", "view_strategy"),
        ("objectives", "view_implementation"),
        ("objectives", "view_statusupdate"),
        ("objectives", "view_progresssnapshot"),
    ],
}
