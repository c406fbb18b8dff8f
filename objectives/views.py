import csv
from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from stakeholders.permissions import reads_all_missions

from .choices import ImplementationStatus
from .exports import (
    XLSX_CONTENT_TYPE,
    implementation_export_csv,
    implementation_export_rows,
    implementation_export_xlsx,
)
from .public_cache import public_page_cache
from .selectors_dashboard import (
    DashboardFilters,
    active_strategies,
    chosen_strategy,
    leadership_dashboard,
)
from .selectors_public import (
    OPEN_DATA_FIELDS,
    public_goal_page,
    public_mission_page,
    public_open_data,
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
        writer.writerows(rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
            DashboardFilters.from_query(query), self.request.GET.get("page")
        )
        context["statuses"] = ImplementationStatus.choices
        context["export_query"] = query.urlencode()
        context["query"] = f"{query.urlencode()}&" if query else ""
        query.pop("goal", None)
        context["goal_query"] = f"{query.urlencode()}&goal=" if query else "goal="
        return context


class DashboardExportView(LeadershipMixin, View):
    """The implementations the dashboard counts, narrowed by the same filters, with their
    current status: CSV (streamed) or XLSX."""

    def get(self, request: HttpRequest, extension: str):
        if extension not in ("csv", "xlsx"):
            raise Http404("Exports come as .csv or .xlsx.")
        filters = DashboardFilters.from_query(request.GET)
        strategy = chosen_strategy(active_strategies(), filters.strategy)
        if strategy is None:
            raise Http404(_("No active strategy yet."))
        rows = implementation_export_rows(strategy, filters)
        filename = f"{strategy.code}-implementations-{timezone.localdate().isoformat()}"
        if extension == "xlsx":
            response = HttpResponse(
                implementation_export_xlsx(rows),
                content_type=XLSX_CONTENT_TYPE,
            )
        else:
            response = StreamingHttpResponse(
                implementation_export_csv(rows), content_type="text/csv; charset=utf-8"
            )
        response["Content-Disposition"] = (
            f'attachment; filename="{filename}.{extension}"'
        )
        return response
