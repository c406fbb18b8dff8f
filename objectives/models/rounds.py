"""Reporting rounds: the cycle in which missions report on their actions, by a deadline,
and the figures each round froze when it closed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stakeholders.models import Organisation
from strategy_tracker.models import TimeStampedModel

from ..choices import Audience, NodeType, values
from ..querysets import ReportingRoundQuerySet, RoundFigureQuerySet
from .base import check_constraint
from .snapshots import FigureColumns
from .tree import Strategy


class ReportingRound(TimeStampedModel):
    """One round of reporting for a strategy, such as 2026-Q4: the period it covers, the
    day it opened and the deadline for the missions' reports.

    A strategy has at most one open round; every update submitted while it is open is
    reported for it. Closing a round freezes its figures (`RoundFigure`); reopening is
    an explicit act whose reason the history keeps.
    """

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("strategy"),
    )
    name = models.CharField(_("name"), max_length=40)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    expects_unstarted_work = models.BooleanField(
        _("work not yet started reports too"),
        default=False,
        help_text=_(
            "Off: an implementation whose start date is after the period is "
            "“not due to report yet”."
        ),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
        help_text=_("Empty: opened on the strategy's schedule."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    objects = ReportingRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "-period_start"]
        get_latest_by = "period_start"
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        permissions = [("manage_round", _("Can open, close and reopen rounds"))]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_(
                    "This strategy already has a round of that name."
                ),
            ),
            models.UniqueConstraint(
                fields=["strategy"],
                condition=Q(closed_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_strategy",
                violation_error_message=_(
                    "This strategy already has an open round; close it first."
                ),
            ),
            check_constraint(~Q(name=""), "name_not_blank"),
            check_constraint(Q(period_end__gte=F("period_start")), "period_ordered"),
            check_constraint(Q(deadline__gte=F("opens_on")), "deadline_after_opening"),
            check_constraint(
                Q(closed_by__isnull=True) | Q(closed_at__isnull=False),
                "closer_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy.code} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def deadline_passed(self) -> bool:
        """After the deadline a report not submitted is "report missing"."""
        return timezone.localdate() > self.deadline


class RoundFigure(FigureColumns):
    """The figures of one node of the tree, for one organisation or all, as its round
    stood when it closed: each implementation at its latest accepted update reported for
    that round or an earlier one, accepted before the close. Written once per close,
    never changed after; a reopened round's figures are written again when it closes."""

    round = models.ForeignKey(
        ReportingRound,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("round"),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    node_type = models.CharField(
        _("node type"), max_length=10, choices=NodeType.choices
    )
    node_id = models.PositiveBigIntegerField(_("node id"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="round_figures",
        verbose_name=_("organisation"),
    )

    objects = RoundFigureQuerySet.as_manager()

    class Meta:
        ordering = ["round", "node_type", "node_id"]
        verbose_name = _("round figure")
        verbose_name_plural = _("round figures")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "audience", "node_type", "node_id", "organisation"],
                condition=Q(organisation__isnull=False),
                name="%(app_label)s_%(class)s_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["round", "audience", "node_type", "node_id"],
                condition=Q(organisation__isnull=True),
                name="%(app_label)s_%(class)s_unique_for_all",
            ),
            check_constraint(Q(node_type__in=values(NodeType)), "node_type_valid"),
            check_constraint(Q(audience__in=values(Audience)), "audience_valid"),
        ]
        indexes = [
            # A node's figures in every round, for every organisation and for all: the
            # dashboard's progress by round.
            models.Index(
                fields=["node_type", "node_id", "round"],
                name="objectives_roundfig_node",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.node_type}:{self.node_id}"
