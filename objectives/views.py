from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from stakeholders.permissions import reads_all_missions

from .selectors import strategy_public_list
from .selectors_dashboard import leadership_dashboard


class PublicHomeView(TemplateView):
    """The public home: the active strategies, their goals, principles and stakeholder groups."""

    template_name = "objectives/public_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["strategies"] = strategy_public_list()
        return context


class DashboardView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Leadership and strategy managers: one strategy's progress across goals, missions
    and principles, what needs attention, and the trend."""

    template_name = "objectives/dashboard.html"
    raise_exception = False

    def test_func(self) -> bool:
        return reads_all_missions(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(
                _("The dashboard is for HQ leadership and strategy managers.")
            )
        return super().handle_no_permission()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["dashboard"] = leadership_dashboard(
            strategy_code=self.request.GET.get("strategy") or None
        )
        return context
