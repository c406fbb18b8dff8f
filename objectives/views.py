from typing import Any

from django.views.generic import TemplateView

from .selectors import strategy_public_list


class PublicHomeView(TemplateView):
    """The public home: the active strategies, their goals, principles and stakeholder groups."""

    template_name = "objectives/public_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["strategies"] = strategy_public_list()
        return context
