"""Daily reminders: each focal point gets one digest of their mission's implementations that
have no accepted update within the reporting period; the mission approver is copied once an
implementation has gone twice that long. A digest is recorded before it is sent, under a
unique (recipient, kind, period) key, so running the task twice never sends it twice."""

import datetime
import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stakeholders.models import RoleAssignment
from stakeholders.permissions import Role

from ..models import Implementation, ReminderSent, Strategy
from ..progress import overdue_condition

logger = logging.getLogger(__name__)


def reporting_period(day: datetime.date) -> tuple[int, datetime.date]:
    """The shortest reporting period of the active strategies, and the start of the period
    that `day` falls in (periods are counted from a fixed origin, so every run agrees)."""
    days = (
        Strategy.objects.active().aggregate(days=Min("reporting_period_days"))["days"]
        or 30
    )
    return days, day - timedelta(days=day.toordinal() % days)


def reminders_send(*, day: datetime.date | None = None) -> int:
    """Send the digests due today; return how many e-mails went out."""
    day = day or timezone.localdate()
    now = timezone.now()
    period_days, period_start = reporting_period(day)
    overdue = list(
        Implementation.objects.counted()
        .filter(overdue_condition(audience="internal", now=now))
        .select_related("action", "organisation")
        .order_by("organisation_id", "action__code")
    )
    by_mission: dict[int, list[Implementation]] = defaultdict(list)
    for implementation in overdue:
        by_mission[implementation.organisation_id].append(implementation)
    long_overdue_before = now - timedelta(days=2 * period_days)

    sent = 0
    assignments = RoleAssignment.objects.filter(
        ended_at__isnull=True,
        role__in=[Role.FOCAL_POINT, Role.APPROVER],
        organisation_id__in=list(by_mission),
    ).select_related("user")
    digests: dict[tuple[int, str], list[Implementation]] = defaultdict(list)
    users = {}
    for assignment in assignments:
        users[assignment.user_id] = assignment.user
        items = by_mission[assignment.organisation_id]
        if assignment.role == Role.FOCAL_POINT:
            digests[(assignment.user_id, ReminderSent.Kind.FOCAL_POINT)] += items
        else:
            digests[(assignment.user_id, ReminderSent.Kind.APPROVER_COPY)] += [
                item
                for item in items
                if item.last_accepted_at is None
                or item.last_accepted_at < long_overdue_before
            ]
    for (user_id, kind), items in digests.items():
        user = users[user_id]
        if not items or not user.email:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    recipient=user,
                    kind=kind,
                    period_start=period_start,
                    implementation_count=len(items),
                )
                _send(user, kind, items, period_days)
        except IntegrityError:
            continue  # already sent for this period
        sent += 1
    logger.info("reminders.sent", extra={"emails": sent, "overdue": len(overdue)})
    return sent


def _send(user, kind: str, items: list[Implementation], period_days: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "objectives/email/reminder.txt",
            {
                "user": user,
                "is_copy": kind == ReminderSent.Kind.APPROVER_COPY,
                "period_days": period_days,
                "items": [
                    {
                        "action": item.action.code,
                        "mission": item.organisation.code,
                        "last": item.last_accepted_at,
                        "link": settings.SITE_URL.rstrip("/")
                        + reverse("objectives:implementation-detail", args=[item.pk]),
                    }
                    for item in items
                ],
            },
        )
        subject = _("Strategy tracker: %(count)s action(s) need a progress update") % {
            "count": len(items)
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
