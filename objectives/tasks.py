"""The background work: Celery tasks, each calling one service, and the one place that
enqueues them. Services ask for work after commit through the functions here
(`request_rollup`), so no service imports a task object and no import goes in a circle.
"""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from .services.notifications import notification_digests_send
from .services.reminders import reminders_send
from .services.rollup import RollupBusy, rollup_run

ROLLUP_SCHEDULED_KEY = "objectives:rollup:scheduled"


@shared_task(
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def send_notification_digests_task() -> int:
    """Send the pending e-mail notices as one digest per person; safe to run twice."""
    return notification_digests_send()


@shared_task(
    bind=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def rollup_progress_task(self, day: str | None = None) -> int:
    """Roll progress up the strategy for a day (ISO date; today by default). Idempotent."""
    try:
        return rollup_run(day=datetime.date.fromisoformat(day) if day else None)
    except RollupBusy as busy:
        # Another run holds the lock: try again once it should have finished.
        raise self.retry(countdown=60, max_retries=10) from busy


@shared_task
def send_reminders_task(day: str | None = None) -> int:
    """Send the daily reporting reminders; a digest already sent this period is not sent again."""
    return reminders_send(day=datetime.date.fromisoformat(day) if day else None)


def request_rollup() -> None:
    """Ask for a rollup soon; a burst of requests within the debounce window gives one run.

    Call it after commit (the services do, through transaction.on_commit).
    """
    debounce = settings.ROLLUP_DEBOUNCE_SECONDS
    if cache.add(ROLLUP_SCHEDULED_KEY, 1, timeout=debounce):
        rollup_progress_task.apply_async(countdown=debounce)
