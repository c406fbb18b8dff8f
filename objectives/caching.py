"""What the tracker caches, and how each cache stays fresh.

**Public pages.** The public pages and open data are cached per language and address for
anonymous readers. Views mark their answers as cacheable with `public_page_cache`.
`PublicPageCacheMiddleware`, placed right after WhiteNoise, stores a marked answer with
every header the inner middleware gave it (CSP, Content-Language, Vary...) and serves it to
the next anonymous reader before sessions, authentication or the view run.

Every entry carries the current generation in its key; accepting or clearing an update
starts a new generation (`public_pages_refresh`, after commit), so the next reader of each
page gets it freshly computed. Readers with a session cookie (signed in, or with a message
waiting) always get the page rendered for them.

**The strategy tree document** (API) is cached as JSON bytes per strategy and audience.
The key carries a stamp read with one query: when the strategy's goals, outcomes, actions,
principles and stakeholder groups last changed and how many there are, and when the
current snapshots were last written and how many there are. Any edit, import or rollup
that changes a figure changes the stamp, so a reader never gets a stale tree; the
document holds figures and names only, no narrative.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path

from .models import Action, Objective, Outcome, ProgressSnapshot, Strategy

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
        # Only the canonical spelling of a page number ("2", never "02" or "2.0"), and
        # the views answer 404 for a page that does not exist: nothing made up is cached.
        or not (page := query.get("page", "1")).isdigit()
        or str(int(page)) != page
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


# -- the strategy tree document --------------------------------------------------------


def _latest(queryset: QuerySet, field: str, group: str) -> Subquery:
    """max(`field`) over `queryset`, as a subquery grouped by its strategy column."""
    return Subquery(
        queryset.order_by().values(group).annotate(value=Max(field)).values("value")[:1]
    )


def _count(queryset: QuerySet, group: str) -> Subquery:
    return Subquery(
        queryset.order_by()
        .values(group)
        .annotate(value=Count("pk"))
        .values("value")[:1]
    )


def tree_stamp(strategy: Strategy, audience: str) -> str:
    """One query over indexes: what the tree of `strategy` for `audience` depends on."""
    here = OuterRef("pk")
    objectives = Objective.objects.filter(strategy=here)
    outcomes = Outcome.objects.filter(objective__strategy=here)
    actions = Action.objects.filter(outcome__objective__strategy=here)
    snapshots = ProgressSnapshot.objects.current().filter(
        strategy=here, audience=audience, organisation__isnull=True
    )
    row = (
        Strategy.objects.filter(pk=strategy.pk)
        .annotate(
            objectives_changed=_latest(objectives, "updated_at", "strategy"),
            objectives_count=_count(objectives, "strategy"),
            outcomes_changed=_latest(outcomes, "updated_at", "objective__strategy"),
            outcomes_count=_count(outcomes, "objective__strategy"),
            actions_changed=_latest(
                actions, "updated_at", "outcome__objective__strategy"
            ),
            actions_count=_count(actions, "outcome__objective__strategy"),
            principles_changed=Max("principles__updated_at"),
            groups_changed=Max("stakeholder_groups__updated_at"),
            snapshots_written=_latest(snapshots, "updated_at", "strategy"),
            snapshots_count=_count(snapshots, "strategy"),
        )
        .values_list(
            "updated_at",
            "objectives_changed",
            "objectives_count",
            "outcomes_changed",
            "outcomes_count",
            "actions_changed",
            "actions_count",
            "principles_changed",
            "groups_changed",
            "snapshots_written",
            "snapshots_count",
        )
        .get()
    )
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


def tree_cache_key(strategy: Strategy, audience: str) -> str:
    return f"strategy-tree:{strategy.pk}:{audience}:{tree_stamp(strategy, audience)}"


def tree_cached(key: str) -> bytes | None:
    return cache.get(key)


def tree_store(key: str, content: bytes) -> None:
    cache.set(key, content, timeout=settings.TREE_CACHE_SECONDS)


def reporting_stamp(strategy: Strategy) -> str:
    """One query: what the dashboard's round figures (completeness, changes, what needs
    attention) depend on beyond the tree: the latest report and review step anywhere,
    the latest change to any implementation and the newest one, the strategy's rounds, the
    rollup's latest run and request, and the tree's own stamp parts."""
    from .models import (
        Implementation,
        ReportingRound,
        ReviewEvent,
        RollupRequest,
        RollupRun,
        StatusUpdate,
    )

    here = OuterRef("pk")
    actions = Action.objects.filter(outcome__objective__strategy=here)

    def newest(model, field: str = "pk") -> Subquery:
        """The newest value of an indexed column: one step down its index."""
        return Subquery(model.objects.order_by(f"-{field}").values(field)[:1])

    row = (
        Strategy.objects.filter(pk=strategy.pk)
        .annotate(
            last_update=newest(StatusUpdate),
            last_review=newest(ReviewEvent),
            last_run=newest(RollupRun),
            last_request=newest(RollupRequest),
            rounds_changed=_latest(
                ReportingRound.objects.filter(strategy=here), "updated_at", "strategy"
            ),
            implementations_changed=newest(Implementation, "updated_at"),
            implementations_added=newest(Implementation),
            actions_changed=_latest(
                actions, "updated_at", "outcome__objective__strategy"
            ),
            actions_count=_count(actions, "outcome__objective__strategy"),
        )
        .values_list(
            "updated_at",
            "last_update",
            "last_review",
            "last_run",
            "last_request",
            "rounds_changed",
            "implementations_changed",
            "implementations_added",
            "actions_changed",
            "actions_count",
        )
        .get()
    )
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]
