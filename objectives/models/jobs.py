"""Background work that a person starts and follows: importing a strategy tree, and
rendering a briefing pack."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import BriefingPackQuerySet, ImportJobQuerySet


class BackgroundJob(models.Model):
    """Work a worker does for a person, who follows its state and progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    progress = models.CharField(_("progress"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def done(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @classmethod
    def claim(cls, pk):
        """Mark a queued job running and return it; None when it is not queued: done
        already, or being run by another worker (its row lock is skipped, not waited
        for)."""
        with transaction.atomic():
            job = (
                cls.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=cls.State.QUEUED)
                .first()
            )
            if job is None:
                return None
            job.state = cls.State.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["state", "started_at"])
        return job


class ImportJob(BackgroundJob):
    """A strategy file sent through the API, imported by a worker, never inside the web
    request. Its state, progress, and the result or the problems (with their paths) are
    read at /api/v1/import-jobs/<id>/."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("started by"),
    )
    strategy_code = models.CharField(_("strategy"), max_length=40, blank=True)
    document = models.JSONField(_("document"))
    result = models.JSONField(_("result"), null=True, blank=True)
    errors = models.JSONField(_("problems"), default=list, blank=True)

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


class BriefingPack(BackgroundJob):
    """A briefing pack as a PDF, rendered by a worker from the briefing page's template
    and kept for whoever asks for the same one: the same strategy, round, filters,
    language and scope of reading, while the figures have not moved (`key`)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    scope = models.CharField(_("scope of reading"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="briefing_packs",
        verbose_name=_("requested by"),
    )
    language = models.CharField(_("language"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"")
    error = models.TextField(_("error"), blank=True)

    objects = BriefingPackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("briefing pack")
        verbose_name_plural = _("briefing packs")
        indexes = [
            models.Index(fields=["state", "created_at"], name="objectives_pack_state")
        ]

    def __str__(self) -> str:
        return f"briefing pack {self.key[:12]} ({self.state})"
