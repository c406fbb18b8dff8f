"""Reads of the strategy tree: each a fixed, small number of queries."""

from django.db.models import Prefetch, QuerySet

from principles.models import Principle
from stakeholders.models import StakeholderGroup

from .choices import StrategyStatus
from .models import Objective, Strategy


def strategy_public_list() -> QuerySet[Strategy]:
    """Active strategies with their current objectives, principles and stakeholder groups."""
    return (
        Strategy.objects.filter(status=StrategyStatus.ACTIVE)
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.current().order_by("order", "code")),
            Prefetch("principles", queryset=Principle.objects.order_by("order", "code")),
            Prefetch(
                "stakeholder_groups", queryset=StakeholderGroup.objects.order_by("order", "code")
            ),
            Prefetch("aligned_with", queryset=Strategy.objects.order_by("code")),
        )
        .order_by("code")
    )
