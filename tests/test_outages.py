"""Outages degrade instead of failing. A Redis server of the test's own, on a spare port,
serves a real web server (gunicorn) and a real Celery worker with its beat; the test
kills Redis, uses the tracker, brings Redis back and watches the rollup catch up."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from objectives.choices import ReviewState
from objectives.models import ProgressSnapshot, RollupRequest, StatusUpdate
from objectives.services.rollup import rollup_compute, rollup_run
from strategy_tracker.api.preconditions import etag
from strategy_tracker.database import database_url
from tests.conftest import service_missing
from tests.objectives.conftest import snapshot_values, world  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


class RedisServer:
    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder, self.process = port, folder, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until(self._answers, 10, "redis-server to start")

    def _answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _process(arguments: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        arguments,
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def stack(world, postgres, tmp_path):  # noqa: F811
    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    redis_port, web_port = _spare_port(), _spare_port()
    redis_server = RedisServer(redis_port, tmp_path)
    redis_server.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CACHE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "ROLLUP_DUE_CHECK_SECONDS": "2",
        "ROLLUP_DEBOUNCE_SECONDS": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    web = _process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "strategy_tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        {**env, "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.test"},
        tmp_path / "web.log",
    )
    worker = _process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "strategy_tracker",
            "worker",
            "-B",
            "-s",
            str(tmp_path / "beat-schedule"),
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
        tmp_path / "worker.log",
    )
    base = f"http://127.0.0.1:{web_port}"
    _wait_until(
        lambda: requests.get(f"{base}/healthz", timeout=5).status_code == 200,
        60,
        f"the web server:\n{(tmp_path / 'web.log').read_text()}",
    )
    yield base, redis_server, tmp_path
    for process in (web, worker):
        process.terminate()
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
    redis_server.stop()


def test_with_redis_down_the_tracker_serves_and_no_rollup_is_lost(world, stack):  # noqa: F811
    """Finding: with Redis down every page and API call answered 500; accept and clear
    answered 500 although the database had committed them; the rollup was lost."""
    base, redis_server, folder = stack
    manager = world.users["manager"]
    manager.set_password("a-long-test-password")
    manager.save()
    token = Token.objects.create(user=manager).key
    rollup_run()
    update = world.updates[ReviewState.APPROVED]

    redis_server.stop()

    assert requests.get(f"{base}/en/", timeout=10).status_code == 200
    health = requests.get(f"{base}/healthz", timeout=10).json()
    assert health["status"] == "degraded"
    assert health["checks"]["broker"] == "unreachable"
    browser = requests.Session()
    login = browser.get(f"{base}/en/accounts/login/", timeout=10)
    assert login.status_code == 200
    signed_in = browser.post(
        f"{base}/en/accounts/login/",
        data=urlencode(
            {
                "username": "manager",
                "password": "a-long-test-password",
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{base}/en/accounts/login/",
        },
        timeout=10,
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert browser.get(f"{base}/en/dashboard/", timeout=10).status_code == 200

    accepted = requests.post(
        f"{base}/api/v1/status-updates/{update.pk}/accept/",
        json={},
        headers={
            "Authorization": f"Token {token}",
            "If-Match": etag(update),
        },
        timeout=30,
    )
    assert accepted.status_code == 200, accepted.text[:500]
    assert StatusUpdate.objects.get(pk=update.pk).review_state == ReviewState.ACCEPTED
    assert RollupRequest.objects.exists()  # the rollup waits in the database

    redis_server.start()
    expected = snapshot_values(rollup_compute(day=timezone.localdate()))
    _wait_until(
        lambda: (
            not RollupRequest.objects.exists()
            and snapshot_values(ProgressSnapshot.objects.current()) == expected
        ),
        90,
        f"the rollup after Redis came back:\n{(folder / 'worker.log').read_text()[-3000:]}",
    )
