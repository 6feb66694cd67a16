"""The monthly workbook (REGULATIONS §8, issue "Monthly Excel reports").

Each area contributes its sheet from its own ``reports.py`` (listed in ``settings.REPORT_MODULES``,
in sheet order). Such a module may define:

- ``SHEETS``: a list of :class:`SheetSpec` — title, headers, column widths/formats and ``rows(period)``,
  an iterator of row lists streamed from the database (``.iterator()``), and ``count(period)``;
- ``summary(period) -> list[(label, value, number_format)]``: its rows of the Summary sheet;
- ``charts(period) -> list[ChartSpec]``: charts drawn on the Summary sheet.

The workbook is written with openpyxl in write-only mode, so memory does not grow with the rows.
"""

import calendar
import datetime as dt
import importlib
import inspect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Period:
    """A calendar month in the project's time zone."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        try:
            year, month = (int(p) for p in text.split("-"))
            dt.date(year, month, 1)
        except (ValueError, TypeError):
            raise ValueError(f"not a month (YYYY-MM): {text!r}") from None
        return cls(year, month)

    @classmethod
    def previous(cls, today: dt.date) -> "Period":
        first = today.replace(day=1) - dt.timedelta(days=1)
        return cls(first.year, first.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.days)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def end(self) -> dt.datetime:
        """Exclusive: the first instant of the next month."""
        nxt = self.last_day + dt.timedelta(days=1)
        return dt.datetime(nxt.year, nxt.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class SheetSpec:
    key: str
    title: Callable[[], str]  # called with the workbook's language active
    headers: Callable[..., list]  # headers() or headers(period) when the columns depend on the month
    rows: Callable[[Period], Iterable[list]]
    count: Callable[[Period], int]
    widths: list | Callable = field(default_factory=list)  # a list, or widths(period)
    formats: dict = field(default_factory=dict)  # column index -> number format
    cell_style: Callable | None = None  # cell_style(column_index, value) -> (fill, font) or None
    freeze: str = "A2"
    # A sheet about people also goes into a supervisor's team workbook: team_rows(period, employee_ids).
    team_rows: Callable[[Period, list], Iterable[list]] | None = None


@dataclass
class ChartSpec:
    title: str
    category_label: str
    value_label: str
    points: list  # [(category, value)]


def report_modules():
    modules = []
    for name in settings.REPORT_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def safe_value(ws, value, number_format: str | None = None, fill=None, font=None):
    """A value for a write-only row; text that starts like a formula stays text, never a formula.
    Plain values go in as they are (fast); a cell object is made only when it needs a style."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
        number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, dt.date):
        number_format = number_format or DATE_FORMAT
    elif value is not None and not isinstance(value, (int, float, bool, Decimal)):
        value = str(value)
        if not value.isprintable():  # control characters are not allowed in XML cells
            value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    formula_like = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    if not (formula_like or number_format or fill is not None or font is not None):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if formula_like:
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    return cell


def _header_row(ws, headers):
    row = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
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
    for values in (spec.rows(period) if rows is None else rows):
        row = []
        for i, value in enumerate(values):
            style = spec.cell_style(i, value) if spec.cell_style else None
            fill, font = style if style else (None, None)
            row.append(safe_value(ws, value, spec.formats.get(i), fill, font))
        ws.append(row)
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
