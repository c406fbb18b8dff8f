"""Project-level endpoints that belong to no app: the language redirect and liveness."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .api.errors import error_response

logger = logging.getLogger(__name__)


def _redis_answers(url: str) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
    except (redis.ConnectionError, redis.TimeoutError):
        logger.warning(
            "healthz.redis_unreachable", extra={"url_host": url.split("@")[-1]}
        )
        return "unreachable"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Which part answers: the database, and when configured Redis as broker and as cache.

    200 "ok" when all answer; 200 "degraded" when only Redis is down (pages, sign-in and
    writes still work, queued work waits in the database); 503 "unavailable" when the
    database is down.
    """
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("healthz.database_unreachable")
        checks["database"] = "unreachable"
    if settings.REDIS_URL:
        checks["broker"] = _redis_answers(settings.REDIS_URL)
    cache_url = getattr(settings, "CACHE_REDIS_URL", "")
    if cache_url:
        checks["cache"] = _redis_answers(cache_url)
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif all(state == "ok" for state in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


@require_GET
def language_home_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Send `/` to the public home in the browser's (or the chosen) language."""
    language = translation.get_language_from_request(request, check_path=False)
    return HttpResponseRedirect(f"/{language}/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The API answers an unknown address in its own JSON error shape; pages in HTML."""
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


DATABASE_DOWN_RETRY_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """A server error; when the database is unreachable, 503 with Retry-After instead
    (the API in its JSON shape)."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        if request.path.startswith("/api/"):
            response = error_response(
                503,
                "unavailable",
                str(_("The service is briefly unavailable; try again shortly.")),
            )
        else:
            response = HttpResponse(
                str(_("The service is briefly unavailable; try again shortly.")),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_SECONDS)
        return response
    if request.path.startswith("/api/"):
        return error_response(
            500,
            "server_error",
            "Something went wrong on our side; it is logged.",
        )
    return defaults.server_error(request)
