"""Reporting rounds: the list of a strategy's rounds with the open one's completeness,
one round's page (completeness per mission and goal, the reports it expects, what
changed since the round before), the manager's open, close and reopen, and a round's
export. For anyone signed in, each seeing the missions `visible_to` gives them."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from strategy_tracker.exceptions import InvalidTransition, NotAllowed

from ..forms import RoundOpenForm, RoundReopenForm
from ..models import ReportingRound
from ..permissions import MANAGE_ROUND, reads_all_missions
from ..selectors.figures import active_strategies, chosen_strategy
from ..selectors.rounds import (
    open_round,
    round_changes,
    round_completeness,
    round_reports,
    rounds_of,
    stage_of,
)
from ..services import rounds as round_services
from .exports import export_about, round_export_table, table_response

PAGE_SIZE = 50


def _open_form_initial(strategy) -> dict[str, Any]:
    """The next period of the strategy's schedule (a quarter by default)."""
    last = strategy.rounds.order_by("-period_end").first()
    today = timezone.localdate()
    if not strategy.round_months:
        return {"opens_on": today}
    start, end = round_services.scheduled_period(
        strategy, after=last.period_end if last else None, today=today
    )
    opens_on = max(end + datetime.timedelta(days=1), today)
    return {
        "name": round_services.round_period_name(start, strategy.round_months),
        "period_start": start,
        "period_end": end,
        "opens_on": opens_on,
        "deadline": opens_on + datetime.timedelta(days=settings.ROUND_DEADLINE_DAYS),
    }


def _must_manage(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE_ROUND):
        raise PermissionDenied(
            _("Only a strategy manager opens, closes or reopens rounds.")
        )


def _history(reporting_round: ReportingRound) -> list[tuple]:
    """(when, what, who) of each opening, closing and reopening (with its reason)."""
    labels = {"opened": _("Opened"), "closed": _("Closed")}
    entries = []
    for record in reporting_round.history.select_related("history_user").order_by(
        "history_date"
    ):
        reason = record.history_change_reason or ""
        if reason.startswith("reopened: "):
            what = _("Reopened: %(reason)s") % {
                "reason": reason.removeprefix("reopened: ")
            }
        else:
            what = labels.get(reason, _("Changed"))
        entries.append((record.history_date, what, record.history_user))
    return entries


class RoundListView(LoginRequiredMixin, View):
    """A strategy's rounds, newest first, and the open one's completeness."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, request.GET.get("strategy"))

    def _page(
        self, request: HttpRequest, code: str | None, form=None, status: int = 200
    ) -> HttpResponse:
        """The page, with the open round's completeness, or else (for a strategy
        manager) the form to open one: `form` as posted, or the schedule's next."""
        strategies = active_strategies()
        strategy = chosen_strategy(strategies, code)
        if strategy is None:
            raise Http404(_("No active strategy yet."))
        current = open_round(strategy)
        manages = request.user.has_perm(MANAGE_ROUND)
        if form is None and manages and current is None:
            form = RoundOpenForm(initial=_open_form_initial(strategy))
        return render(
            request,
            "objectives/rounds.html",
            {
                "strategy": strategy,
                "strategies": strategies,
                "rounds": list(rounds_of(strategy, request.user)),
                "open_round": current,
                "completeness": (
                    round_completeness(current, request.user) if current else None
                ),
                "manages": manages,
                "open_form": form,
            },
            status=status,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        _must_manage(request)
        strategy = chosen_strategy(active_strategies(), request.POST.get("strategy"))
        if strategy is None:
            raise Http404(_("No active strategy yet."))
        form = RoundOpenForm(request.POST)
        if form.is_valid():
            try:
                opened = round_services.round_open(
                    strategy=strategy, actor=request.user, **form.cleaned_data
                )
            except InvalidTransition as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("Round %(name)s is open; reports submitted now count for it.")
                    % {"name": opened.name},
                )
                return HttpResponseRedirect(
                    reverse("objectives:round-detail", args=[opened.pk])
                )
        return self._page(request, strategy.code, form=form, status=400)


class RoundDetailView(LoginRequiredMixin, View):
    """One round: its completeness per mission and goal, the reports it expects (all,
    or the missing ones) a page at a time, and what changed since the closed round
    before it. Strategy managers close or reopen it here."""

    def _round(self, request: HttpRequest, pk: int) -> ReportingRound:
        return get_object_or_404(
            ReportingRound.objects.visible_to(request.user).select_related(
                "strategy", "closed_by", "opened_by"
            ),
            pk=pk,
        )

    def get(
        self, request: HttpRequest, pk: int, reopen_form=None, status=200
    ) -> HttpResponse:
        reporting_round = self._round(request, pk)
        missing_only = request.GET.get("show") == "missing"
        page = Paginator(
            round_reports(reporting_round, request.user, missing_only=missing_only),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.round_stage = stage_of(row)
        manages = request.user.has_perm(MANAGE_ROUND)
        return render(
            request,
            "objectives/round_detail.html",
            {
                "round": reporting_round,
                "completeness": round_completeness(reporting_round, request.user),
                "changes": round_changes(
                    strategy=reporting_round.strategy,
                    user=request.user,
                    reporting_round=reporting_round,
                ),
                "page": page,
                "missing_only": missing_only,
                "query": "show=missing&" if missing_only else "",
                "manages": manages,
                "reads_all": reads_all_missions(request.user),
                "reopen_form": reopen_form or (RoundReopenForm() if manages else None),
                "history": _history(reporting_round),
            },
            status=status,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        reporting_round = self._round(request, pk)
        _must_manage(request)
        back = HttpResponseRedirect(
            reverse("objectives:round-detail", args=[reporting_round.pk])
        )
        try:
            if "close" in request.POST:
                rows = round_services.round_close(
                    reporting_round=reporting_round, actor=request.user
                )
                messages.success(
                    request,
                    _(
                        "Round %(name)s is closed; its figures are frozen "
                        "(%(rows)s figures)."
                    )
                    % {"name": reporting_round.name, "rows": rows},
                )
                return back
            form = RoundReopenForm(request.POST)
            if not form.is_valid():
                return self.get(request, pk, reopen_form=form, status=400)
            round_services.round_reopen(
                reporting_round=reporting_round,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("Round %(name)s is open again.") % {"name": reporting_round.name},
            )
        except (NotAllowed, InvalidTransition) as error:
            messages.error(request, error.message)
        return back


class RoundExportView(LoginRequiredMixin, View):
    """The reports a round expects, one row each with how far it got: CSV or XLSX."""

    def get(self, request: HttpRequest, pk: int, extension: str) -> HttpResponse:
        if extension not in ("csv", "xlsx"):
            raise Http404("Exports come as .csv or .xlsx.")
        reporting_round = get_object_or_404(
            ReportingRound.objects.visible_to(request.user).select_related("strategy"),
            pk=pk,
        )
        table = round_export_table(reporting_round, request.user)
        filename = f"{reporting_round.strategy.code}-{reporting_round.name}-reports"
        about = export_about(
            _("The reports a reporting round expects"),
            [
                (_("Strategy"), reporting_round.strategy.code),
                (_("Round"), reporting_round.name),
                (
                    _("Period"),
                    _("%(start)s to %(end)s")
                    % {
                        "start": reporting_round.period_start,
                        "end": reporting_round.period_end,
                    },
                ),
                (_("Deadline"), str(reporting_round.deadline)),
            ],
            table[0],
        )
        return table_response(table, filename, extension, about)
