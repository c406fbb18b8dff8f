"""Background work that a person starts and follows: importing a strategy tree."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import ImportJobQuerySet


class ImportJob(models.Model):
    """A strategy file sent through the API, imported by a worker, never inside the web
    request. Its state, progress, and the result or the problems (with their paths) are
    read at /api/v1/import-jobs/<id>/."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("started by"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    strategy_code = models.CharField(_("strategy"), max_length=40, blank=True)
    document = models.JSONField(_("document"))
    progress = models.CharField(_("progress"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [
            models.Index(fields=["state", "created_at"], name="objectives_job_state")
        ]

    def __str__(self) -> str:
        return f"import {self.strategy_code or '?'} ({self.state})"
