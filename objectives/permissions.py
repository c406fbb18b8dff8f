"""What each role may do in the strategy tracker, and the clearance it reads at.

Roles and where they apply are the stakeholders app's (`stakeholders.permissions`): a
mission role's scope is an object permission on its mission. This module names the model
permissions of this app (and of the principles it adopts) that each role's group holds,
and registers them with the stakeholders app when the app is ready.
"""

from typing import TYPE_CHECKING

from stakeholders.permissions import (
    APPROVE_PROGRESS,
    REPORT_PROGRESS,
    Role,
    organisations_with,
    role_model_permissions_register,
)

from .choices import Sensitivity

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import QuerySet

APP = "objectives"
VIEW_ALL_MISSIONS = f"{APP}.view_all_missions"
VIEW_CONFIDENTIAL = f"{APP}.view_confidential"
VIEW_STRICTLY_CONFIDENTIAL = f"{APP}.view_strictly_confidential"
ACCEPT_UPDATE = f"{APP}.accept_update"
CLEAR_UPDATE = f"{APP}.clear_update"
CHANGE_STRATEGY = f"{APP}.change_strategy"
MANAGE_ROUND = f"{APP}.manage_round"

# Model permissions of each role's group, as (app_label, codename). Mission roles get no
# model-wide reading rights: their scope is the object permission on their mission.
ROLE_MODEL_PERMISSIONS: dict[Role, list[tuple[str, str]]] = {
    Role.STRATEGY_MANAGER: [
        (APP, "view_all_missions"),
        (APP, "view_confidential"),
        (APP, "view_strictly_confidential"),
        (APP, "accept_update"),
        (APP, "clear_update"),
        (APP, "manage_round"),
        (APP, "view_reportinground"),
        *[
            (app_label, f"{verb}_{model}")
            for app_label, model_names in {
                APP: ["strategy", "objective", "outcome", "action", "implementation"],
                "principles": ["principle"],
            }.items()
            for model in model_names
            for verb in ("view", "add", "change")
        ],
        (APP, "view_statusupdate"),
        (APP, "view_reviewevent"),
        (APP, "view_progresssnapshot"),
    ],
    Role.LEADERSHIP: [(APP, "view_all_missions"), (APP, "view_confidential")],
}


def register() -> None:
    """Give the role groups this app's permissions (called from the app's ready())."""
    for role, permissions in ROLE_MODEL_PERMISSIONS.items():
        role_model_permissions_register(role, permissions)


def reads_all_missions(user: "AbstractBaseUser") -> bool:
    """HQ readers: strategy managers and leadership read every mission."""
    return user.is_authenticated and (
        user.is_superuser or user.has_perm(VIEW_ALL_MISSIONS)
    )


def clearance_levels(user: "AbstractBaseUser") -> list[str]:
    """The sensitivity levels this user may read model-wide (outside their own missions)."""
    levels = [Sensitivity.UNCLASSIFIED.value]
    if user.has_perm(VIEW_CONFIDENTIAL):
        levels.append(Sensitivity.CONFIDENTIAL.value)
    if user.has_perm(VIEW_STRICTLY_CONFIDENTIAL):
        levels.append(Sensitivity.STRICTLY_CONFIDENTIAL.value)
    return levels


def missions_reported_by(user: "AbstractBaseUser") -> "QuerySet":
    return organisations_with(user, REPORT_PROGRESS)


def missions_approved_by(user: "AbstractBaseUser") -> "QuerySet":
    return organisations_with(user, APPROVE_PROGRESS)


def missions_of(user: "AbstractBaseUser") -> "QuerySet":
    """The missions a person reports or approves for."""
    return organisations_with(user, REPORT_PROGRESS, APPROVE_PROGRESS)


def reading_scope(user: "AbstractBaseUser") -> str:
    """Whose missions the person reads: all (HQ), or their own, by id. Two people with
    the same scope read the same figures."""
    if reads_all_missions(user):
        return "all"
    ids = sorted(missions_of(user).values_list("pk", flat=True))
    return "missions:" + ",".join(str(pk) for pk in ids)
