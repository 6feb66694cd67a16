"""Reads of the targets pages and the workbook's Targets sheet (REGULATIONS §10): each figure per agent, per team
and for the department, for any month, from the sources registered in ``csmgmt.core.registry`` — one aggregate
query per source, whatever the month's size — and the 12-month trend.

**Teams** are the team grid's (``staff.attendance.selectors``): a supervisor's team is the employees whose
``supervisor`` is them. A team's figure sums its members' numerators and denominators; the department's sums
every row of every source (records nobody is attributed to included)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from csmgmt.core.registry import FIGURES, figure_sources
from csmgmt.core.sheets import Period
from staff.models import Employee

from .models import Figure, MonthFigure, Target

RATES = frozenset({"first_contact", "reply_on_time", "clocks_met", "revisit_rate"})  # shown in per cent
TEAM_ONLY = frozenset({"clocks_met"})  # counted for the team and the department, not per agent (issue 20)
TREND_MONTHS = 12


def month_shift(period: Period, delta: int) -> Period:
    index = period.year * 12 + period.month - 1 + delta
    return Period(index // 12, index % 12 + 1)


def this_month(now=None) -> Period:
    today = timezone.localdate(now)
    return Period(today.year, today.month)


def _dec(number) -> Decimal:
    """A source's number as a Decimal (an int, a Decimal, or a float from another app's source)."""
    return number if isinstance(number, Decimal) else Decimal(str(number))


def figure_value(figure: str, num, den) -> Decimal | None:
    """The figure of (numerator, denominator): a rate in per cent, a mean as it is; None without a denominator."""
    if not den:
        return None
    value = Decimal(num) / Decimal(den)
    return value * 100 if figure in RATES else value


def shown(figure: str, value) -> str:
    """75.0%, 4.50, 85.0 — or "—" for no figure."""
    if value is None:
        return "—"
    if figure in RATES:
        return f"{Decimal(value).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if figure == "satisfaction":
        return f"{Decimal(value).quantize(Decimal('0.01'), ROUND_HALF_UP)}"
    return f"{Decimal(value).quantize(Decimal('0.1'), ROUND_HALF_UP)}"


@dataclass
class Cell:
    """One figure of one row: its numbers, its target, and what the pages show (computed once, here)."""

    figure: str
    num: Decimal = Decimal(0)
    den: Decimal = Decimal(0)
    target: Decimal | None = None
    counted: bool = True  # False: this figure is not counted for this row (an agent's clocks) or has no source

    def __post_init__(self):
        self.value = figure_value(self.figure, self.num, self.den) if self.counted else None
        self.text = shown(self.figure, self.value)
        self.target_text = shown(self.figure, self.target) if self.target is not None else ""
        # whether the figure reaches its target (every figure: the higher the better); None when either is missing
        self.met = None if self.value is None or self.target is None else self.value >= self.target
        self.standing = "" if self.met is None else ("met" if self.met else "below")
        self.css = {"met": "text-success", "below": "text-danger"}.get(self.standing, "")
        self.fraction = f"{_plain(self.num)} / {_plain(self.den)}" if self.counted and self.den else ""

    @property
    def label(self):
        return Figure(self.figure).label

    @property
    def html(self):
        """The table cell (built here, not by a template per cell: the department's 200 agents make 1,200)."""
        if not self.fraction:
            return format_html('<td class="text-end" data-figure="{}"><span class="text-secondary">—</span></td>',
                               self.figure)
        icon = ""
        if self.standing:
            icon = format_html(' <i class="bi bi-{}-circle" role="img" aria-label="{}"></i>',
                               "check" if self.met else "exclamation",
                               gettext("target met") if self.met else gettext("below target"))
        return format_html('<td class="text-end text-nowrap {}" data-figure="{}"><span class="fw-semibold">{}</span>{}'
                           '<div class="small text-secondary">{}</div></td>', self.css, self.figure, self.text, icon,
                           self.fraction)


def _plain(number) -> str:
    """3, 7.5 — a numerator or denominator without trailing zeros."""
    text = f"{Decimal(number):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Row:
    kind: str  # "agent", "team", "department"
    label: str
    employee: Employee | None = None
    cells: list = field(default_factory=list)

    def cell(self, figure: str) -> Cell:
        return next(c for c in self.cells if c.figure == figure)


@dataclass
class Board:
    period: Period
    agents: list  # [Row]
    teams: list  # [Row]
    department: Row | None
    sources: dict  # figure -> number of sources registered (0: the figure shows "—")

    @property
    def empty(self) -> bool:
        rows = [*self.agents, *self.teams, *([self.department] if self.department else [])]
        return not any(c.den for r in rows for c in r.cells)


def month_numbers(period: Period) -> dict:
    """{figure: {employee_id | None: (numerator, denominator)}} of the month, every source summed; one query per
    source."""
    numbers = {}
    for figure in FIGURES:
        merged: dict = {}
        for source in figure_sources(figure):
            for who, (num, den) in source.per_employee(period.start, period.end).items():
                n, d = merged.get(who, (0, 0))
                merged[who] = (n + _dec(num), d + _dec(den))
        numbers[figure] = merged
    return numbers


def targets_of_months(months: list) -> dict:
    """{(year, month): {figure: target}}: for each month, the latest target set from that month or before; one
    query."""
    last = max(months, key=lambda p: (p.year, p.month)).first_day
    rows = list(Target.objects.filter(applies_from__lte=last).order_by("applies_from", "id")
                .values_list("figure", "applies_from", "value"))
    out = {}
    for p in months:
        found = {}
        for figure, applies_from, value in rows:  # oldest first: a later month's target replaces an earlier one
            if applies_from <= p.first_day:
                found[figure] = value
        out[(p.year, p.month)] = found
    return out


def _cells(numbers: dict, targets: dict, sources: dict, who: list | None, *, agent: bool) -> list:
    cells = []
    for figure in FIGURES:
        rows = numbers[figure]
        keys = rows.keys() if who is None else [k for k in who if k in rows]
        num = sum((rows[k][0] for k in keys), Decimal(0))
        den = sum((rows[k][1] for k in keys), Decimal(0))
        counted = sources[figure] > 0 and not (agent and figure in TEAM_ONLY)
        cells.append(Cell(figure, num if counted else Decimal(0), den if counted else Decimal(0),
                          targets.get(figure), counted))
    return cells


def _team_label(supervisor: Employee) -> str:
    return f"{supervisor.team} · {supervisor.name}" if supervisor.team else supervisor.name


def board(period: Period, *, employees, department: bool) -> Board:
    """The month's rows for ``employees`` (a queryset of the people the reader may see): one row per person with a
    figure or still active, one per team (by supervisor) and — ``department`` — the department's."""
    numbers = month_numbers(period)
    targets = targets_of_months([period])[(period.year, period.month)]
    sources = {f: len(figure_sources(f)) for f in FIGURES}
    counted = {k for rows in numbers.values() for k in rows}
    people = [e for e in employees.select_related("supervisor").order_by("team", "employee_no")
              if e.active or e.pk in counted]
    agents = [Row("agent", e.name, e, _cells(numbers, targets, sources, [e.pk], agent=True)) for e in people]
    teams: dict = {}
    for e in people:
        if e.supervisor_id is not None:
            teams.setdefault(e.supervisor_id, (e.supervisor, []))[1].append(e.pk)
    team_rows = [Row("team", _team_label(sup), sup, _cells(numbers, targets, sources, members, agent=False))
                 for sup, members in sorted(teams.values(), key=lambda t: (t[0].team, t[0].employee_no))]
    dept = Row("department", "", None, _cells(numbers, targets, sources, None, agent=False)) if department else None
    return Board(period, agents, team_rows, dept, sources)


def department_employees(manager: Employee):
    return Employee.objects.filter(department_id=manager.department_id)


def team_employees(supervisor: Employee):
    return Employee.objects.filter(supervisor=supervisor)


def own_employee(employee: Employee):
    return Employee.objects.filter(pk=employee.pk)


# --- the 12-month trend --------------------------------------------------------------------------------------


@dataclass
class TrendMonth:
    period: Period
    cells: list  # [Cell], the department's
    live: bool  # computed now (this month, or a month the nightly job has not stored yet)


def live_months(months: list, *, now=None) -> dict:
    """{(year, month): {figure: (numerator, denominator)}} of ``months`` computed now: each source once over their
    span, grouped by month when it can (``per_month``), else once per month."""
    if not months:
        return {}
    start, end = months[0].start, months[-1].end
    wanted = {(p.year, p.month) for p in months}
    out = {key: {} for key in wanted}
    for figure in FIGURES:
        for source in figure_sources(figure):
            if source.per_month is not None:
                per_month = source.per_month(start, end)
            else:
                per_month = {}
                for p in months:
                    rows = source.per_employee(p.start, p.end).values()
                    per_month[(p.year, p.month)] = (sum(n for n, _d in rows), sum(d for _n, d in rows))
            for key, (num, den) in per_month.items():
                if key in wanted:
                    n, d = out[key].get(figure, (Decimal(0), Decimal(0)))
                    out[key][figure] = (n + _dec(num), d + _dec(den))
    return out


def trend(period: Period, *, now=None, board: Board | None = None) -> list:
    """The department's figures of the 12 months ending with ``period``: months that ended from the stored
    figures (one query; ``services.month_figures_store``, nightly), this month and any month not stored yet
    computed now (one query per source over them; ``period`` itself from ``board``, the page's own month, when
    given). Months after this one are left out."""
    current = this_month(now)
    months = [month_shift(period, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    months = [p for p in months if (p.year, p.month) <= (current.year, current.month)]
    if not months:
        return []
    stored: dict = {}
    for month, figure, num, den in MonthFigure.objects.filter(
            month__gte=months[0].first_day, month__lte=months[-1].first_day).values_list(
            "month", "figure", "numerator", "denominator"):
        stored.setdefault((month.year, month.month), {})[figure] = (num, den)
    live = [p for p in months if (p.year, p.month) == (current.year, current.month)
            or (p.year, p.month) not in stored]
    from_board = {}
    if board is not None and board.department is not None and board.period in live:
        from_board = {(period.year, period.month): {c.figure: (c.num, c.den) for c in board.department.cells
                                                    if c.counted}}
        live = [p for p in live if p != board.period]
    computed = {**(live_months(_contiguous(live), now=now) if live else {}), **from_board}
    live = live + ([board.period] if from_board else [])
    targets = targets_of_months(months)
    sources = {f: len(figure_sources(f)) for f in FIGURES}
    out = []
    for p in months:
        key = (p.year, p.month)
        is_live = p in live
        figures = computed.get(key, {}) if is_live else stored.get(key, {})
        cells = [Cell(f, *figures.get(f, (Decimal(0), Decimal(0))), targets[key].get(f),
                      sources[f] > 0 or f in figures) for f in FIGURES]
        out.append(TrendMonth(p, cells, is_live))
    return out


def _contiguous(months: list) -> list:
    """The months from the first to the last of ``months`` (one span for the grouped queries)."""
    first, last = months[0], months[-1]
    span, p = [], first
    while (p.year, p.month) <= (last.year, last.month):
        span.append(p)
        p = month_shift(p, 1)
    return span


def stored_at():
    """When the trend's stored months were last computed (the nightly job), or None."""
    row = MonthFigure.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    return row


def figure_labels() -> list:
    return [(f, Figure(f).label) for f in FIGURES]


def chart(months: list) -> dict:
    """The trend as the dashboard's chart JSON (``static/js/dashboard.js``): the rates and the QA score (0–100) on
    one line chart."""
    labels = [f"{m.period.year:04d}-{m.period.month:02d}" for m in months]
    series = []
    for figure, label in figure_labels():
        if figure == "satisfaction":
            continue
        values = [_float(m.cells[FIGURES.index(figure)].value) for m in months]
        series.append({"label": str(label), "values": values})
    return {"labels": labels, "series": series, "kind": "line"}


def satisfaction_chart(months: list) -> dict:
    labels = [f"{m.period.year:04d}-{m.period.month:02d}" for m in months]
    values = [_float(m.cells[FIGURES.index("satisfaction")].value) for m in months]
    return {"labels": labels, "series": [{"label": str(Figure.SATISFACTION.label), "values": values}],
            "kind": "line"}


def _float(value):
    return None if value is None else round(float(value), 2)


def targets_current(now=None) -> list:
    """Every target row, newest month first (the settings page)."""
    return list(Target.objects.select_related("set_by").order_by("figure", "-applies_from"))



def customer_service_employees():
    """The customer-service department's people (the workbook's Targets sheet, which has no reader to scope by)."""
    return Employee.objects.filter(department__kind="cs")
