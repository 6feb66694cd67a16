"""The monthly workbook (REGULATIONS §8, issue "Monthly Excel reports").

Each area contributes its sheet from its own ``reports.py`` (listed in ``settings.REPORT_MODULES``,
in sheet order). Such a module may define:

- ``SHEETS``: a list of :class:`~csmgmt.core.sheets.SheetSpec` — title, headers, column widths/formats and
  ``rows(period)``, an iterator of row lists streamed from the database (``.iterator()``), and ``count(period)``;
- ``summary(period) -> list[(label, value, number_format)]``: its rows of the Summary sheet;
- ``charts(period) -> list[ChartSpec]``: charts drawn on the Summary sheet.

The workbook is written with openpyxl in write-only mode, so memory does not grow with the rows.
"""

import importlib
import inspect
from typing import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .core.sheets import Period, RowWriter, SheetSpec, safe_text, safe_value

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")


def report_modules():
    modules = []
    for name in settings.REPORT_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def _header_row(ws, headers):
    row = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=safe_text(str(h)))
        cell.data_type = "s"
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        row.append(cell)
    return row


def _per_period(value, period: Period):
    """A spec attribute that is either fixed or a function of the period (e.g. one column per day)."""
    if not callable(value):
        return value
    return value(period) if inspect.signature(value).parameters else value()


def _write_sheet(wb, spec: SheetSpec, period: Period, on_rows: Callable[[int], None], rows=None):
    ws = wb.create_sheet(spec.title())
    headers = _per_period(spec.headers, period)
    for i, width in enumerate(_per_period(spec.widths, period) or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if spec.freeze:
        ws.freeze_panes = spec.freeze
    ws.append(_header_row(ws, headers))
    n = 0
    writer = RowWriter(ws, spec.formats, spec.cell_style)
    for values in (spec.rows(period) if rows is None else rows):
        ws.append(writer.row(values))
        n += 1
        if n % 2000 == 0:
            on_rows(n)
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{n + 1}"
    on_rows(n)
    return n


def _write_summary(wb, period: Period, modules):
    ws = wb.create_sheet(pgettext("sheet", "Summary"))
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["D"].width = 14
    ws.column_dimensions["E"].width = 12
    ws.freeze_panes = "A2"
    ws.append(_header_row(ws, [_("Metric"), _("Value")]))
    rows = []
    charts = []
    for module in modules:
        if hasattr(module, "summary"):
            rows.extend(module.summary(period))
        if hasattr(module, "charts"):
            charts.extend(module.charts(period))
    written = 1

    def append(values):
        nonlocal written
        ws.append(values)
        written += 1
        return written

    for label, value, fmt in rows:
        append([safe_value(ws, str(label)), safe_value(ws, value, fmt)])
    ws.auto_filter.ref = f"A1:B{len(rows) + 1}"
    # REGULATIONS §8: the figures are the month as it ended; a record of the month corrected since is listed
    edits = sorted((e for module in modules if hasattr(module, "later_edits") for e in module.later_edits(period)),
                   key=lambda e: e.at)
    append([])
    append(_header_row(ws, [_("Later edits to this month's records"), _("Changed at"), _("By")]))
    for edit in edits:
        append([safe_value(ws, edit.record), safe_value(ws, edit.at), safe_value(ws, edit.by)])
    if not edits:
        append([safe_value(ws, _("None"))])
    # Chart data below the metrics, one block per chart, each with a bar chart beside it.
    for chart in charts:
        append([])
        title_row = append([safe_value(ws, chart.title, font=Font(bold=True))])
        header_row = append(_header_row(ws, [chart.category_label, chart.value_label]))
        for category, value in chart.points:
            append([safe_value(ws, category), safe_value(ws, value)])
        if chart.points:
            bar = BarChart()
            bar.title = chart.title
            bar.y_axis.title = chart.value_label
            bar.x_axis.title = chart.category_label
            bar.legend = None
            bar.height, bar.width = 7.5, 18
            bar.add_data(Reference(ws, min_col=2, min_row=header_row, max_row=written), titles_from_data=True)
            bar.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=written))
            ws.add_chart(bar, f"D{title_row}")
        for _i in range(max(0, 16 - len(chart.points))):  # room for the chart before the next block
            append([])
    return len(rows)


def workbook_write(*, period: Period, language: str, path, progress: Callable[[int, str], None] | None = None):
    """Write the month's workbook to ``path``. ``progress(percent, stage)`` is called as it goes."""
    progress = progress or (lambda pct, stage: None)
    with translation.override(language):
        modules = report_modules()
        specs = [spec for m in modules for spec in getattr(m, "SHEETS", [])]
        totals = [max(spec.count(period), 1) for spec in specs]
        grand = sum(totals) + 1
        wb = Workbook(write_only=True)
        progress(1, pgettext("sheet", "Summary"))
        _write_summary(wb, period, modules)
        done = 1
        for spec, total in zip(specs, totals):
            title = spec.title()
            base = done

            def on_rows(n, base=base, total=total, title=title):
                progress(min(99, int(100 * (base + min(n, total)) / grand)), title)

            on_rows(0)
            _write_sheet(wb, spec, period, on_rows)
            done += total
        wb.save(path)
        progress(100, _("Done"))


def team_sheets() -> list[SheetSpec]:
    return [spec for m in report_modules() for spec in getattr(m, "SHEETS", []) if spec.team_rows is not None]


def team_workbook_write(*, period: Period, language: str, employee_ids: list, stream) -> dict:
    """A supervisor's workbook of the month: the sheets about people (attendance, scores), their team's rows
    only, written to ``stream``. Small (a team is a few dozen people), so it is written while they wait.
    Returns {sheet key: rows written}."""
    written = {}
    with translation.override(language):
        wb = Workbook(write_only=True)
        for spec in team_sheets():
            written[spec.key] = _write_sheet(wb, spec, period, lambda n: None,
                                             rows=spec.team_rows(period, list(employee_ids)))
        if not written:  # no area contributes a people sheet: still a valid (empty) workbook
            wb.create_sheet(pgettext("sheet", "Summary"))
        wb.save(stream)
    return written
