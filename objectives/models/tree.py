"""The strategy tree: a strategy, its objectives (goals), outcomes and actions."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup
from strategy_tracker.models import (
    TimeStampedModel,
    TranslatedContent,
    english_text_required,
)

from ..choices import ObjectiveTerm, StrategyStatus, values
from ..querysets import (
    ActionQuerySet,
    ObjectiveQuerySet,
    OutcomeQuerySet,
    StrategyQuerySet,
)
from .base import check_constraint, partial_date_validator


class Strategy(TranslatedContent, TimeStampedModel):
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
    round_months = models.PositiveSmallIntegerField(
        _("months per reporting round"),
        default=3,
        help_text=_(
            "The next round opens on this schedule when the last one has closed "
            "(3: quarterly); 0: rounds are opened by hand."
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

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            check_constraint(~Q(code=""), "code_not_blank"),
            check_constraint(english_text_required("title"), "title_en_not_blank"),
            check_constraint(Q(status__in=values(StrategyStatus)), "status_valid"),
            check_constraint(
                Q(objective_term__in=values(ObjectiveTerm)), "objective_term_valid"
            ),
            check_constraint(
                Q(round_months__gte=0) & Q(round_months__lte=12), "round_months_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Objective(TranslatedContent, TimeStampedModel):
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

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order", "code"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_strategy",
            ),
            check_constraint(~Q(code=""), "code_not_blank"),
            check_constraint(english_text_required("title"), "title_en_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Outcome(TranslatedContent, TimeStampedModel):
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

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "order", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_objective",
            ),
            check_constraint(~Q(code=""), "code_not_blank"),
            check_constraint(english_text_required("title"), "title_en_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Action(TranslatedContent, TimeStampedModel):
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

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "order", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "code"],
                name="%(app_label)s_%(class)s_unique_code_in_outcome",
            ),
            check_constraint(~Q(code=""), "code_not_blank"),
            check_constraint(english_text_required("title"), "title_en_not_blank"),
            check_constraint(Q(weight__gt=0), "weight_positive"),
            check_constraint(
                Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                "due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
