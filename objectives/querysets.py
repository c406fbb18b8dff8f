"""Reusable filters, and the one scoping rule per model that every read goes through.

`visible_to(user)` answers "what may this person read"; the anonymous reader is its
case with no permission at all, so public, cleared data is in everybody's visibility and
signing in never shows less. Narrowing filters (`in_tree`, `counted`,
`within_missions_of`) compose with it; they never widen it.
"""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .choices import Audience, ReviewState, Sensitivity, StrategyStatus
from .permissions import (
    CHANGE_STRATEGY,
    clearance_levels,
    missions_approved_by,
    missions_of,
    missions_reported_by,
    reading_scope,
    reads_all_missions,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# The relations from each level of the tree up to its goal, and to its strategy.
_PATHS_TO_GOAL = {
    "objective": [""],
    "outcome": ["", "objective__"],
    "action": ["", "outcome__", "outcome__objective__"],
    "implementation": [
        "",
        "action__",
        "action__outcome__",
        "action__outcome__objective__",
    ],
}


def in_tree_condition(level: str, prefix: str = "") -> Q:
    """The one rule for "this node is in the current tree": neither it nor any node above
    it is archived. `level` names the model (`objective` ... `implementation`) reached
    through `prefix` (for example "action__" from an implementation's update)."""
    return Q(
        **{f"{prefix}{path}archived_at__isnull": True for path in _PATHS_TO_GOAL[level]}
    )


def in_active_strategy_condition(level: str, prefix: str = "") -> Q:
    """The node belongs to an active strategy (drafts and archived strategies count for
    nothing)."""
    to_goal = _PATHS_TO_GOAL[level][-1]
    return Q(**{f"{prefix}{to_goal}strategy__status": StrategyStatus.ACTIVE})


def _strategy_visible_condition(user: "AbstractBaseUser", prefix: str = "") -> Q:
    """HQ readers see drafts too; everybody else the published strategies."""
    if reads_all_missions(user):
        return Q()
    return ~Q(**{f"{prefix}status": StrategyStatus.DRAFT})


class StrategyQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "StrategyQuerySet":
        return self.filter(_strategy_visible_condition(user))

    def active(self) -> "StrategyQuerySet":
        return self.filter(status=StrategyStatus.ACTIVE)


class TreeNodeQuerySet(models.QuerySet):
    """Objectives, outcomes and actions: archived nodes stay for history but leave the tree."""

    level = ""

    def in_tree(self) -> "TreeNodeQuerySet":
        return self.filter(in_tree_condition(self.level))

    def counted(self) -> "TreeNodeQuerySet":
        """In the current tree of an active strategy: the nodes the rollup gives figures."""
        return self.filter(
            in_tree_condition(self.level), in_active_strategy_condition(self.level)
        )

    def visible_to(self, user: "AbstractBaseUser") -> "TreeNodeQuerySet":
        """The tree of the strategies the user may read."""
        to_goal = _PATHS_TO_GOAL[self.level][-1]
        return self.filter(_strategy_visible_condition(user, f"{to_goal}strategy__"))


class ObjectiveQuerySet(TreeNodeQuerySet):
    level = "objective"


class OutcomeQuerySet(TreeNodeQuerySet):
    level = "outcome"


class ActionQuerySet(TreeNodeQuerySet):
    level = "action"


def _public_implementation() -> Q:
    return Q(public_update__isnull=False)


def _public_update(prefix: str = "") -> Q:
    """Accepted, unclassified and cleared for public release."""
    return Q(
        **{
            f"{prefix}review_state": ReviewState.ACCEPTED,
            f"{prefix}sensitivity": Sensitivity.UNCLASSIFIED,
            f"{prefix}cleared_for_public": True,
        }
    )


class ImplementationQuerySet(models.QuerySet):
    level = "implementation"

    def visible_to(self, user: "AbstractBaseUser") -> "ImplementationQuerySet":
        """HQ readers: every mission. Everybody (anonymous readers too): implementations
        with an update cleared for public release, with its figures. Mission staff also:
        the missions they report or approve for, with the internal figures."""
        if reads_all_missions(user):
            return self.all()
        if not user.is_authenticated:
            return self.filter(_public_implementation())
        return self.filter(
            _public_implementation() | Q(organisation__in=missions_of(user))
        )

    def within_missions_of(self, user: "AbstractBaseUser") -> "ImplementationQuerySet":
        """Narrowed to the person's work: every mission for HQ readers, their own
        missions for mission staff, nothing for anonymous readers."""
        if reads_all_missions(user):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__in=missions_of(user))

    def in_tree(self) -> "ImplementationQuerySet":
        return self.filter(in_tree_condition(self.level))

    def counted(self, *, audience: str = Audience.INTERNAL) -> "ImplementationQuerySet":
        """What the figures count: in the current tree of an active strategy; for the
        public, only those with an update cleared for public release."""
        queryset = self.filter(
            in_tree_condition(self.level), in_active_strategy_condition(self.level)
        )
        if audience == Audience.PUBLIC:
            queryset = queryset.filter(_public_implementation())
        return queryset


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "StatusUpdateQuerySet":
        """Drafts only to their author; everything else by mission and clearance.

        - Everybody, anonymous readers too: updates cleared for public release.
        - HQ roles: every mission, up to their clearance.
        - Approvers: everything their mission reports, strictly confidential included,
          because they review it.
        - Focal points: their mission's updates up to confidential.
        - Everyone: the updates they wrote themselves.
        """
        public = _public_update()
        if not user.is_authenticated:
            return self.filter(public)
        own = Q(author=user)
        if user.is_superuser:
            return self.filter(own | ~Q(review_state=ReviewState.DRAFT))
        shared = public
        if reads_all_missions(user):
            shared |= Q(sensitivity__in=clearance_levels(user))
        shared |= Q(implementation__organisation__in=missions_approved_by(user))
        shared |= Q(
            implementation__organisation__in=missions_reported_by(user),
            sensitivity__in=[Sensitivity.UNCLASSIFIED, Sensitivity.CONFIDENTIAL],
        )
        return self.filter(own | (~Q(review_state=ReviewState.DRAFT) & shared))

    def public(self) -> "StatusUpdateQuerySet":
        """Narrowed to what is cleared for public release."""
        return self.filter(_public_update())


class FigureRowsQuerySet(models.QuerySet):
    """Stored figures (snapshots, round figures): one reading rule for both."""

    def visible_to(self, user: "AbstractBaseUser") -> "FigureRowsQuerySet":
        """Public figures for everybody; internal figures of their own missions for
        mission staff; everything for HQ readers."""
        if reads_all_missions(user):
            return self.all()
        public = Q(audience=Audience.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        return self.filter(
            public | Q(audience=Audience.INTERNAL, organisation__in=missions_of(user))
        )


class ProgressSnapshotQuerySet(FigureRowsQuerySet):
    def current(self) -> "ProgressSnapshotQuerySet":
        """The figures as the latest rollup left them: one row per node and organisation."""
        return self.filter(valid_until__isnull=True)

    def held_since(self, day: datetime.date) -> "ProgressSnapshotQuerySet":
        """The rows that held on `day` or later."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))

    def as_of(self, day: datetime.date) -> "ProgressSnapshotQuerySet":
        """The rows that held on `day`: one per node and organisation the rollup knew then."""
        return self.held_since(day).filter(date__lte=day)


class ReportingRoundQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "ReportingRoundQuerySet":
        """A round's name and dates are as public as its strategy."""
        return self.filter(_strategy_visible_condition(user, "strategy__"))

    def open(self) -> "ReportingRoundQuerySet":
        return self.filter(closed_at__isnull=True)

    def closed(self) -> "ReportingRoundQuerySet":
        return self.filter(closed_at__isnull=False)


class RoundFigureQuerySet(FigureRowsQuerySet):
    pass


class BriefingPackQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "BriefingPackQuerySet":
        """A pack to whoever asked for it, and to anyone who reads the same missions."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(requested_by=user) | Q(scope=reading_scope(user)))


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: "AbstractBaseUser") -> "ImportJobQuerySet":
        """Strategy managers see every import; anyone else only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm(CHANGE_STRATEGY):
            return self.all()
        return self.filter(actor=user)
