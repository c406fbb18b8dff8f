"""Reporting rounds: opening one (by hand or on the strategy's schedule), closing it,
which freezes its figures, and reopening it, which the history records with a reason.

A round's figures are those of each implementation at its latest accepted update
reported for that round or an earlier one (or outside any round before the close),
accepted before the close, ordered by when it was reported (`current_status.LATEST_FIRST`).
Computing them again from the same data gives the same rows, so a closed round is
reproducible; later updates never change it.
"""

import datetime
import logging
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from strategy_tracker.exceptions import InvalidTransition, NotAllowed

from ..caching import public_pages_refresh
from ..choices import (
    STATUSES_EXCLUDED_FROM_PROGRESS,
    Audience,
    ImplementationStatus,
    ReviewState,
)
from ..models import Implementation, ReportingRound, RoundFigure, StatusUpdate, Strategy
from ..permissions import MANAGE_ROUND
from ..progress import (
    NODE_PATHS,
    STATUS_FIELDS,
    STRATEGY_PATH,
    Figures,
    date_of,
    figures_up_the_tree,
)
from .current_status import LATEST_FIRST

logger = logging.getLogger(__name__)

_DONE = {ImplementationStatus.COMPLETED, *STATUSES_EXCLUDED_FROM_PROGRESS}


def _may_manage(actor: AbstractUser | None) -> None:
    if actor is not None and not actor.has_perm(MANAGE_ROUND):
        raise NotAllowed(_("Only a strategy manager opens, closes or reopens rounds."))


def round_period_name(period_start: datetime.date, months: int) -> str:
    """2026-Q3 for a quarter, 2026-H1 for a half year, 2026 for a year, 2026-07 for a
    month, 2026-07/2026-10 for any other span."""
    year, month = period_start.year, period_start.month
    if months == 3 and month % 3 == 1:
        return f"{year}-Q{(month + 2) // 3}"
    if months == 6 and month in (1, 7):
        return f"{year}-H{1 if month == 1 else 2}"
    if months == 12 and month == 1:
        return str(year)
    if months == 1:
        return f"{year}-{month:02d}"
    end = add_months(period_start, months - 1)
    return f"{year}-{month:02d}/{end.year}-{end.month:02d}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


def scheduled_period(
    strategy: Strategy, *, after: datetime.date | None, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The next period of the strategy's schedule: the one after `after` (the last
    round's end), or, with no round yet, the last whole period before today. Periods are
    whole months aligned on January (quarters start in January, April, July, October)."""
    months = strategy.round_months
    if after is not None:
        start = after + datetime.timedelta(days=1)
        start = start.replace(day=1) if start.day != 1 else start
    else:
        this_period = today.replace(
            month=(today.month - 1) // months * months + 1, day=1
        )
        start = add_months(this_period, -months)
    end = add_months(start, months) - datetime.timedelta(days=1)
    return start, end


@transaction.atomic
def round_open(
    *,
    strategy: Strategy,
    actor: AbstractUser | None,
    name: str,
    period_start: datetime.date,
    period_end: datetime.date,
    opens_on: datetime.date,
    deadline: datetime.date,
    expects_unstarted_work: bool = False,
) -> ReportingRound:
    """Open a round for the strategy; refused while another one is open. `actor` None
    is the schedule."""
    _may_manage(actor)
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    if ReportingRound.objects.open().filter(strategy=strategy).exists():
        raise InvalidTransition(
            _("This strategy already has an open round; close it first.")
        )
    reporting_round = ReportingRound(
        strategy=strategy,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        deadline=deadline,
        expects_unstarted_work=expects_unstarted_work,
        opened_by=actor,
    )
    reporting_round.full_clean()
    reporting_round._change_reason = "opened"
    reporting_round.save()
    logger.info(
        "round.opened", extra={"round": str(reporting_round), "by": _who(actor)}
    )
    return reporting_round


def rounds_open_on_schedule(
    *, today: datetime.date | None = None
) -> list[ReportingRound]:
    """For each active strategy on a schedule with no open round: open the round of the
    next period once that period has ended (the round reports on it; it opens the day
    after and its deadline is `ROUND_DEADLINE_DAYS` later). Running it twice opens
    nothing more."""
    today = today or timezone.localdate()
    opened = []
    for strategy in Strategy.objects.active().filter(round_months__gt=0):
        if ReportingRound.objects.open().filter(strategy=strategy).exists():
            continue
        last = (
            ReportingRound.objects.filter(strategy=strategy)
            .order_by("-period_end")
            .first()
        )
        start, end = scheduled_period(
            strategy, after=last.period_end if last else None, today=today
        )
        if end >= today:
            continue
        opens_on = end + datetime.timedelta(days=1)
        try:
            opened.append(
                round_open(
                    strategy=strategy,
                    actor=None,
                    name=round_period_name(start, strategy.round_months),
                    period_start=start,
                    period_end=end,
                    opens_on=max(opens_on, today),
                    deadline=max(opens_on, today)
                    + datetime.timedelta(days=settings.ROUND_DEADLINE_DAYS),
                )
            )
        except (InvalidTransition, ValidationError):
            continue  # another run opened it, or a round of that name exists
    return opened


@transaction.atomic
def round_close(
    *,
    reporting_round: ReportingRound,
    actor: AbstractUser | None,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Close the round and freeze its figures; return how many figure rows it holds."""
    _may_manage(actor)
    locked = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if locked.closed_at is not None:
        raise InvalidTransition(_("This round is already closed."))
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked._change_reason = "closed"
    locked.save()
    count = round_figures_freeze(reporting_round=locked, progress=progress)
    # The public pages show the last closed round's figures.
    transaction.on_commit(public_pages_refresh)
    reporting_round.closed_at, reporting_round.closed_by = locked.closed_at, actor
    logger.info(
        "round.closed",
        extra={"round": str(locked), "by": _who(actor), "figures": count},
    )
    return count


@transaction.atomic
def round_reopen(
    *, reporting_round: ReportingRound, actor: AbstractUser | None, reason: str
) -> ReportingRound:
    """Reopen a closed round, for a reason the history keeps. Its frozen figures are
    dropped; closing it again freezes them anew. Refused while another round of the
    strategy is open."""
    _may_manage(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the round is reopened.")]})
    locked = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if locked.closed_at is None:
        raise InvalidTransition(_("This round is open."))
    if ReportingRound.objects.open().filter(strategy_id=locked.strategy_id).exists():
        raise InvalidTransition(
            _("This strategy already has an open round; close it first.")
        )
    locked.closed_at = None
    locked.closed_by = None
    locked._change_reason = f"reopened: {reason}"[:100]
    locked.save()
    RoundFigure.objects.filter(round=locked).delete()
    transaction.on_commit(public_pages_refresh)
    logger.info("round.reopened", extra={"round": str(locked), "by": _who(actor)})
    return locked


def _who(actor: AbstractUser | None) -> str:
    return actor.get_username() if actor is not None else "schedule"


def round_updates_counted(reporting_round: ReportingRound, *, audience: str):
    """The accepted updates a closed round's figures may read: reported for this round
    or an earlier one of its strategy, or outside any round before the close; accepted
    (and, for the public, cleared) before the close."""
    closed_at = reporting_round.closed_at or timezone.now()
    updates = StatusUpdate.objects.filter(
        Q(
            round__strategy_id=reporting_round.strategy_id,
            round__period_start__lte=reporting_round.period_start,
        )
        | Q(round__isnull=True, submitted_at__lte=closed_at),
        review_state=ReviewState.ACCEPTED,
        accepted_at__lte=closed_at,
    )
    if audience == Audience.PUBLIC:
        updates = updates.filter(cleared_for_public=True, cleared_at__lte=closed_at)
    return updates


def round_implementation_rows(reporting_round: ReportingRound, *, audience: str):
    """Each counted implementation of the round's strategy with the status and progress
    of the update its round figures read (None: nothing counted yet). One query."""
    chosen = (
        round_updates_counted(reporting_round, audience=audience)
        .filter(implementation=OuterRef("pk"))
        .order_by(*LATEST_FIRST)
    )
    return (
        Implementation.objects.counted()
        .filter(**{STRATEGY_PATH: reporting_round.strategy_id})
        .annotate(
            round_status=Subquery(chosen.values("status")[:1]),
            round_progress=Subquery(chosen.values("progress")[:1]),
        )
        .values(
            *NODE_PATHS.values(),
            "organisation_id",
            "action__weight",
            "due_date",
            "action__due_date",
            "round_status",
            "round_progress",
        )
        .order_by()
    )


def _row_figures(row: dict, *, audience: str, period_end: datetime.date) -> dict:
    """One implementation's contribution to every figure, as `progress.figures_from_row`
    reads it (the same rules as `progress.implementation_figures`)."""
    status = row["round_status"]
    if status is None:
        if audience == Audience.PUBLIC:
            return {}
        status, progress = ImplementationStatus.NOT_STARTED.value, 0
    else:
        progress = row["round_progress"]
    weight = Decimal(row["action__weight"])
    due_date = date_of(row, "due_date")
    applicable = status not in STATUSES_EXCLUDED_FROM_PROGRESS
    return {
        **{path: row[path] for path in NODE_PATHS.values()},
        "organisation_id": row["organisation_id"],
        "weighted_sum": Decimal(progress) * weight if applicable else Decimal(0),
        "weight_total": weight if applicable else Decimal(0),
        "implementation_count": 1,
        "past_due_count": int(
            due_date is not None and due_date <= period_end and status not in _DONE
        ),
        **{name: int(status == value) for value, name in STATUS_FIELDS.items()},
    }


def round_figures_compute(
    reporting_round: ReportingRound,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[RoundFigure]:
    """The round's figure rows, per audience: every (node, organisation) with counted
    work, and every node of the strategy's tree for all organisations. Queries: one per
    audience and the node lists, whatever the size of the data."""
    from .rollup import current_nodes

    say = progress or (lambda message: None)
    nodes = current_nodes(strategy_id=reporting_round.strategy_id)
    rows: list[RoundFigure] = []
    for audience in Audience:
        say(f"{reporting_round}: reading the {audience} figures")
        contributions = [
            figures
            for row in round_implementation_rows(reporting_round, audience=audience)
            if (
                figures := _row_figures(
                    row, audience=audience, period_end=reporting_round.period_end
                )
            )
        ]
        totals = figures_up_the_tree(contributions)
        for node_type, node_ids in nodes.items():
            for node_id in node_ids:
                totals.setdefault((node_type, node_id, None), Figures())
        for (node_type, node_id, organisation_id), figures in totals.items():
            if node_id in nodes[node_type]:
                rows.append(
                    RoundFigure(
                        round=reporting_round,
                        audience=audience,
                        node_type=node_type,
                        node_id=node_id,
                        organisation_id=organisation_id,
                        **figures.columns(),
                    )
                )
    return rows


def round_figures_freeze(
    *,
    reporting_round: ReportingRound,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Store the round's figures in place of any it held; return how many rows."""
    say = progress or (lambda message: None)
    rows = round_figures_compute(reporting_round, progress=progress)
    RoundFigure.objects.filter(round=reporting_round).delete()
    RoundFigure.objects.bulk_create(rows, batch_size=1000)
    say(f"{reporting_round}: {len(rows)} figure rows stored")
    return len(rows)
