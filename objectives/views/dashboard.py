"""The leadership dashboard, for HQ readers only."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..choices import ImplementationStatus
from ..permissions import reads_all_missions
from ..selectors.dashboard import (
    DashboardFilters,
    leadership_dashboard,
)
from ..selectors.rounds import open_round, round_changes, round_completeness


class LeadershipMixin(LoginRequiredMixin, UserPassesTestMixin):
    """HQ leadership and strategy managers only; others signed in get 403."""

    raise_exception = False

    def test_func(self) -> bool:
        return reads_all_missions(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(
                _("The dashboard is for HQ leadership and strategy managers.")
            )
        return super().handle_no_permission()


class DashboardView(LeadershipMixin, TemplateView):
    """Leadership and strategy managers: one strategy's progress across goals, missions
    and principles, what needs attention, and the trend."""

    template_name = "objectives/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["dashboard"] = leadership_dashboard(
            DashboardFilters.from_query(query),
            self.request.GET.get("page"),
            user=self.request.user,
        )
        strategy = context["dashboard"].strategy
        current = open_round(strategy)
        context["open_round"] = current
        context["round_completeness"] = (
            round_completeness(current, self.request.user) if current else None
        )
        context["changes"] = (
            round_changes(strategy=strategy, user=self.request.user)
            if strategy is not None
            else None
        )
        context["statuses"] = ImplementationStatus.choices
        context["export_query"] = query.urlencode()
        context["query"] = f"{query.urlencode()}&" if query else ""
        query.pop("goal", None)
        context["goal_query"] = f"{query.urlencode()}&goal=" if query else "goal="
        return context
