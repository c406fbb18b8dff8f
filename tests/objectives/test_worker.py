"""A real Celery worker on the real Redis: accepted updates reach the snapshots through the
broker, and a worker killed half-way through a rollup leaves nothing counted twice."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from objectives.choices import ReviewState
from objectives.models import ProgressSnapshot
from objectives.services import workflow
from objectives.services.rollup import rollup_compute, rollup_run
from strategy_tracker.celery import app as celery_app
from strategy_tracker.database import database_url
from tests.signing_in import sign_in

from .conftest import snapshot_values

pytestmark = [pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)


class Worker:
    """A `celery worker` process on its own queue, reading the test database."""

    def __init__(
        self, queue: str, log: Path, *, beat: bool = False, **environment: str
    ) -> None:
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **environment,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.handle = log.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "strategy_tracker",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{queue}@%h",
                *(["-B", "-s", str(log.with_suffix(".beat"))] if beat else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        self.wait_for("ready", timeout=60)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.log.read_text()}")
            time.sleep(0.2)
        raise AssertionError(f"worker never said {text!r}:\n{self.log.read_text()}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.handle.close()


@pytest.fixture
def broker(redis_url, postgres, settings):
    """Send tasks for real to a queue of this test's own."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.ROLLUP_DEBOUNCE_SECONDS = 0
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    workers: list[Worker] = []
    yield queue, workers
    for worker in workers:
        worker.stop()
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _rows(day):
    """The figures that hold on `day`."""
    return snapshot_values(ProgressSnapshot.objects.as_of(day))


def test_an_accepted_update_reaches_the_snapshots_through_the_broker(
    world, broker, tmp_path
):
    queue, workers = broker
    from django.core.cache import cache

    cache.clear()
    workers.append(Worker(queue, tmp_path / "worker.log"))
    update = world.updates[ReviewState.APPROVED]

    workflow.status_update_accept(
        update=update, actor=world.users["manager"], expected_version=update.version
    )

    _wait_until(
        lambda: ProgressSnapshot.objects.exists(),
        60,
        "a snapshot written by the worker",
    )
    action_row = ProgressSnapshot.objects.get(
        node_type="action",
        node_id=update.implementation.action_id,
        organisation=world.minusca,
        audience="internal",
    )
    assert action_row.progress == update.progress
    assert "rollup_progress_task" in (tmp_path / "worker.log").read_text()


def test_a_worker_killed_mid_rollup_leaves_no_lock_and_the_rollup_recovers(
    world, broker, tmp_path
):
    """Finding: a worker killed (SIGKILL) mid-rollup left its lock in the cache for ~20
    minutes; the redelivered copies retried against it and gave up. Now the lock dies
    with the worker's database session, and the request waiting in the database is run
    by the periodic check within 2 minutes of a worker coming back, whether or not the
    broker ever redelivers the task."""
    queue, workers = broker
    from django.core.cache import cache

    from objectives.models import RollupRequest
    from objectives.tasks import rollup_progress_task

    cache.clear()
    day = timezone.localdate()
    yesterday = day - datetime.timedelta(days=1)
    rollup_run(day=yesterday)
    before = snapshot_values(ProgressSnapshot.objects.as_of(yesterday))
    update = world.updates[ReviewState.APPROVED]
    workflow.status_update_accept(
        update=update, actor=world.users["manager"], expected_version=update.version
    )
    assert RollupRequest.objects.exists()

    log = tmp_path / "first.log"
    first = Worker(
        queue, log, ROLLUP_WRITE_PAUSE_SECONDS="60", CELERY_VISIBILITY_TIMEOUT="3600"
    )
    workers.append(first)
    rollup_progress_task.apply_async(kwargs={"day": day.isoformat()}, queue=queue)
    first.wait_for("rollup.writing", timeout=60)
    first.kill()

    # The half-written transaction died with the worker: yesterday's rows are intact
    # and still current, and the request is still waiting.
    assert snapshot_values(ProgressSnapshot.objects.current()) == before
    assert RollupRequest.objects.exists()

    restarted = time.monotonic()
    second = Worker(
        queue,
        tmp_path / "second.log",
        beat=True,
        ROLLUP_DUE_CHECK_SECONDS="3",
        CELERY_VISIBILITY_TIMEOUT="3600",  # no redelivery within the test
    )
    workers.append(second)
    expected = snapshot_values(rollup_compute(day=day))
    _wait_until(
        lambda: not RollupRequest.objects.exists() and _rows(day) == expected,
        120,
        f"the rollup after the restart:\n{(tmp_path / 'second.log').read_text()[-3000:]}",
    )
    assert time.monotonic() - restarted < 120
    assert len(_rows(day)) == len(set(_rows(day)))
    assert snapshot_values(ProgressSnapshot.objects.as_of(yesterday)) == before


def test_duplicates_of_a_rollup_task_collapse(world, broker, tmp_path):
    """Two copies of the task at once (a redelivery beside the original): one runs, the
    other finds the lock held and does nothing; neither retries."""
    queue, workers = broker
    from objectives.tasks import rollup_progress_task

    day = timezone.localdate()
    first = Worker(queue, tmp_path / "first.log", ROLLUP_WRITE_PAUSE_SECONDS="4")
    second = Worker(f"{queue}", tmp_path / "second.log", ROLLUP_WRITE_PAUSE_SECONDS="4")
    workers += [first, second]
    for _ in range(2):
        rollup_progress_task.apply_async(kwargs={"day": day.isoformat()}, queue=queue)
    _wait_until(
        lambda: (
            "rollup.skipped_busy"
            in (tmp_path / "first.log").read_text()
            + (tmp_path / "second.log").read_text()
        ),
        60,
        "one copy to find the lock held",
    )
    _wait_until(
        lambda: ProgressSnapshot.objects.filter(date=day).exists(), 60, "the rollup"
    )
    logs = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    assert "Retry in" not in logs
    assert snapshot_values(ProgressSnapshot.objects.current()) == snapshot_values(
        rollup_compute(day=day)
    )


def test_a_briefing_pack_is_rendered_by_the_worker(
    world, broker, pdf_renderer, tmp_path
):
    """The view queues the pack after commit; a real worker on the real Redis renders
    the PDF; the pack's page then offers it, and it is a PDF."""
    from django.test import Client

    from objectives.models import BriefingPack

    queue, workers = broker
    workers.append(Worker(queue, tmp_path / "worker.log"))
    client = Client()
    sign_in(client, world.users["manager"])
    response = client.post("/en/dashboard/briefing/pdf/", {})
    assert response.status_code == 302
    pack = BriefingPack.objects.get()
    _wait_until(
        lambda: BriefingPack.objects.get(pk=pack.pk).done, 90, "the worker's PDF"
    )
    pack.refresh_from_db()
    assert pack.state == BriefingPack.State.SUCCEEDED, pack.error
    assert "briefing_pack_task" in (tmp_path / "worker.log").read_text()
    page = client.get(response["Location"])
    assert "The PDF is ready" in page.content.decode()
    download = client.get(f"/en/dashboard/briefing/packs/{pack.pk}/briefing.pdf")
    assert download.content.startswith(b"%PDF")
