import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup
from strategy_tracker.models import (
    TimeStampedModel,
    TranslatedContentMixin,
    english_text_required,
)

from .choices import (
    Audience,
    Confidence,
    ImplementationStatus,
    NodeType,
    ObjectiveTerm,
    ReviewState,
    Sensitivity,
    StrategyStatus,
    values,
)
from .querysets import ImplementationQuerySet, StatusUpdateQuerySet, TreeNodeQuerySet

# Source documents give dates to the year, the month or the day ("2018-09", "2021-08-15");
# they are kept at the precision the source gives rather than padded with invented days.
PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
partial_date_validator = RegexValidator(
    PARTIAL_DATE_PATTERN, _("Use YYYY, YYYY-MM or YYYY-MM-DD.")
)
percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


def _check(condition: Q, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=condition, name=f"%(app_label)s_%(class)s_{name}"
    )


class Strategy(TranslatedContentMixin, TimeStampedModel):
    """A strategy document: its purpose, the principles it adopts and the groups it is for.

    The 2021 digital-transformation strategy is the one tracked in depth; the strategies
    it is aligned with (the 2018 Strategy on New Technologies, Action for Peacekeeping)
    are kept as context.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StrategyStatus.choices,
        default=StrategyStatus.DRAFT,
    )
    objective_term = models.CharField(
        _("objectives are called"),
        max_length=12,
        choices=ObjectiveTerm.choices,
        default=ObjectiveTerm.GOAL,
    )
    initiated = models.CharField(
        _("initiated"), max_length=10, blank=True, validators=[partial_date_validator]
    )
    published = models.CharField(
        _("published"), max_length=10, blank=True, validators=[partial_date_validator]
    )
    launched = models.CharField(
        _("launched"), max_length=10, blank=True, validators=[partial_date_validator]
    )
    note = models.TextField(_("note"), blank=True)
    reporting_period_days = models.PositiveSmallIntegerField(
        _("reporting period (days)"),
        default=30,
        help_text=_(
            "An implementation with no accepted update for this long is overdue."
        ),
    )
    owners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="owned_strategies",
        verbose_name=_("owners"),
    )
    principles = models.ManyToManyField(
        Principle, blank=True, related_name="strategies", verbose_name=_("principles")
    )
    stakeholder_groups = models.ManyToManyField(
        StakeholderGroup,
        blank=True,
        related_name="strategies",
        verbose_name=_("stakeholder groups"),
    )
    aligned_with = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="aligned_from",
        verbose_name=_("aligned with"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            _check(~Q(code=""), "code_not_blank"),
            _check(english_text_required("title"), "title_en_not_blank"),
            _check(Q(status__in=values(StrategyStatus)), "status_valid"),
            _check(Q(objective_term__in=values(ObjectiveTerm)), "objective_term_valid"),
            _check(Q(reporting_period_days__gte=1), "reporting_period_positive"),
        ]

    def __str__(self) -> str:
        return self.code


class Objective(TranslatedContentMixin, TimeStampedModel):
    """A top-level objective of a strategy; the 2021 strategy calls its four objectives goals."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("strategy"),
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("Where the wording comes from, when it is not the printed text."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = TreeNodeQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order", "code"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_strategy",
            ),
            _check(~Q(code=""), "code_not_blank"),
            _check(english_text_required("title"), "title_en_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Outcome(TranslatedContentMixin, TimeStampedModel):
    """A result an objective is meant to bring about; actions under it produce it."""

    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("objective"),
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Invented for demonstration; not part of the adopted strategy."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = TreeNodeQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "order", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_objective",
            ),
            _check(~Q(code=""), "code_not_blank"),
            _check(english_text_required("title"), "title_en_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Action(TranslatedContentMixin, TimeStampedModel):
    """A recommended action under an outcome, led by one organisation, carried out by many.

    Its weight sets its share in the outcome's progress. An action that has status
    updates is archived, never deleted, when a re-import leaves it out.
    """

    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("outcome"),
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_actions",
        verbose_name=_("lead organisation"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    principles = models.ManyToManyField(
        Principle, blank=True, related_name="actions", verbose_name=_("principles")
    )
    stakeholder_groups = models.ManyToManyField(
        StakeholderGroup,
        blank=True,
        related_name="actions",
        verbose_name=_("stakeholder groups"),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Invented for demonstration; not part of the adopted strategy."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = TreeNodeQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "order", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_outcome",
            ),
            _check(~Q(code=""), "code_not_blank"),
            _check(english_text_required("title"), "title_en_not_blank"),
            _check(Q(weight__gt=0), "weight_positive"),
            _check(
                Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                "due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


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
            _check(Q(progress__gte=0) & Q(progress__lte=100), "progress_range"),
            _check(Q(status__in=values(ImplementationStatus)), "status_valid"),
            _check(
                ~Q(status=ImplementationStatus.COMPLETED) | Q(progress=100),
                "completed_is_100_percent",
            ),
            _check(
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
        _("evidence file"), upload_to="evidence/%Y/%m/", blank=True
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
            _check(Q(progress__gte=0) & Q(progress__lte=100), "progress_range"),
            _check(Q(status__in=values(ImplementationStatus)), "status_valid"),
            _check(Q(confidence__in=values(Confidence)), "confidence_valid"),
            _check(Q(sensitivity__in=values(Sensitivity)), "sensitivity_valid"),
            _check(Q(review_state__in=values(ReviewState)), "review_state_valid"),
            _check(
                ~Q(status=ImplementationStatus.COMPLETED) | Q(progress=100),
                "completed_is_100_percent",
            ),
            _check(
                ~Q(review_state=ReviewState.ACCEPTED) | Q(accepted_at__isnull=False),
                "accepted_has_time",
            ),
            models.UniqueConstraint(
                fields=["implementation", "author"],
                condition=Q(review_state=ReviewState.DRAFT),
                name="%(app_label)s_%(class)s_one_draft_per_author",
            ),
            _check(
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
            _check(Q(to_state__in=values(ReviewState)), "to_state_valid"),
        ]
        indexes = [
            models.Index(
                fields=["update", "created_at"], name="objectives_event_update"
            )
        ]

    def __str__(self) -> str:
        return f"{self.update_id}: {self.from_state or '-'} → {self.to_state}"


class ProgressSnapshotQuerySet(models.QuerySet):
    def current(self) -> "ProgressSnapshotQuerySet":
        """The figures as the latest rollup left them: one row per node and organisation."""
        return self.filter(valid_until__isnull=True)

    def held_since(self, day: datetime.date) -> "ProgressSnapshotQuerySet":
        """The rows that held on `day` or later."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))

    def as_of(self, day: datetime.date) -> "ProgressSnapshotQuerySet":
        """The rows that held on `day`: one per node and organisation the rollup knew then."""
        return self.held_since(day).filter(date__lte=day)


class ProgressSnapshot(TimeStampedModel):
    """The rolled-up progress of one node of the tree, for one organisation or all, from
    `date` until the day before `valid_until` (empty: it still holds).

    The rollup writes a row only when a node's figures change: a run closes the rows whose
    figures moved and opens new ones dated that day, and a later run of the same day
    rewrites that day's rows in place, so running it twice gives the same rows. The
    figures of any day are `as_of(day)`; read by trend charts and the tree.
    `organisation` empty means all organisations.
    """

    date = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "The first day these figures no longer held; empty while they hold."
        ),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("strategy"),
    )
    node_type = models.CharField(
        _("node type"), max_length=10, choices=NodeType.choices
    )
    node_id = models.PositiveBigIntegerField(_("node id"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("organisation"),
    )
    progress = models.DecimalField(
        _("progress"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    weight_total = models.DecimalField(
        _("weight of applicable work"), max_digits=12, decimal_places=2, default=0
    )
    implementation_count = models.PositiveIntegerField(_("implementations"), default=0)
    not_started_count = models.PositiveIntegerField(default=0)
    on_track_count = models.PositiveIntegerField(default=0)
    at_risk_count = models.PositiveIntegerField(default=0)
    off_track_count = models.PositiveIntegerField(default=0)
    completed_count = models.PositiveIntegerField(default=0)
    cancelled_count = models.PositiveIntegerField(default=0)
    not_applicable_count = models.PositiveIntegerField(default=0)
    overdue_count = models.PositiveIntegerField(default=0)

    objects = ProgressSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "node_type", "node_id"]
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "audience", "node_type", "node_id", "organisation"],
                condition=Q(organisation__isnull=False),
                name="%(app_label)s_%(class)s_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["date", "audience", "node_type", "node_id"],
                condition=Q(organisation__isnull=True),
                name="%(app_label)s_%(class)s_unique_for_all",
            ),
            # One current row per node and organisation (and one for all organisations).
            models.UniqueConstraint(
                fields=["audience", "node_type", "node_id", "organisation"],
                condition=Q(valid_until__isnull=True, organisation__isnull=False),
                name="%(app_label)s_%(class)s_current_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["audience", "node_type", "node_id"],
                condition=Q(valid_until__isnull=True, organisation__isnull=True),
                name="%(app_label)s_%(class)s_current_for_all",
            ),
            _check(
                Q(valid_until__isnull=True) | Q(valid_until__gt=F("date")),
                "valid_until_after_date",
            ),
            _check(
                Q(progress__isnull=True) | (Q(progress__gte=0) & Q(progress__lte=100)),
                "progress_range",
            ),
            _check(Q(node_type__in=values(NodeType)), "node_type_valid"),
            _check(Q(audience__in=values(Audience)), "audience_valid"),
        ]
        indexes = [
            models.Index(
                fields=["node_type", "node_id", "organisation", "date"],
                name="objectives_snapshot_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.node_type}:{self.node_id}"


class Notification(models.Model):
    """Something a person should hear about by e-mail; sent in batches, one digest per person.

    Holds references only: the e-mail names the action, the mission and the link, never the
    narrative, so no confidential text travels by e-mail.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("An update awaits your approval")
        APPROVED = "approved", _("An update awaits acceptance")
        RETURNED = "returned", _("Your update was returned for revision")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    update = models.ForeignKey(
        StatusUpdate,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("update"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "update"],
                name="%(app_label)s_%(class)s_unique_per_recipient_kind_update",
            ),
        ]
        indexes = [
            models.Index(
                fields=["sent_at", "recipient"], name="objectives_notification_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.update_id}"


class ReminderSent(models.Model):
    """A reminder digest sent to one person for one reporting period, so it is never sent twice."""

    class Kind(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Focal point reminder")
        APPROVER_COPY = "approver_copy", _("Copy to the mission approver")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    implementation_count = models.PositiveIntegerField(_("implementations"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-period_start", "recipient"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period_start"],
                name="%(app_label)s_%(class)s_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.period_start}"
