"""The rollup's stored figures: one row per node of the tree and organisation, for the
period over which they held."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation
from strategy_tracker.models import TimeStampedModel

from ..choices import Audience, NodeType, values
from ..querysets import ProgressSnapshotQuerySet
from .base import check_constraint
from .tree import Strategy


class FigureColumns(TimeStampedModel):
    """The figures of one node of the tree: its progress, the weight of the work it
    averages, and how many implementations are counted, in each status, and past their
    due date; every figure but progress is a sum (`progress.Figures`)."""

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
    past_due_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ProgressSnapshot(FigureColumns):
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
            check_constraint(
                Q(valid_until__isnull=True) | Q(valid_until__gt=F("date")),
                "valid_until_after_date",
            ),
            check_constraint(
                Q(progress__isnull=True) | (Q(progress__gte=0) & Q(progress__lte=100)),
                "progress_range",
            ),
            check_constraint(Q(node_type__in=values(NodeType)), "node_type_valid"),
            check_constraint(Q(audience__in=values(Audience)), "audience_valid"),
        ]
        indexes = [
            models.Index(
                fields=["node_type", "node_id", "organisation", "date"],
                name="objectives_snapshot_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.node_type}:{self.node_id}"


class RollupRequest(models.Model):
    """A rollup asked for (an acceptance, a clearance) and not yet done, kept in the
    database so that no request is lost when Redis or a worker is down: a run deletes
    the requests made before it started, and the periodic check (`rollup_if_due`) runs
    one while any is left."""

    requested_at = models.DateTimeField(_("requested at"), db_index=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("rollup request")
        verbose_name_plural = _("rollup requests")

    def __str__(self) -> str:
        return f"rollup requested at {self.requested_at:%Y-%m-%d %H:%M:%S}"


class RollupRun(models.Model):
    """One completed rollup: the day whose figures it stored and when it finished. The
    dashboard reads the stored figures when a run of today left nothing waiting, and
    says when they were computed ("data as of")."""

    day = models.DateField(_("day"))
    finished_at = models.DateTimeField(_("finished at"), db_index=True)
    rows = models.PositiveIntegerField(_("rows holding"), default=0)
    changed = models.PositiveIntegerField(_("rows written"), default=0)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        get_latest_by = "finished_at"
        verbose_name = _("rollup run")
        verbose_name_plural = _("rollup runs")

    def __str__(self) -> str:
        return f"rollup of {self.day} finished at {self.finished_at:%Y-%m-%d %H:%M:%S}"
