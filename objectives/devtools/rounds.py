"""Reporting rounds for generated data (the demo, the data at scale): the strategy's
last quarters as rounds, each update reported for the round open when it was
submitted, and the closed rounds' figures frozen."""

import datetime
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db.models import Q
from django.utils import timezone

from ..models import ReportingRound, Strategy
from ..services.rounds import add_months, round_figures_freeze, round_period_name

Say = Callable[[str], None]


def past_rounds_create(
    strategy: Strategy,
    *,
    count: int,
    actor: AbstractUser | None,
    say: Say,
) -> list[ReportingRound]:
    """The strategy's last `count` quarters as rounds, replacing any it had: each
    opened the day after its quarter ended, with a deadline a month later, and closed
    the day before the next one opened; the last is still open."""
    ReportingRound.objects.filter(strategy=strategy).delete()
    today = timezone.localdate()
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    starts = [add_months(quarter_start, -3 * back) for back in range(count, 0, -1)]
    rounds = []
    for index, start in enumerate(starts):
        end = add_months(start, 3) - timedelta(days=1)
        opens_on = end + timedelta(days=1)
        is_last = index == len(starts) - 1
        reporting_round = ReportingRound(
            strategy=strategy,
            name=round_period_name(start, 3),
            period_start=start,
            period_end=end,
            opens_on=opens_on,
            deadline=opens_on + timedelta(days=30),
            opened_by=actor,
            closed_at=None
            if is_last
            else _evening(add_months(opens_on, 3) - timedelta(days=1)),
            closed_by=None if is_last else actor,
        )
        reporting_round._history_date = _evening(opens_on - timedelta(days=1))
        reporting_round._change_reason = "opened"
        reporting_round.save()
        rounds.append(reporting_round)
    say(f"reporting rounds: {', '.join(r.name for r in rounds)} (the last one open)")
    return rounds


def _evening(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))


def _opening(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))


def round_on(rounds: list[ReportingRound], moment) -> ReportingRound | None:
    """The round open at `moment` (None before the first one opened, and for drafts)."""
    if moment is None:
        return None
    day = timezone.localdate(moment)
    found = None
    for reporting_round in rounds:
        if reporting_round.opens_on <= day:
            found = reporting_round
    return found


def updates_assign_rounds(rounds: list[ReportingRound], updates, *, say: Say) -> None:
    """Report each submitted update for the round open when it was submitted: one
    UPDATE per round, whatever the number of updates."""
    for index, reporting_round in enumerate(rounds):
        window = Q(submitted_at__gte=_opening(reporting_round.opens_on))
        if index + 1 < len(rounds):
            window &= Q(submitted_at__lt=_opening(rounds[index + 1].opens_on))
        count = updates.filter(window).update(round=reporting_round)
        say(f"reporting rounds: {count:,} updates reported for {reporting_round.name}")


def closed_rounds_freeze(rounds: list[ReportingRound], *, say: Say) -> None:
    for reporting_round in rounds:
        if reporting_round.closed_at is not None:
            round_figures_freeze(
                reporting_round=reporting_round,
                progress=lambda message: say(f"  {message}"),
            )
