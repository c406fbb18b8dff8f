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
