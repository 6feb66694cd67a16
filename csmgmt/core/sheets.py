"""What an app declares for the monthly workbook (REGULATIONS §8): the month (:class:`Period`), its sheets
(:class:`SheetSpec`), the Summary's charts (:class:`ChartSpec`), and the one function every export writes a
cell through (:func:`safe_value`). The workbook itself is written by the project's top floor
(``csmgmt/reports.py``), which reads each app's ``reports.py`` listed in ``settings.REPORT_MODULES``."""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl.cell import WriteOnlyCell

# Text that a spreadsheet (or the CSV it is re-saved as) would read as a formula gets a leading ' (OWASP's
# advice against CSV injection): a cell written as text today becomes live when a user re-saves as CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
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


def safe_text(value: str) -> str:
    """``value`` as text no spreadsheet reads as a formula: a leading ``'`` when it starts with
    ``= + - @``, TAB or CR (the cell shows the text with that quote)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def safe_value(ws, value, number_format: str | None = None, fill=None, font=None):
    """A value for a write-only row; text that starts like a formula gets a leading ``'`` and is written as
    text, never a formula (numbers, dates and booleans stay typed). Plain values go in as they are (fast);
    a cell object is made only when it needs a style. Every export writes its cells through here."""
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
    if formula_like:
        value = safe_text(value)
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


@dataclass(frozen=True)
class LaterEdit:
    """A change made after a month ended to a record dated in that month (the Summary lists them)."""

    at: dt.datetime
    record: str  # what was changed, e.g. "Call LD-20261101-0001"
    by: str  # who changed it ("" when the product itself did)


MOVE_SLACK = dt.timedelta(seconds=5)


def history_edits(model, *, records, after: dt.datetime, label: Callable[[object], str],
                  moves=None, skip_when_changed: str | None = None, related: tuple = ()) -> list[LaterEdit]:
    """The edits made at or after ``after`` to ``records`` (a queryset of ``model``, which keeps a
    simple-history trail), oldest first: the trail's changes of those records, leaving out the ones a workflow
    move made (``moves``: a values_list queryset of (record id, time) of the records' moves; a change within a
    few seconds of a move is that move) and, with ``skip_when_changed``, a change of that field (the record's
    state: a move, not an edit). Two queries, three with ``moves``; fast when nothing was edited (the records
    changed since are found first through the trail's date)."""
    history = model.history.model
    changed = history.objects.filter(history_date__gte=after, history_type="~",
                                     id__in=records.values("pk")).values("id")
    fields = ["id", "history_date", "history_user__employee__name"]
    if skip_when_changed:
        fields.append(skip_when_changed)
    rows = list(history.objects.filter(id__in=changed).order_by("id", "history_date", "history_id")
                .values_list(*fields))
    if not rows:
        return []
    move_times: dict = {}
    if moves is not None:
        for record_id, at in moves.filter(at__gte=after - MOVE_SLACK):
            move_times.setdefault(record_id, []).append(at)
    ids = {r[0] for r in rows}
    labels = {obj.pk: label(obj) for obj in model.objects.filter(pk__in=ids).select_related(*related)}
    edits, previous = [], {}
    for row in rows:
        pk, at, by = row[0], row[1], row[2]
        state = row[3] if skip_when_changed else None
        seen, before = pk in previous, previous.get(pk)
        previous[pk] = state
        if at < after or not seen:  # before the month ended, or the record's creation
            continue
        if skip_when_changed and before is not None and before != state:
            continue
        if any(abs(at - m) <= MOVE_SLACK for m in move_times.get(pk, ())):
            continue
        edits.append(LaterEdit(at=at, record=labels.get(pk, str(pk)), by=by or ""))
    edits.sort(key=lambda e: e.at)
    return edits


class RowWriter:
    """The cells of one write-only sheet's rows, as :func:`safe_value` makes them, for a sheet of many rows:
    a styled cell (a number format, a fill, a font, or text that looks like a formula) is made once per column
    and style, then carries each row's value. openpyxl writes a row's cells while the row is appended and
    starts a fresh cell after each styled one, so the same cell object may hold the next row's value; making a
    cell and setting its style for every date of 100,000 rows was a fifth of the workbook's time."""

    def __init__(self, ws, formats: dict | None = None, cell_style: Callable | None = None):
        self.ws = ws
        self.formats = formats or {}
        self.cell_style = cell_style
        self._cells: dict = {}
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def row(self, values) -> list:
        formats, cell_style, cells = self.formats, self.cell_style, self._cells
        out = []
        for i, value in enumerate(values):
            number_format = formats.get(i)
            fill = font = None
            if cell_style is not None:
                style = cell_style(i, value)
                if style:
                    fill, font = style
            if value is None or value.__class__ in (int, float, bool, Decimal):
                pass
            elif isinstance(value, dt.datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(self.tz).replace(tzinfo=None)
                number_format = number_format or DATETIME_FORMAT
            elif isinstance(value, dt.date):
                number_format = number_format or DATE_FORMAT
            elif not isinstance(value, (int, float, Decimal)):
                value = str(value)
                if not value.isprintable():  # control characters are not allowed in XML cells
                    value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
            formula_like = value.__class__ is str and value.startswith(FORMULA_PREFIXES)
            if formula_like:
                value = safe_text(value)
            if not (formula_like or number_format or fill is not None or font is not None):
                out.append(value)
                continue
            key = (i, number_format, id(fill), id(font), formula_like)
            entry = cells.get(key)
            if entry is None:  # the style objects are kept with the cell, so their ids stay theirs
                cell = WriteOnlyCell(self.ws)
                if number_format:
                    cell.number_format = number_format
                if fill is not None:
                    cell.fill = fill
                if font is not None:
                    cell.font = font
                entry = cells[key] = (cell, fill, font)
            cell = entry[0]
            cell.value = value
            if formula_like:
                cell.data_type = "s"
            out.append(cell)
        return out
