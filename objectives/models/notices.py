"""E-mail notices: what a person should hear about, and the reminders already sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reporting import StatusUpdate


class Notification(models.Model):
    """Something a person should hear about by e-mail; sent in batches, one digest per person.

    Holds references only: the e-mail names the action, the mission and the link, never the
    narrative, so no confidential text travels by e-mail.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("An update awaits your approval")
        APPROVED = "approved", _("An update awaits acceptance")
        RETURNED = "returned", _("Your update was returned for revision")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    update = models.ForeignKey(
        StatusUpdate,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("update"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "update"],
                name="%(app_label)s_%(class)s_unique_per_recipient_kind_update",
            ),
        ]
        indexes = [
            models.Index(
                fields=["sent_at", "recipient"], name="objectives_notification_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.update_id}"

    @property
    def still_pending(self) -> bool:
        """Whether the update is still where the notice says it is (each kind is named
        after the review state it reports)."""
        return self.update.review_state == self.kind


class ReminderSent(models.Model):
    """A reminder digest sent to one person for one reporting round, at one step of it,
    so that it is never sent twice."""

    class Kind(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Reports missing: reminder before the deadline")
        APPROVER = "approver", _("Reports missing at the deadline: to the approver")
        MANAGER = "manager", _("Reports missing after the deadline: to the manager")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    round = models.ForeignKey(
        "ReportingRound",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("round"),
    )
    implementation_count = models.PositiveIntegerField(_("implementations"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "recipient"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "round"],
                name="%(app_label)s_%(class)s_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.round_id}"
