"""The complaints of the monthly workbook (REGULATIONS §8).

``SHEETS``/``summary``/``charts`` are the Complaints sheet, the complaints rows and the complaints-by-
department chart of the monthly workbook (``csmgmt/reports.py``). ``complaints_sheet_write`` is the
statistics page's own download (the list with every clock, then the §3 statistics)."""

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import DATETIME_FORMAT, PERCENT_FORMAT, ChartSpec, SheetSpec, history_edits, safe_value

from .models import (ClockKind, ClockState, Complaint, ComplaintClock, ComplaintEvent, Demand, FaultLevel, Satisfaction,
                     Severity, Stage)
from .selectors import (MET, MISSED, NOT_NEEDED, RUNNING, _clock_filters, complaints_of_month, month_as_of,
                        month_clock_states, revisited_by, statistics)

# --- the monthly workbook ------------------------------------------------------------------------------
# There is no voided complaint: withdrawn ones stay in the sheet with their stage. Every figure is the month
# as it ended (``month_as_of``): a move, a clock met or a revisit after it is left out.

LEAD_HEADERS = ("Number", "Received at", "Stage", "Severity", "Upheld", "Department", "Demand", "Repeat")
TAIL_HEADERS = ("Attitude satisfaction", "Result satisfaction", "Closed at")


# Complaints and their clocks are streamed CHUNK rows at a time (complaints_of_month), never the month at once
CHUNK = 1000


def _received(period):
    return Complaint.objects.filter(received_at__gte=period.start, received_at__lt=period.end)


def clock_labels() -> dict:
    return {MET: _("Met"), MISSED: _("Missed"), RUNNING: pgettext("clock", "Running"), NOT_NEEDED: _("Not needed")}


def _headers():
    return [_("Number"), pgettext("complaint", "Received at"), _("Stage"), _("Severity"), _("Upheld"), _("Department"), _("Demand"),
            _("Repeat"), *[str(k.label) for k in ClockKind], _("Attitude satisfaction"), _("Result satisfaction"),
            pgettext("complaint", "Closed at")]


def _rows(period):
    """One row per complaint received in the month: its stage when the month ended and one column per clock
    kind (met / missed / running / not needed at the month's end; empty when that clock never started by
    then). Two queries, whatever the number, read side by side."""
    at = month_as_of(period.year, period.month)
    stage = {k: str(v) for k, v in Stage.choices}
    severity = {k: str(v) for k, v in Severity.choices}
    demand = {k: str(v) for k, v in Demand.choices}
    satisfaction = {k: str(v) for k, v in Satisfaction.choices}
    labels = clock_labels()
    yes, no = _("Yes"), _("No")
    for c, clocks in complaints_of_month(year=period.year, month=period.month, chunk_size=CHUNK):
        states = month_clock_states(clocks, at)
        dept = c.responsible_department or c.against_department
        revisited = c.revisited_at is None or c.revisited_at < at  # no time: an imported answer
        closed = c.closed_at if c.closed_at is not None and c.closed_at < at else None
        yield [c.number, c.received_at, stage.get(c.stage_at_end, c.stage_at_end), severity.get(c.severity, c.severity),
               "" if c.upheld is None else (yes if c.upheld else no), dept.name if dept else "",
               demand.get(c.demand, c.demand), yes if c.is_repeat else "",
               *[labels.get(states.get(k.value), "") for k in ClockKind],
               satisfaction.get(c.satisfaction_attitude, "") if revisited and c.satisfaction_attitude else "",
               satisfaction.get(c.satisfaction_result, "") if revisited and c.satisfaction_result else "",
               closed]


def _widths():
    return [18, 17, 22, 16, 9, 14, 26, 8, *[14] * len(ClockKind), 26, 26, 17]


def _formats():
    return {1: DATETIME_FORMAT, len(LEAD_HEADERS) + len(ClockKind) + 2: DATETIME_FORMAT}


def statistics_rows(period):
    """The §3 statistics of the month (《客户投诉统计表》) as rows of (what, figure, met, missed, running): the same
    selector as the statistics page, so the two agree."""
    stats = statistics(year=period.year, month=period.month)
    t = stats["totals"]
    demand = {k: str(v) for k, v in Demand.choices}
    severity = {k: str(v) for k, v in Severity.choices}
    yes, no = _("Yes"), _("No")
    rows = [[_("Complaints received"), t["n_total"]], [_("Closed by the end of the month"), t["n_closed"]],
            [_("Withdrawn by the end of the month"), t["n_withdrawn"]], [_("Repeat complaints"), t["n_repeats"]],
            [_("Average satisfaction with attitude"), _round(t["n_avg_attitude"])],
            [_("Average satisfaction with result"), _round(t["n_avg_result"])], []]
    rows.append([_("By customer's demand")])
    rows += [[demand.get(r["demand"], r["demand"]), r["n"]] for r in stats["by_demand"]]
    rows += [[], [_("By responsible department")]]
    rows += [[r["responsible_department__name"] or _("Not assigned"), r["n"]] for r in stats["by_department"]]
    rows += [[], [_("By severity")]]
    rows += [[severity.get(r["severity"], r["severity"]), r["n"]] for r in stats["by_severity"]]
    rows += [[], [_("Upheld or not")]]
    rows += [[_("Not analysed yet") if r["upheld"] is None else (yes if r["upheld"] else no), r["n"]]
             for r in stats["by_upheld"]]
    rows += [[], [_("By cause")]]
    rows += [[r["cause"], r["n"]] for r in stats["by_cause"]]
    rows += [[], [_("Deadlines per clock"), "", _("Met"), _("Missed"), pgettext("clock", "Running")]]
    rows += [[str(r["label"]), "", r["met"], r["missed"], r["running"]] for r in stats["clocks"]]
    return rows


def _round(value):
    return round(value, 2) if value is not None else ""


SHEETS = [
    SheetSpec(
        key="complaints",
        title=lambda: pgettext("sheet", "Complaints"),
        headers=_headers,
        rows=_rows,
        count=lambda period: _received(period).count(),
        widths=lambda: _widths(),
        formats=_formats(),
    ),
    SheetSpec(
        key="complaint_statistics",
        title=lambda: pgettext("sheet", "Complaint statistics"),
        headers=lambda: [_("Figure"), _("Complaints"), _("Met"), _("Missed"), pgettext("clock", "Running")],
        rows=statistics_rows,
        count=lambda period: 40,
        widths=[40, 12, 10, 10, 10],
    ),
]


def summary_numbers(period) -> dict:
    """The complaints rows of the Summary sheet, as numbers, from the statistics (the month as it ended):
    received in the month (withdrawn ones included), closed by its end, clocks met rate (of the decided
    clocks — met or missed — the share met), average satisfaction (1–5, attitude and result together, of
    the month's complaints revisited by its end)."""
    at = month_as_of(period.year, period.month)
    revisited = revisited_by(at)
    received = _received(period).aggregate(
        n=Count("id"), attitude=Avg("satisfaction_attitude", filter=revisited),
        result=Avg("satisfaction_result", filter=revisited),
        n_att=Count("satisfaction_attitude", filter=revisited), n_res=Count("satisfaction_result", filter=revisited),
    )
    closed = Complaint.objects.filter(closed_at__gte=period.start, closed_at__lt=at, stage=Stage.CLOSED).count()
    filters = _clock_filters(at)
    clocks = ComplaintClock.objects.filter(complaint__received_at__gte=period.start,
                                           complaint__received_at__lt=period.end).aggregate(
        met=Count("id", filter=filters["met"]), missed=Count("id", filter=filters["missed"]))
    decided = clocks["met"] + clocks["missed"]
    n_sat = received["n_att"] + received["n_res"]
    average = ((received["attitude"] or 0) * received["n_att"] + (received["result"] or 0) * received["n_res"]) / n_sat \
        if n_sat else None
    return {"received": received["n"], "closed": closed, "clocks_met_rate": clocks["met"] / decided if decided else None,
            "average_satisfaction": round(average, 2) if average is not None else None}


def summary(period):
    numbers = summary_numbers(period)
    return [
        (_("Complaints received"), numbers["received"], None),
        (_("Complaints closed"), numbers["closed"], None),
        (_("Clocks met rate"), numbers["clocks_met_rate"] if numbers["clocks_met_rate"] is not None else "",
         PERCENT_FORMAT),
        (_("Average satisfaction"), numbers["average_satisfaction"] if numbers["average_satisfaction"] is not None
         else "", "0.00"),
    ]


def charts(period):
    rows = (_received(period).annotate(department=Coalesce("responsible_department__name",
                                                           "against_department__name"))
            .values("department").annotate(n=Count("id")).order_by("-n", "department"))
    not_assigned = _("Not assigned")
    points = [(r["department"] or not_assigned, r["n"]) for r in rows]
    return [ChartSpec(title=_("Complaints by department"), category_label=_("Department"),
                      value_label=_("Complaints"), points=points)]


def later_edits(period):
    """Complaints received in the month edited after it ended (a workflow move is not an edit)."""
    return history_edits(Complaint, records=_received(period), after=period.end, skip_when_changed="stage",
                         moves=ComplaintEvent.objects.values_list("complaint_id", "at"),
                         label=lambda c: _("Complaint %(number)s") % {"number": c.number})


# --- the statistics page's download --------------------------------------------------------------------


def _clock_cell(clock, state, labels) -> str:
    """A clock as the month ended: met / missed / running / not needed, with its due time."""
    if clock is None or not state:
        return ""
    return f"{labels[state]} ({timezone.localtime(clock.due_at):%Y-%m-%d %H:%M})"


def _append(ws, values) -> None:
    """One row; every text passes :func:`safe_value`, so a name like ``=HYPERLINK(…)`` or ``-1+2`` stays
    text and is never a formula."""
    ws.append([safe_value(ws, v) for v in values])


def complaints_sheet_write(ws, *, year: int, month: int) -> int:
    """Write the month's complaints into worksheet ``ws``, as the month ended (as the workbook does); returns
    the number of complaint rows."""
    at = month_as_of(year, month)
    labels = clock_labels()
    ws.title = str(_("Complaints"))[:31]
    _append(ws, [_("Customer complaint statistics") + f" {year:04d}-{month:02d}"])
    header = [_("Number"), _("Received"), _("Complainant"), _("customer's demand"), _("department complained about"),
              _("responsible department"), _("severity"), _("Upheld"), _("Repeat"), _("Stage")]
    header += [str(k.label) for k in ClockKind]
    header += [_("satisfaction with attitude"), _("satisfaction with result"), _("fault level"), pgettext("complaint", "closed at")]
    _append(ws, [str(h) for h in header])
    rows = 0
    for c, clocks in complaints_of_month(year=year, month=month, chunk_size=CHUNK):
        latest = {}
        for clock in clocks:  # oldest first: the latest of each kind started by then wins
            if clock.started_at < at:
                latest[clock.kind] = clock
        states = month_clock_states(clocks, at)
        revisited = c.revisited_at is None or c.revisited_at < at  # no time: an imported answer
        closed = c.closed_at is not None and c.closed_at < at
        _append(ws, [
            c.number, timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"), c.complainant_name,
            str(Demand(c.demand).label), c.against_department.name if c.against_department else "",
            c.responsible_department.name if c.responsible_department else "", str(Severity(c.severity).label),
            "" if c.upheld is None else (_("Yes") if c.upheld else _("No")), _("Yes") if c.is_repeat else "",
            str(Stage(c.stage_at_end).label),
            *[_clock_cell(latest.get(k.value), states.get(k.value), labels) for k in ClockKind],
            str(Satisfaction(c.satisfaction_attitude).label) if c.satisfaction_attitude and revisited else "",
            str(Satisfaction(c.satisfaction_result).label) if c.satisfaction_result and revisited else "",
            str(FaultLevel(c.fault_level).label) if c.fault_level and closed else "",
            timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if closed else "",
        ])
        rows += 1
    stats = statistics(year=year, month=month)
    t = stats["totals"]
    _append(ws, [])
    for label, value in ((_("Complaints"), t["n_total"]), (_("Upheld"), t["n_upheld"]),
                         (_("Not upheld"), t["n_not_upheld"]), (_("Major"), t["n_major"]),
                         (_("Repeat complaints"), t["n_repeats"]),
                         (_("satisfaction with attitude"), round(t["n_avg_attitude"] or 0, 2)),
                         (_("satisfaction with result"), round(t["n_avg_result"] or 0, 2))):
        _append(ws, [str(label), value])
    _append(ws, [])
    _append(ws, [str(_("clock")), str(_("Met")), str(_("Missed")), str(pgettext("clock", "Running"))])
    for r in stats["clocks"]:
        _append(ws, [str(r["label"]), r["met"], r["missed"], r["running"]])
    return rows
