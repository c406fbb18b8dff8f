"""Leadership exports: the implementations the dashboard counts, narrowed by the same
filters, with their current status; CSV streamed row by row, XLSX written in one pass."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from strategy_tracker.models import content_language
from strategy_tracker.spreadsheets import spreadsheet_safe

from ..choices import ImplementationStatus
from ..models import ReportingRound, Strategy
from ..progress import tree_order
from ..selectors.dashboard import DashboardFilters, dashboard_implementations
from ..selectors.figures import active_strategies, chosen_strategy
from ..selectors.rounds import round_reports, stage_of
from .dashboard import LeadershipMixin

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def _columns() -> list[tuple[str, str]]:
    """(value key, heading in the reader's language)."""
    language = content_language()
    title = f"action__title_{language}"
    return [
        ("action__outcome__objective__code", _("Goal")),
        ("action__outcome__code", _("Outcome")),
        ("action__code", _("Action")),
        (title, _("Title")),
        ("organisation__code", _("Mission")),
        ("status", _("Status")),
        # xgettext:no-python-format
        ("progress", _("% complete")),
        ("due", _("Due date")),
        ("last_accepted_at", _("Last accepted update (UTC)")),
    ]


def implementation_export_rows(
    strategy: Strategy, filters: DashboardFilters, *, user: AbstractBaseUser
) -> tuple[list[str], Iterable[list[Any]]]:
    """The headings and a lazy iterator over the rows: one query, read in chunks."""
    columns = _columns()
    keys = [key for key, _heading in columns]
    english_title = "action__title_en"
    queryset: QuerySet = (
        dashboard_implementations(strategy, filters, user=user)
        # An implementation without its own due date has its action's.
        .annotate(due=Coalesce("due_date", "action__due_date"))
        .order_by(*tree_order("action__"), "organisation__code")
        .values_list(*keys, english_title)
    )
    labels = dict(ImplementationStatus.choices)
    status_index = keys.index("status")
    title_index = keys.index(columns[3][0])
    accepted_index = keys.index("last_accepted_at")

    def rows() -> Iterator[list[Any]]:
        for values in queryset.iterator(chunk_size=CHUNK):
            row = [spreadsheet_safe(value) for value in values[:-1]]
            row[title_index] = row[title_index] or spreadsheet_safe(values[-1])
            row[status_index] = str(labels.get(row[status_index], row[status_index]))
            if row[accepted_index] is not None:
                # Spreadsheets hold no time zone; the heading says UTC.
                row[accepted_index] = row[accepted_index].replace(tzinfo=None)
            yield row

    return [str(heading) for _key, heading in columns], rows()


class _Echo:
    def write(self, value: str) -> str:
        return value


def implementation_export_csv(
    export: tuple[list[str], Iterable[list[Any]]],
) -> Iterator[str]:
    headings, rows = export
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headings)
    for row in rows:
        yield writer.writerow(row)


def implementation_export_xlsx(
    export: tuple[list[str], Iterable[list[Any]]],
    about: list[tuple[str, str]] | None = None,
) -> bytes:
    """A workbook a reader need not reformat: a first sheet saying what the export holds
    (`about`: what it was narrowed to, when, and each column), then the rows with the
    header frozen, an auto-filter over every column, widths from the headings, right to
    left in a right-to-left language."""
    headings, rows = export
    workbook = Workbook(write_only=True)
    right_to_left = get_language_bidi()
    if about:
        first = workbook.create_sheet(_("About this export"))
        first.sheet_view.rightToLeft = right_to_left
        first.column_dimensions["A"].width = 30
        first.column_dimensions["B"].width = 80
        for label, value in about:
            first.append([spreadsheet_safe(label), spreadsheet_safe(value)])
    sheet = workbook.create_sheet(_("Implementations"))
    sheet.freeze_panes = "A2"
    sheet.sheet_view.rightToLeft = right_to_left
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, min(60, len(heading) + 4)
        )
    sheet.append(headings)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_about(title: str, narrowed_to: list[tuple[str, str]], headings) -> list:
    """The first sheet's rows: what the export is, what it was narrowed to, when it
    was made, and its columns."""
    return [
        (_("Export"), title),
        *narrowed_to,
        (_("Made (UTC)"), timezone.now().strftime("%Y-%m-%d %H:%M")),
        ("", ""),
        (_("Columns"), ""),
        *((heading, "") for heading in headings),
    ]


def table_response(
    export: tuple[list[str], Iterable[list[Any]]],
    filename: str,
    extension: str,
    about: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """A table as a CSV (streamed) or XLSX attachment (with `about` as its first sheet)."""
    if extension == "xlsx":
        response = HttpResponse(
            implementation_export_xlsx(export, about), content_type=XLSX_CONTENT_TYPE
        )
    else:
        response = StreamingHttpResponse(
            implementation_export_csv(export), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def round_export_table(
    reporting_round: ReportingRound, user: AbstractBaseUser
) -> tuple[list[str], Iterable[list[Any]]]:
    """The reports a round expects, one row each: where it stands in the round and the
    implementation's current status. One query, read in chunks."""
    language = content_language()
    headings = [
        _("Round"),
        _("Mission"),
        _("Goal"),
        _("Action"),
        _("Title"),
        _("Report in the round"),
        _("Status"),
        # xgettext:no-python-format
        _("% complete"),
        _("Due date"),
    ]
    rows_queryset = round_reports(reporting_round, user)

    def rows() -> Iterator[list[Any]]:
        for row in rows_queryset.iterator(chunk_size=CHUNK):
            action = row.action
            yield [
                spreadsheet_safe(value)
                for value in (
                    reporting_round.name,
                    row.organisation.code,
                    action.outcome.objective.code,
                    action.code,
                    getattr(action, f"title_{language}", "") or action.title_en,
                    str(stage_of(row).label),
                    str(row.get_status_display()),
                    row.progress,
                    row.due_date or row.action.due_date,
                )
            ]

    return [str(heading) for heading in headings], rows()


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
        rows = implementation_export_rows(strategy, filters, user=request.user)
        filename = f"{strategy.code}-implementations-{timezone.localdate().isoformat()}"
        everything = _("all")
        about = export_about(
            _("Implementations and their current status"),
            [
                (_("Strategy"), f"{strategy.code} · {strategy.title_en}"),
                (_("Mission"), filters.mission or everything),
                (_("Goal"), filters.goal or everything),
                (_("Status"), filters.status or everything),
            ],
            rows[0],
        )
        return table_response(rows, filename, extension, about)
