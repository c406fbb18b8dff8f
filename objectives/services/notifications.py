"""E-mail notices, batched: one digest per person with everything that waits for them.

The digest names the action, the mission and a link; it never carries the narrative,
so no confidential text leaves the system by e-mail.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Notification

logger = logging.getLogger(__name__)


def notification_digests_send() -> int:
    """Send every pending notice, one e-mail per recipient; return how many e-mails went out.

    A notice whose update has moved on since (approved, accepted, superseded) is dropped
    unsent: a digest lists only what still waits when it goes out.

    Rows are claimed with a row lock and marked sent in the same transaction, so two runs
    at once never send the same notice twice.
    """
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .select_related(
                "recipient",
                "update__implementation__action",
                "update__implementation__organisation",
            )
            .order_by("recipient_id", "created_at", "pk")
        )
        by_recipient: dict[int, list[Notification]] = defaultdict(list)
        for notification in pending:
            if notification.still_pending:
                by_recipient[notification.recipient_id].append(notification)
        for notices in by_recipient.values():
            recipient = notices[0].recipient
            if not recipient.email:
                continue
            _send_digest(recipient, notices)
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            sent_at=timezone.now()
        )
    logger.info("notifications.sent", extra={"emails": sent, "notices": len(pending)})
    return sent


def _send_digest(recipient, notices: list[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            {
                "kind": notice.get_kind_display(),
                "action": notice.update.implementation.action.code,
                "mission": notice.update.implementation.organisation.code,
                "link": settings.SITE_URL.rstrip("/")
                + reverse(
                    "objectives:implementation-detail",
                    args=[notice.update.implementation_id],
                )
                + f"#update-{notice.update_id}",
            }
            for notice in notices
        ]
        body = render_to_string(
            "objectives/email/digest.txt", {"user": recipient, "items": items}
        )
        subject = _("Strategy tracker: %(count)s item(s) need your attention") % {
            "count": len(items)
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
