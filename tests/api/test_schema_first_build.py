"""Finding (seen when the schemathesis clients started together against a fresh
server): several first requests for the OpenAPI document at once answered 500, because
drf-spectacular loads its extension classes lazily and two first builds raced there.
A fresh process asks from six threads at once; every answer must be a 200."""

import os
import subprocess
import sys
import textwrap

from django.conf import settings

CONCURRENT_FIRST_BUILDS = textwrap.dedent(
    """
    import concurrent.futures
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()

    def fetch(_):
        return Client().get("/api/schema/").status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        print(sorted(pool.map(fetch, range(6))))
    """
)


def test_six_first_builds_at_once_all_answer():
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_FIRST_BUILDS],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.test",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == str([200] * 6)
