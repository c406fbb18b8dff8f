"""Reporting: an action carried out by one organisation, its status updates and the
steps of their review."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stakeholders.models import Organisation
from strategy_tracker.models import TimeStampedModel

from ..choices import (
    Confidence,
    ImplementationStatus,
    ReviewState,
    Sensitivity,
    values,
)
from ..querysets import ImplementationQuerySet, StatusUpdateQuerySet
from .base import check_constraint, percent_validators
from .tree import Action


def evidence_storage():
    """Where evidence files live: `STORAGES["evidence"]`, a place no web server
    publishes; they are downloaded only through the view that checks who may read them."""
    return storages["evidence"]


def evidence_file_name(update: "StatusUpdate", filename: str) -> str:
    """An unguessable name that keeps only the (checked) extension."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"{uuid.uuid4().hex}{extension}"


class Implementation(TimeStampedModel):
    """One action carried out by one organisation (a mission or an HQ department).

    Its status and progress are those of its latest accepted update; `version` grows by
    one with every change so that concurrent edits can be detected.
    """

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="implementations",
        verbose_name=_("action"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name=_("organisation"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("% complete"),
        default=0,
        validators=percent_validators,
    )
    current_update = models.ForeignKey(
        "StatusUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current update"),
    )
    last_accepted_at = models.DateTimeField(
        _("last accepted update"), null=True, blank=True
    )
    public_update = models.ForeignKey(
        "StatusUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest public update"),
        help_text=_(
            "The newest accepted update cleared for public release; public figures read it."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = ImplementationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "organisation"]
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        permissions = [
            ("view_all_missions", _("Can read every mission's implementations"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation"],
                name="%(app_label)s_%(class)s_unique_action_organisation",
            ),
            check_constraint(
                Q(progress__gte=0) & Q(progress__lte=100), "progress_range"
            ),
            check_constraint(
                Q(status__in=values(ImplementationStatus)), "status_valid"
            ),
            check_constraint(
                ~Q(status=ImplementationStatus.COMPLETED) | Q(progress=100),
                "completed_is_100_percent",
            ),
            check_constraint(
                Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                "due_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "status"], name="objectives_impl_org_status"
            ),
            models.Index(
                fields=["status", "-updated_at"], name="objectives_impl_status_recent"
            ),
            # The dashboard's stamp reads the latest change to any implementation.
            models.Index(fields=["-updated_at"], name="objectives_impl_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} @ {self.organisation.code}"


class StatusUpdate(TimeStampedModel):
    """A report on an implementation: status, % complete, narrative, evidence, confidence.

    Append-only: once submitted it is never edited; a correction is a new update. Its
    review moves draft → submitted → approved (mission) → accepted (HQ), with returns
    for revision recorded as `ReviewEvent`s. Only accepted, unclassified updates that a
    strategy manager has cleared reach public pages.
    """

    implementation = models.ForeignKey(
        Implementation,
        on_delete=models.PROTECT,
        related_name="updates",
        verbose_name=_("implementation"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ImplementationStatus.choices
    )
    progress = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("% complete"),
        validators=percent_validators,
    )
    narrative = models.TextField(_("narrative"), blank=True)
    narrative_language = models.CharField(
        _("narrative language"), max_length=8, blank=True
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        storage=evidence_storage,
        upload_to=evidence_file_name,
        max_length=200,
        blank=True,
    )
    evidence_name = models.CharField(
        _("evidence file name"),
        max_length=255,
        blank=True,
        help_text=_("The file's name as uploaded; it is stored under another."),
    )
    evidence_content_type = models.CharField(
        _("evidence file type"), max_length=100, blank=True
    )
    confidence = models.CharField(
        _("confidence"),
        max_length=8,
        choices=Confidence.choices,
        default=Confidence.MEDIUM,
    )
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=24,
        choices=Sensitivity.choices,
        default=Sensitivity.UNCLASSIFIED,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="status_updates",
        verbose_name=_("author"),
    )
    review_state = models.CharField(
        _("review state"),
        max_length=12,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cleared_for_public = models.BooleanField(
        _("cleared for public release"), default=False
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    round = models.ForeignKey(
        "ReportingRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("round"),
        help_text=_(
            "The reporting round open when it was submitted; empty: outside any round."
        ),
    )
    answers = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_by",
        verbose_name=_("in answer to"),
        help_text=_("The returned update this one revises."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        # Clearance: who may read updates above "unclassified", outside their own missions.
        permissions = [
            ("view_confidential", _("Can read confidential updates")),
            ("view_strictly_confidential", _("Can read strictly confidential updates")),
            ("accept_update", _("Can accept approved updates for HQ")),
            ("clear_update", _("Can clear updates for public release")),
        ]
        constraints = [
            check_constraint(
                Q(progress__gte=0) & Q(progress__lte=100), "progress_range"
            ),
            check_constraint(
                Q(status__in=values(ImplementationStatus)), "status_valid"
            ),
            check_constraint(Q(confidence__in=values(Confidence)), "confidence_valid"),
            check_constraint(
                Q(sensitivity__in=values(Sensitivity)), "sensitivity_valid"
            ),
            check_constraint(
                Q(review_state__in=values(ReviewState)), "review_state_valid"
            ),
            check_constraint(
                ~Q(status=ImplementationStatus.COMPLETED) | Q(progress=100),
                "completed_is_100_percent",
            ),
            check_constraint(
                ~Q(review_state=ReviewState.ACCEPTED) | Q(accepted_at__isnull=False),
                "accepted_has_time",
            ),
            models.UniqueConstraint(
                fields=["implementation", "author"],
                condition=Q(review_state=ReviewState.DRAFT),
                name="%(app_label)s_%(class)s_one_draft_per_author",
            ),
            check_constraint(
                Q(cleared_for_public=False)
                | (
                    Q(sensitivity=Sensitivity.UNCLASSIFIED)
                    & Q(review_state=ReviewState.ACCEPTED)
                    & Q(cleared_at__isnull=False)
                ),
                "public_only_if_accepted_unclassified",
            ),
        ]
        indexes = [
            models.Index(
                fields=["implementation", "review_state", "-accepted_at"],
                name="objectives_update_impl_state",
            ),
            models.Index(
                fields=["review_state", "-updated_at"], name="objectives_update_queue"
            ),
            models.Index(
                fields=["round", "implementation", "review_state"],
                name="objectives_update_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.implementation_id}: {self.get_status_display()} {self.progress}%"


class ReviewEvent(models.Model):
    """One step in a status update's review: who moved it from which state to which, and why."""

    update = models.ForeignKey(
        StatusUpdate,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("update"),
    )
    from_state = models.CharField(
        _("from"), max_length=12, choices=ReviewState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=ReviewState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_events",
        verbose_name=_("actor"),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["update", "created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        constraints = [
            check_constraint(Q(to_state__in=values(ReviewState)), "to_state_valid"),
        ]
        indexes = [
            models.Index(
                fields=["update", "created_at"], name="objectives_event_update"
            )
        ]

    def __str__(self) -> str:
        return f"{self.update_id}: {self.from_state or '-'} → {self.to_state}"

    @property
    def is_clearance(self) -> bool:
        """Clearing for public release leaves the review state as it is (accepted)."""
        return self.from_state == self.to_state == ReviewState.ACCEPTED
