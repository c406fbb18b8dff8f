"""The strategy tree document, cached as JSON bytes per strategy and audience.

The key carries a stamp read with one query: when the strategy's goals, outcomes, actions,
principles and stakeholder groups last changed and how many there are, and when the
current snapshots were last written and how many there are. Any edit, import or rollup
that changes a figure changes the stamp, so a reader never gets a stale tree; the
document holds figures and names only, no narrative.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from ..models import Action, Objective, Outcome, ProgressSnapshot, Strategy


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
