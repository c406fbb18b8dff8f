"""Reminders follow the open reporting round. For each open round, once a day:

- from `ROUND_REMINDER_DAYS_BEFORE` days before the deadline, each focal point gets one
  digest of their mission's reports still missing;
- from the deadline, each mission approver gets one digest of their mission's;
- from `ROUND_ESCALATION_DAYS_AFTER` days after it, each strategy manager gets one digest
  of every mission's.

A digest lists what is still missing when it is sent, and is recorded before it goes
under a unique (recipient, step, round) key, so no step is ever sent twice.
"""

import datetime
import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stakeholders.models import RoleAssignment
from stakeholders.permissions import Role

from ..choices import StrategyStatus
from ..models import Implementation, ReminderSent, ReportingRound
from ..selectors.rounds import missing_reports

logger = logging.getLogger(__name__)

MISSION_STEPS = {
    ReminderSent.Kind.FOCAL_POINT: Role.FOCAL_POINT,
    ReminderSent.Kind.APPROVER: Role.APPROVER,
}


def _due_steps(reporting_round: ReportingRound, day: datetime.date) -> list[str]:
    deadline = reporting_round.deadline
    steps = []
    if day >= deadline - timedelta(days=settings.ROUND_REMINDER_DAYS_BEFORE):
        steps.append(ReminderSent.Kind.FOCAL_POINT)
    if day >= deadline:
        steps.append(ReminderSent.Kind.APPROVER)
    if day >= deadline + timedelta(days=settings.ROUND_ESCALATION_DAYS_AFTER):
        steps.append(ReminderSent.Kind.MANAGER)
    return steps


def reminders_send(*, day: datetime.date | None = None) -> int:
    """Send the digests due on `day` (today); return how many e-mails went out."""
    day = day or timezone.localdate()
    sent = 0
    rounds = ReportingRound.objects.open().filter(
        strategy__status=StrategyStatus.ACTIVE, opens_on__lte=day
    )
    for reporting_round in rounds.select_related("strategy"):
        steps = _due_steps(reporting_round, day)
        if not steps:
            continue
        missing = list(missing_reports(reporting_round, None))
        by_mission: dict[int, list[Implementation]] = defaultdict(list)
        for implementation in missing:
            by_mission[implementation.organisation_id].append(implementation)
        for user, kind, items in _digests(steps, by_mission, missing):
            if _send_once(reporting_round, user, kind, items):
                sent += 1
        logger.info(
            "reminders.sent",
            extra={
                "round": str(reporting_round),
                "emails": sent,
                "missing": len(missing),
            },
        )
    return sent


def _digests(steps, by_mission, missing):
    """(recipient, step, items) for every digest the steps call for."""
    mission_roles = [MISSION_STEPS[step] for step in steps if step in MISSION_STEPS]
    assignments = RoleAssignment.objects.filter(
        ended_at__isnull=True,
        role__in=mission_roles,
        organisation_id__in=list(by_mission),
    ).select_related("user")
    digests: dict[tuple[int, str], list[Implementation]] = defaultdict(list)
    users: dict[int, AbstractUser] = {}
    for assignment in assignments:
        kind = next(k for k, role in MISSION_STEPS.items() if role == assignment.role)
        users[assignment.user_id] = assignment.user
        digests[(assignment.user_id, kind)] += by_mission[assignment.organisation_id]
    if ReminderSent.Kind.MANAGER in steps and missing:
        for assignment in RoleAssignment.objects.filter(
            ended_at__isnull=True, role=Role.STRATEGY_MANAGER
        ).select_related("user"):
            users[assignment.user_id] = assignment.user
            digests[(assignment.user_id, ReminderSent.Kind.MANAGER)] = missing
    for (user_id, kind), items in digests.items():
        yield users[user_id], kind, items


def _send_once(reporting_round, user, kind, items) -> bool:
    if not items or not user.email or not user.is_active:
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                recipient=user,
                kind=kind,
                round=reporting_round,
                implementation_count=len(items),
            )
            _send(user, kind, reporting_round, items)
    except IntegrityError:
        return False  # already sent for this round
    return True


def _send(user, kind: str, reporting_round: ReportingRound, items) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "objectives/email/reminder.txt",
            {
                "user": user,
                "kind": kind,
                "round": reporting_round,
                "deadline_passed": kind != ReminderSent.Kind.FOCAL_POINT,
                "items": [
                    {
                        "action": item.action.code,
                        "mission": item.organisation.code,
                        "link": settings.SITE_URL.rstrip("/")
                        + reverse("objectives:implementation-detail", args=[item.pk]),
                    }
                    for item in items
                ],
            },
        )
        subject = _(
            "Strategy tracker, round %(round)s: %(count)s report(s) missing"
        ) % {"round": reporting_round.name, "count": len(items)}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
