import datetime

from celery import shared_task

from .services.notifications import notification_digests_send


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
    from .services.rollup import RollupBusy, rollup_run

    try:
        return rollup_run(day=datetime.date.fromisoformat(day) if day else None)
    except RollupBusy as busy:
        # Another run holds the lock: try again once it should have finished.
        raise self.retry(countdown=60, max_retries=10) from busy


@shared_task
def send_reminders_task(day: str | None = None) -> int:
    """Send the daily reporting reminders; a digest already sent this period is not sent again."""
    from .services.reminders import reminders_send

    return reminders_send(day=datetime.date.fromisoformat(day) if day else None)
