"""Project-level endpoints that belong to no app: the language redirect and liveness."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, and Redis too when it is configured; 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("healthz.database_unreachable")
        checks["database"] = "unreachable"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except (redis.ConnectionError, redis.TimeoutError):
            logger.exception("healthz.redis_unreachable")
            checks["redis"] = "unreachable"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@require_GET
def language_home_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Send `/` to the public home in the browser's (or the chosen) language."""
    language = translation.get_language_from_request(request, check_path=False)
    return HttpResponseRedirect(f"/{language}/")


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"status": status, "code": code, "message": message, "errors": []},
        status=status,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The API answers an unknown address in its own JSON error shape; pages in HTML."""
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(
            500,
            "server_error",
            "Something went wrong on our side; it is logged.",
        )
    return defaults.server_error(request)
