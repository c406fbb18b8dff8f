"""Shared fixtures. In CI (CI=true) the suite must run on PostgreSQL with a reachable Redis:
a missing service fails the run instead of skipping tests."""

import os

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except (redis.ConnectionError, redis.TimeoutError):
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    if not IN_CI:
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.exit(
            f"CI=true needs PostgreSQL (DATABASE_URL); the database engine is {engine}",
            3,
        )
    if not settings.REDIS_URL or not _redis_reachable(settings.REDIS_URL):
        pytest.exit(
            f"CI=true needs a reachable Redis (REDIS_URL={settings.REDIS_URL!r})", 3
        )


# The longest test (schemathesis: a live server and five clients for two to three
# minutes) is collected first: pytest-xdist hands test files out in collection order, so
# it then runs beside the rest of the suite instead of alone at its end. After
# pytest-django's own ordering (which puts transactional tests last); its flush at the
# end re-creates what migrations create (post_migrate), and every later test builds
# its own data.
LONGEST_FIRST = "tests/api/test_schemathesis.py"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))


def service_missing(message: str) -> None:
    """Skip on a developer's machine without the service; fail in CI."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    if not settings.REDIS_URL:
        service_missing("REDIS_URL is not set")
    if not _redis_reachable(settings.REDIS_URL):
        service_missing(f"Redis at {settings.REDIS_URL} does not answer")
    return settings.REDIS_URL


@pytest.fixture
def pdf_renderer() -> None:
    """WeasyPrint loads Pango and HarfBuzz when imported, and the briefing's fonts must
    be installed (.ci/run installs both on Debian)."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        service_missing(f"WeasyPrint cannot load its libraries: {error}")
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        service_missing("fontconfig is not installed (fc-list)")
    fonts = subprocess.run(
        [fc_list, ":lang=ar", "family"], capture_output=True, text=True, check=False
    ).stdout
    if "DejaVu Sans" not in fonts and "Noto" not in fonts:
        service_missing("no font that shapes Arabic (install fonts-dejavu-core)")
    chinese = subprocess.run(
        [fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, check=False
    ).stdout
    if not chinese.strip():
        service_missing("no font with Chinese glyphs (install fonts-wqy-microhei)")


@pytest.fixture
def postgres(db: None) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        service_missing("this test needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def reference_data(db: None) -> None:
    from objectives.services.reference import reference_data_load

    reference_data_load()


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker):
    """The demo data, loaded once for a whole test module (about 5 s), not per test:
    each test then runs in a transaction that is rolled back, and the module's end
    empties the database again. Yields what the load reported."""
    from django.core.management import call_command

    from objectives.devtools.demo import demo_data_load

    with django_db_blocker.unblock():
        loaded = demo_data_load()
    yield loaded
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache_and_language() -> None:
    """Each test starts with an empty cache (no cached public page, lock or debounce mark
    from an earlier test) and in English, whatever language an earlier request left
    active in this thread."""
    from django.core.cache import cache
    from django.utils import translation

    from objectives.caching import public_pages_refresh

    cache.clear()
    public_pages_refresh()
    translation.activate(settings.LANGUAGE_CODE)
