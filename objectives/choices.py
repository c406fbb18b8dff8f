"""The fixed vocabularies of the strategy tracker, in one place and translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class ObjectiveTerm(models.TextChoices):
    """What a strategy's own text calls its top-level objectives."""

    GOAL = "goal", _("Goal")
    COMMITMENT = "commitment", _("Commitment")
    AREA = "area", _("Area")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Cancelled and not-applicable work is counted separately and never averaged in.
STATUSES_EXCLUDED_FROM_PROGRESS = frozenset(
    {ImplementationStatus.CANCELLED, ImplementationStatus.NOT_APPLICABLE}
)
# A status that needs a narrative explaining it.
STATUSES_NEEDING_NARRATIVE = frozenset(
    {ImplementationStatus.AT_RISK, ImplementationStatus.OFF_TRACK}
)


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Sensitivity(models.TextChoices):
    """The UN's three information sensitivity levels."""

    UNCLASSIFIED = "unclassified", _("Unclassified")
    CONFIDENTIAL = "confidential", _("Confidential")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _("Strictly confidential")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved by mission")
    ACCEPTED = "accepted", _("Accepted by HQ")
    RETURNED = "returned", _("Returned for revision")
    SUPERSEDED = "superseded", _("Superseded by a newer report")


# An update waiting for someone's review.
PENDING_REVIEW_STATES = frozenset({ReviewState.SUBMITTED, ReviewState.APPROVED})


class NodeType(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    OBJECTIVE = "objective", _("Objective")
    OUTCOME = "outcome", _("Outcome")
    ACTION = "action", _("Action")


class Audience(models.TextChoices):
    """Whose figures a snapshot holds: internal (every accepted update) or public (cleared only)."""

    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


def values(choices: type[models.TextChoices]) -> list[str]:
    return [choice.value for choice in choices]
