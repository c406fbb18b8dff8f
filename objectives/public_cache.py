"""The public pages and open data, cached per language and address for anonymous readers.

Views mark their answers as cacheable with `public_page_cache`. `PublicPageCacheMiddleware`,
placed right after WhiteNoise, stores a marked answer with every header the inner
middleware gave it (CSP, Content-Language, Vary...) and serves it to the next anonymous
reader before sessions, authentication or the view run.

Every entry carries the current generation in its key; accepting or clearing an update
starts a new generation (`public_pages_refresh`, after commit), so the next reader of each
page gets it freshly computed. Readers with a session cookie (signed in, or with a message
waiting) always get the page rendered for them.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path

GENERATION_KEY = "public-pages:generation"
MARK = "public_cacheable"
# Each process reads the shared generation at most once a second: a hit costs one cache
# read, and another process's refresh shows within a second.
GENERATION_MEMO_SECONDS = 1.0
_memo: dict[str, float] = {"generation": 0, "until": 0.0}


def _generation() -> int:
    now = time.monotonic()
    if now < _memo["until"]:
        return int(_memo["generation"])
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, so that a generation lost with the cache is never reused.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    _memo.update(generation=generation, until=now + GENERATION_MEMO_SECONDS)
    return generation


def public_pages_refresh() -> None:
    """Retire every cached public page and open-data file."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    _memo["until"] = 0.0


def public_page_cache(view: Callable) -> Callable:
    """Mark the answers of `view` as the same for every anonymous reader."""

    @wraps(view)
    def marked_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        setattr(response, MARK, True)
        return response

    return marked_view


def _key(request: HttpRequest) -> str | None:
    """The cache key of an anonymous read of a page as linked (no query string but a page
    number, so that made-up query strings cannot fill the cache), or None."""
    query = request.GET
    language = get_language_from_path(request.path_info)
    if (
        request.method not in ("GET", "HEAD")
        or language is None
        or not set(query) <= {"page"}
        or not query.get("page", "1").isdigit()
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    ):
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{_generation()}:{language}:{address}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _key(request)
        if key is not None and (stored := cache.get(key)) is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Public-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            key is not None
            and getattr(response, MARK, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(
                key,
                (response.content, list(response.items())),
                timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
            response["X-Public-Cache"] = "miss"
        return response
