"""Strategy imports sent through the API run as background jobs: the request records the
document and answers at once; a worker validates and writes it, reporting its progress;
the job keeps the result or every problem with its path."""

import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.utils import timezone

from strategy_tracker.exceptions import ImportValidationError

from ..models import ImportJob
from ..tree_format.limits import check_document_limits
from .tree_import import strategy_import

logger = logging.getLogger(__name__)
PROGRESS_KEY = "objectives:import-job:{}:progress"
PROGRESS_SECONDS = 3600


def import_job_create(*, document: dict, actor: AbstractBaseUser) -> ImportJob:
    """Record an import to run in the background; its size and nesting are checked
    first (ImportValidationError), so that nothing oversized is stored."""
    check_document_limits(document)
    strategy = document.get("strategy")
    code = strategy.get("code", "") if isinstance(strategy, dict) else ""
    return ImportJob.objects.create(
        actor=actor, document=document, strategy_code=str(code)[:40]
    )


def import_job_progress(job: ImportJob) -> str:
    """What a running job is doing now (the worker reports it through the cache,
    because its writes are invisible until the import commits)."""
    if job.state == ImportJob.State.RUNNING:
        return cache.get(PROGRESS_KEY.format(job.pk)) or job.progress
    return job.progress


def _problems(error: ImportValidationError) -> list[dict[str, str | None]]:
    problems = []
    for problem in error.errors:
        field, _sep, message = problem.partition(": ")
        problems.append(
            {"field": field, "message": message}
            if message
            else {"field": None, "message": problem}
        )
    return problems


def import_job_run(*, job_id) -> ImportJob | None:
    """Run one queued job; a job already taken by another worker is left alone."""
    job = ImportJob.claim(job_id)
    if job is None:
        return None
    key = PROGRESS_KEY.format(job.pk)

    def say(message: str) -> None:
        cache.set(key, message[:300], timeout=PROGRESS_SECONDS)

    try:
        report = strategy_import(data=job.document, actor=job.actor, progress=say)
    except ImportValidationError as error:
        job.state, job.errors = ImportJob.State.FAILED, _problems(error)
        job.progress = error.message
    except Exception:
        logger.exception("import_job.failed", extra={"job": str(job.pk)})
        job.state = ImportJob.State.FAILED
        job.errors = [
            {"field": None, "message": "the import stopped on an unexpected error"}
        ]
        job.progress = "failed"
    else:
        job.state = ImportJob.State.SUCCEEDED
        job.result = {"changed": report.changed, "summary": report.lines()}
        job.progress = "imported" if report.changed else "already up to date"
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "errors", "result", "progress", "finished_at"])
    cache.delete(key)
    logger.info("import_job.done", extra={"job": str(job.pk), "state": job.state})
    return job


def import_jobs_waiting(*, older_than_seconds: int) -> list:
    """Queued jobs nobody picked up (their task was lost to a Redis outage)."""
    before = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        ImportJob.objects.filter(
            state=ImportJob.State.QUEUED, created_at__lt=before
        ).values_list("pk", flat=True)
    )
