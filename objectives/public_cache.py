"""The public pages and open data, cached per language and address for anonymous readers.

Every cached entry carries the current generation in its key; accepting or clearing an
update starts a new generation (`public_pages_refresh`, after commit), so the next reader
of each page gets it freshly computed. Signed-in readers, and readers with a message
waiting for them, always get the page rendered for them.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
CACHED_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, so that a generation lost with the cache is never reused.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def public_pages_refresh() -> None:
    """Retire every cached public page and open-data file."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _key(request: HttpRequest) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{_generation()}:{get_language()}:{address}"


def _cacheable(request: HttpRequest) -> bool:
    """Anonymous reads of a page as linked: no query string but a page number, so that
    made-up query strings cannot fill the cache."""
    query = request.GET
    return (
        request.method in ("GET", "HEAD")
        and set(query) <= {"page"}
        and query.get("page", "1").isdigit()
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def public_page_cache(view: Callable) -> Callable:
    """Serve `view` from the cache to anonymous readers; store its 200 answers."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Public-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.streaming:
            headers = {
                name: response[name] for name in CACHED_HEADERS if name in response
            }
            cache.set(
                key,
                (response.content, headers),
                timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
            response["X-Public-Cache"] = "miss"
        return response

    return cached_view
