"""The leadership dashboard, its mission view and its briefing pack."""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from stakeholders.models import Organisation

from ..choices import ImplementationStatus
from ..models import BriefingPack
from ..permissions import missions_approved_by, reads_all_missions
from ..selectors.dashboard import DashboardFilters, leadership_dashboard
from ..services.briefings import briefing_pack_request
from ..tasks import request_briefing


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


def may_brief(user, filters: DashboardFilters) -> bool:
    """HQ readers brief on anything; a mission's approvers on their own mission."""
    if reads_all_missions(user):
        return True
    return bool(filters.mission) and (
        missions_approved_by(user).filter(code=filters.mission).exists()
    )


class BriefingAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """HQ readers, or the approvers of the one mission the filters name."""

    def filters(self) -> DashboardFilters:
        return DashboardFilters.from_query(self.request.GET)

    def test_func(self) -> bool:
        return may_brief(self.request.user, self.filters())

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(
                _(
                    "Briefings are for HQ leadership and strategy managers, and for a "
                    "mission's approvers on their own mission."
                )
            )
        return super().handle_no_permission()


class DashboardView(LeadershipMixin, TemplateView):
    """Leadership and strategy managers: the state of one strategy at a glance, then
    missions and goals, trends, changes, completeness, what needs attention, principles
    and stakeholder groups."""

    template_name = "objectives/dashboard.html"
    fixed_mission: Organisation | None = None

    def page_title(self) -> str:
        return _("Leadership dashboard")

    def get_filters(self) -> DashboardFilters:
        return DashboardFilters.from_query(self.request.GET)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters = self.get_filters()
        dashboard = leadership_dashboard(
            filters, self.request.GET.get("page"), user=self.request.user
        )
        export = filters.as_query(sort=None, round=None)
        context.update(
            dashboard=dashboard,
            page_title=self.page_title(),
            fixed_mission=self.fixed_mission,
            statuses=ImplementationStatus.choices,
            export_query=urlencode(export),
            briefing_url=reverse("objectives:briefing")
            + "?"
            + urlencode(filters.as_query(sort=None)),
        )
        return context


class MissionSummaryView(DashboardView):
    """The same summary for one mission, for its approvers (and HQ readers): what the
    mission reports, as `visible_to` lets the person read it."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.fixed_mission = get_object_or_404(Organisation, code=kwargs["mission"])
        return super().dispatch(request, *args, **kwargs)

    def test_func(self) -> bool:
        user = self.request.user
        return reads_all_missions(user) or (
            missions_approved_by(user).filter(pk=self.fixed_mission.pk).exists()
        )

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(
                _("A mission's summary is for its approvers and for HQ readers.")
            )
        return super(LeadershipMixin, self).handle_no_permission()

    def page_title(self) -> str:
        return _("Mission summary: %(mission)s") % {"mission": self.fixed_mission.name}

    def get_filters(self) -> DashboardFilters:
        filters = super().get_filters()
        filters.mission = self.fixed_mission.code
        return filters


class BriefingView(BriefingAccessMixin, TemplateView):
    """The briefing pack as a page to print (A4, no navigation, numbered pages), with
    the button that has a worker make the same page as a PDF."""

    template_name = "objectives/briefing.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        query = urlencode(filters.as_query(sort=None))
        back = reverse("objectives:dashboard") + "?" + query
        if not reads_all_missions(self.request.user):
            back = reverse("objectives:mission-summary", args=[filters.mission])
        context.update(
            dashboard=leadership_dashboard(filters, user=self.request.user),
            generated_at=timezone.now(),
            query=query,
            back_url=back,
        )
        return context


class BriefingPackRequestView(BriefingAccessMixin, View):
    """POST: ask for the PDF of the briefing as filtered; the page that follows shows
    how far it got and where to download it."""

    def post(self, request, *args, **kwargs):
        filters = DashboardFilters.from_query(request.POST)
        if not may_brief(request.user, filters):
            raise PermissionDenied
        pack, queued = briefing_pack_request(
            filters, user=request.user, language=translation.get_language()
        )
        if queued:
            transaction.on_commit(lambda: request_briefing(pack.pk))
        return redirect("objectives:briefing-pack", pk=pack.pk)

    def test_func(self) -> bool:
        return self.request.user.is_authenticated


def _pack_for(request, pk) -> BriefingPack:
    pack = BriefingPack.objects.visible_to(request.user).filter(pk=pk).first()
    if pack is None:
        raise Http404(_("There is no such briefing pack."))
    return pack


class BriefingPackView(LoginRequiredMixin, TemplateView):
    """How far a PDF got; the page refreshes itself until it is ready."""

    template_name = "objectives/briefing_pack.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pack = _pack_for(self.request, kwargs["pk"])
        context.update(pack=pack, query=urlencode(pack.filters))
        return context


class BriefingPackPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        pack = _pack_for(request, pk)
        if pack.state != BriefingPack.State.SUCCEEDED:
            return redirect("objectives:briefing-pack", pk=pack.pk)
        response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
        stamp = (pack.finished_at or timezone.now()).strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="briefing-{pack.language}-{stamp}.pdf"'
        )
        return response
