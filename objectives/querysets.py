"""Reusable filters, including the one scoping rule per model that every read goes through."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from stakeholders.permissions import (
    APPROVE_PROGRESS,
    REPORT_PROGRESS,
    organisations_with,
    reads_all_missions,
)

from .choices import ReviewState, Sensitivity

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class TreeNodeQuerySet(models.QuerySet):
    """Objectives, outcomes and actions: archived nodes stay for history but leave the tree."""

    def current(self) -> "TreeNodeQuerySet":
        return self.filter(archived_at__isnull=True)


class ImplementationQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "ImplementationQuerySet":
        """HQ roles read every mission; mission staff read the missions they report or approve for."""
        if not user.is_authenticated:
            return self.none()
        if reads_all_missions(user):
            return self.all()
        return self.filter(
            organisation__in=organisations_with(user, REPORT_PROGRESS, APPROVE_PROGRESS)
        )

    def current(self) -> "ImplementationQuerySet":
        return self.filter(archived_at__isnull=True, action__archived_at__isnull=True)


def clearance_levels(user: "AbstractBaseUser") -> list[str]:
    """The sensitivity levels this user may read model-wide (outside their own missions)."""
    levels = [Sensitivity.UNCLASSIFIED.value]
    if user.has_perm("objectives.view_confidential"):
        levels.append(Sensitivity.CONFIDENTIAL.value)
    if user.has_perm("objectives.view_strictly_confidential"):
        levels.append(Sensitivity.STRICTLY_CONFIDENTIAL.value)
    return levels


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "StatusUpdateQuerySet":
        """Drafts only to their author; everything else by mission and clearance.

        - HQ roles: every mission, up to their clearance.
        - Approvers: everything their mission reports, strictly confidential included,
          because they review it.
        - Focal points: their mission's updates up to confidential.
        - Everyone: the updates they wrote themselves.
        """
        if not user.is_authenticated:
            return self.none()
        own = Q(author=user)
        if user.is_superuser:
            return self.filter(own | ~Q(review_state=ReviewState.DRAFT))
        shared = Q(pk__in=[])
        if reads_all_missions(user):
            shared |= Q(sensitivity__in=clearance_levels(user))
        shared |= Q(
            implementation__organisation__in=organisations_with(user, APPROVE_PROGRESS)
        )
        shared |= Q(
            implementation__organisation__in=organisations_with(user, REPORT_PROGRESS),
            sensitivity__in=[Sensitivity.UNCLASSIFIED, Sensitivity.CONFIDENTIAL],
        )
        return self.filter(own | (~Q(review_state=ReviewState.DRAFT) & shared))

    def public(self) -> "StatusUpdateQuerySet":
        """What anonymous readers may see: accepted, unclassified, cleared for public release."""
        return self.filter(
            review_state=ReviewState.ACCEPTED,
            sensitivity=Sensitivity.UNCLASSIFIED,
            cleared_for_public=True,
        )
