"""The public progress pages and open data; cached for anonymous readers."""

import csv
from decimal import Decimal
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from strategy_tracker.spreadsheets import spreadsheet_safe

from ..caching import public_page_cache
from ..selectors.open_data import OPEN_DATA_FIELDS, public_open_data
from ..selectors.public import (
    public_goal_page,
    public_mission_page,
    public_principle_page,
    public_strategy_page,
)


@method_decorator(public_page_cache, name="dispatch")
class PublicStrategyView(TemplateView):
    """A public strategy page: its goals, missions, principles and stakeholder groups with
    the progress cleared for public release. The public home is the first active one."""

    template_name = "objectives/public_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = public_strategy_page(kwargs.get("strategy"))
        return context


@method_decorator(public_page_cache, name="dispatch")
class PublicGoalView(TemplateView):
    template_name = "objectives/public_goal.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = public_goal_page(
            kwargs["strategy"], kwargs["goal"], self.request.GET.get("page")
        )
        return context


@method_decorator(public_page_cache, name="dispatch")
class PublicMissionView(TemplateView):
    template_name = "objectives/public_mission.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = public_mission_page(
            kwargs["strategy"], kwargs["mission"], self.request.GET.get("page")
        )
        return context


@method_decorator(public_page_cache, name="dispatch")
class PublicPrincipleView(TemplateView):
    template_name = "objectives/public_principle.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page"] = public_principle_page(
            kwargs["strategy"], kwargs["principle"], self.request.GET.get("page")
        )
        return context


def _json_number(value: Any) -> Any:
    """Decimals as JSON numbers (progress has two decimal places), not strings."""
    return float(value) if isinstance(value, Decimal) else value


@public_page_cache
def public_open_data_view(request: HttpRequest, strategy: str, extension: str):
    """The public figures of every node and mission, as CSV or JSON."""
    if extension not in ("csv", "json"):
        raise Http404("Open data comes as .csv or .json.")
    context, rows = public_open_data(strategy)
    filename = f"{strategy}-progress.{extension}"
    if extension == "json":
        response = JsonResponse(
            {
                "strategy": strategy,
                "data_as_of": context.data_as_of.isoformat(),
                "last_verified": context.last_verified.isoformat()
                if context.last_verified
                else None,
                "fields": OPEN_DATA_FIELDS,
                # Rows as arrays in the order of "fields": a quarter of the size of objects.
                "rows": [
                    [_json_number(row[name]) for name in OPEN_DATA_FIELDS]
                    for row in rows
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.DictWriter(response, fieldnames=OPEN_DATA_FIELDS)
        writer.writeheader()
        writer.writerows(
            {name: spreadsheet_safe(value) for name, value in row.items()}
            for row in rows
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
