"""The background work: Celery tasks, each calling one service, and the one place that
enqueues them. Services ask for work after commit through the functions here
(`request_rollup`), so no service imports a task object and no import goes in a circle.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from .caching import public_pages_refresh
from .services.briefings import (
    briefing_pack_run,
    briefing_packs_prune,
    briefing_packs_waiting,
)
from .services.import_jobs import import_job_run, import_jobs_waiting
from .services.notifications import notification_digests_send
from .services.reminders import reminders_send
from .services.rollup import RollupBusy, rollup_due, rollup_run
from .services.rounds import rounds_open_on_schedule

logger = logging.getLogger(__name__)

ROLLUP_SCHEDULED_KEY = "objectives:rollup:scheduled"


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def send_notification_digests_task() -> int:
    """Send the pending e-mail notices as one digest per person; safe to run twice."""
    return notification_digests_send()


@shared_task
def rollup_progress_task(day: str | None = None) -> int | None:
    """Roll progress up the strategy for a day (ISO date; today by default). Idempotent.
    A copy that finds another run holding the lock does nothing: that run, or the next
    periodic check, covers it (so a redelivered duplicate collapses)."""
    try:
        count = rollup_run(day=datetime.date.fromisoformat(day) if day else None)
    except RollupBusy:
        logger.info("rollup.skipped_busy")
        return None
    public_pages_refresh()
    return count


@shared_task
def rollup_if_due_task() -> int | None:
    """The periodic check: run the rollup while a request for one is left in the
    database (one lost to a Redis outage or to a worker killed mid-run)."""
    if not rollup_due():
        return None
    return rollup_progress_task()


@shared_task
def strategy_import_task(job_id: str) -> str | None:
    """Run one import job (a strategy file sent through the API)."""
    job = import_job_run(job_id=job_id)
    if job is not None and job.state == "succeeded":
        public_pages_refresh()
    return job.state if job is not None else None


@shared_task
def import_jobs_resume_task() -> int:
    """The periodic check: run import jobs whose task was never delivered."""
    waiting = import_jobs_waiting(older_than_seconds=60)
    for job_id in waiting:
        strategy_import_task(str(job_id))
    return len(waiting)


@shared_task
def briefing_pack_task(pack_id: str) -> str | None:
    """Render one briefing pack as PDF."""
    pack = briefing_pack_run(pack_id=pack_id)
    return pack.state if pack is not None else None


@shared_task
def briefing_packs_resume_task() -> int:
    """The periodic check: render the packs whose task was never delivered, and delete
    those older than BRIEFING_PACK_DAYS."""
    briefing_packs_prune()
    waiting = briefing_packs_waiting()
    for pack_id in waiting:
        briefing_pack_task(str(pack_id))
    return len(waiting)


@shared_task
def rounds_open_on_schedule_task() -> list[str]:
    """Open the next reporting round of each strategy on a schedule whose period has
    ended and which has no open round; running it twice opens nothing more."""
    return [str(opened) for opened in rounds_open_on_schedule()]


@shared_task
def send_reminders_task(day: str | None = None) -> int:
    """Send the reminders of missing reports due today; none is sent twice."""
    return reminders_send(day=datetime.date.fromisoformat(day) if day else None)


def request_rollup() -> None:
    """Ask for a rollup soon; a burst of requests within the debounce window gives one run.

    Call it after commit (the services do, through transaction.on_commit), once the
    request is in the database (`rollup_requested`). When Redis cannot take the task,
    the write that asked for it still succeeds: the request waits in the database for
    the periodic check.
    """
    debounce = settings.ROLLUP_DEBOUNCE_SECONDS
    try:
        if cache.add(ROLLUP_SCHEDULED_KEY, 1, timeout=debounce):
            rollup_progress_task.apply_async(countdown=debounce)
    except (OperationalError, RedisError, OSError):
        logger.warning("rollup.queue_unavailable", exc_info=True)


def request_import(job_id) -> None:
    """Queue an import job after commit; if Redis cannot take it, the job waits in the
    database for the periodic check."""
    try:
        strategy_import_task.delay(str(job_id))
    except (OperationalError, RedisError, OSError):
        logger.warning("import.queue_unavailable", exc_info=True)


def request_briefing(pack_id) -> None:
    """Queue a briefing pack after commit; if Redis cannot take it, the pack waits in
    the database for the periodic check."""
    try:
        briefing_pack_task.delay(str(pack_id))
    except (OperationalError, RedisError, OSError):
        logger.warning("briefing.queue_unavailable", exc_info=True)
