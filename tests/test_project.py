"""The project as deployed: production settings, docker-compose, liveness, the root redirect."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def production_environment(**extra: str) -> dict[str, str]:
    inherited = {
        k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.production",
        "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-"
        + "x" * 20,
        "ALLOWED_HOSTS": "tracker.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL")
        or f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
        **extra,
    }


def manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_environment()
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_load_demo_refuses_production_settings():
    result = manage("load_demo", env=production_environment())
    assert result.returncode == 1
    assert "Demo data is for the embedded default only" in result.stderr


def test_migrations_are_up_to_date():
    result = manage("makemigrations", "--check", "--dry-run", env={**os.environ})
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_parses_and_names_every_service():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert (
            environment["DJANGO_SETTINGS_MODULE"]
            == "strategy_tracker.settings.production"
        )
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        # The cache in a database apart from the broker's.
        assert environment["CACHE_REDIS_URL"] == "redis://redis:6379/1"
        assert "evidence:/app/var/evidence" in services[name]["volumes"]
        assert environment["DATABASE_URL"].startswith("postgres://tracker:")
        assert environment["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == [
        "celery",
        "-A",
        "strategy_tracker",
        "worker",
    ]
    assert services["beat"]["command"][:4] == [
        "celery",
        "-A",
        "strategy_tracker",
        "beat",
    ]
    assert (
        services["web"]["depends_on"]["migrate"]["condition"]
        == "service_completed_successfully"
    )
    assert (ROOT / "Dockerfile").exists()


@pytest.mark.django_db
def test_healthz_answers_when_the_database_answers(client, settings):
    settings.REDIS_URL = settings.CACHE_REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_healthz_checks_redis_when_configured(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.CACHE_REDIS_URL = redis_url.rsplit("/", 1)[0] + "/1"
    response = client.get("/healthz")
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "cache": "ok"},
    }


@pytest.mark.django_db
def test_healthz_says_which_part_is_down_and_stays_up_without_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHE_REDIS_URL = "redis://127.0.0.1:1/1"
    response = client.get("/healthz")
    assert response.status_code == 200  # the tracker serves without Redis
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "broker": "unreachable", "cache": "unreachable"},
    }


def test_with_the_database_down_the_api_answers_503_json_with_retry_after():
    """A real, unreachable database (a closed port), in a process of its own."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "c = Client(raise_request_exception=False, HTTP_HOST='localhost');"
        "api = c.get('/api/v1/principles/');"
        "page = c.get('/en/');"
        "print(json.dumps([api.status_code, api['Retry-After'], api.json(),"
        " page.status_code, page['Retry-After']]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/test",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    api_status, retry_after, body, page_status, page_retry = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert (api_status, retry_after, page_status, page_retry) == (503, "30", 503, "30")
    assert body["code"] == "unavailable"


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [("fr-FR,fr;q=0.9", "/fr/"), ("ar", "/ar/"), ("de", "/en/")],
)
def test_root_redirects_to_the_browser_language(client, accept_language, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
def test_language_switch_keeps_the_page_in_the_new_language(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.parametrize("arguments", [["check", "."], ["format", "--check", "."]])
def test_code_passes_ruff(arguments):
    """Lint and format rules from pyproject.toml hold for the whole tree."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/en/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
