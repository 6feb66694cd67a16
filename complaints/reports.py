"""The complaints of the monthly workbook (REGULATIONS §8).

``SHEETS``/``summary``/``charts`` are the Complaints sheet, the complaints rows and the complaints-by-
department chart of the monthly workbook (``csmgmt/reports.py``). ``complaints_sheet_write`` is the
statistics page's own download (the list with every clock, then the §3 statistics)."""

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import DATETIME_FORMAT, PERCENT_FORMAT, ChartSpec, SheetSpec, safe_value

from .models import ClockKind, ClockState, Complaint, ComplaintClock, Demand, FaultLevel, Satisfaction, Severity, Stage
from .selectors import complaints_of_month, statistics

# --- the monthly workbook ------------------------------------------------------------------------------
# There is no voided complaint: withdrawn ones stay in the sheet with their stage.


def _received(period):
    return Complaint.objects.filter(received_at__gte=period.start, received_at__lt=period.end)


def _missed_clock_filter(now):
    """A clock is missed when it was closed late, or still runs past its due time."""
    return Q(state=ClockState.MISSED) | Q(state=ClockState.RUNNING, due_at__lt=now)


def _rows(period):
    now = timezone.now()
    stage = {k: str(v) for k, v in Stage.choices}
    severity = {k: str(v) for k, v in Severity.choices}
    demand = {k: str(v) for k, v in Demand.choices}
    satisfaction = {k: str(v) for k, v in Satisfaction.choices}
    yes, no = _("Yes"), _("No")
    missed = (ComplaintClock.objects.filter(complaint=OuterRef("pk")).filter(_missed_clock_filter(now))
              .order_by().values("complaint").annotate(n=Count("id")).values("n"))
    qs = (_received(period)
          .annotate(department=Coalesce("responsible_department__name", "against_department__name"),
                    clocks_missed=Coalesce(Subquery(missed), 0))
          .order_by("received_at", "id")
          .values_list("number", "received_at", "stage", "severity", "upheld", "department", "demand", "is_repeat",
                        "clocks_missed", "satisfaction_attitude", "satisfaction_result", "closed_at"))
    for (number, received, stg, sev, upheld, dept, dem, repeat, n_missed, att, res, closed) in qs.iterator(
            chunk_size=2000):
        yield [number, received, stage.get(stg, stg), severity.get(sev, sev),
               "" if upheld is None else (yes if upheld else no), dept or "", demand.get(dem, dem),
               yes if repeat else "", n_missed, satisfaction.get(att, "") if att else "",
               satisfaction.get(res, "") if res else "", closed]


SHEETS = [
    SheetSpec(
        key="complaints",
        title=lambda: pgettext("sheet", "Complaints"),
        headers=lambda: [_("Number"), _("Received at"), _("Stage"), _("Severity"), _("Upheld"), _("Department"),
                         _("Demand"), _("Repeat"), _("Clocks missed"), _("Attitude satisfaction"),
                         _("Result satisfaction"), _("Closed at")],
        rows=_rows,
        count=lambda period: _received(period).count(),
        widths=[18, 17, 22, 16, 9, 14, 26, 8, 13, 26, 26, 17],
        formats={1: DATETIME_FORMAT, 8: "0", 11: DATETIME_FORMAT},
    )
]


def summary_numbers(period) -> dict:
    """The complaints rows of the Summary sheet, as numbers: received in the month (withdrawn ones
    included), closed in the month, clocks met rate (of the month's complaints' clocks that are decided
    — met, missed, or running past due), average satisfaction (1–5, attitude and result together, of the
    month's complaints that were revisited). Three aggregate queries."""
    now = timezone.now()
    received = _received(period).aggregate(
        n=Count("id"), attitude=Avg("satisfaction_attitude"), result=Avg("satisfaction_result"),
        n_att=Count("satisfaction_attitude"), n_res=Count("satisfaction_result"),
    )
    closed = Complaint.objects.filter(closed_at__gte=period.start, closed_at__lt=period.end,
                                      stage=Stage.CLOSED).count()
    clocks = ComplaintClock.objects.filter(complaint__received_at__gte=period.start,
                                           complaint__received_at__lt=period.end).aggregate(
        met=Count("id", filter=Q(state=ClockState.MET)), missed=Count("id", filter=_missed_clock_filter(now)))
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


# --- the statistics page's download --------------------------------------------------------------------


def _clock_cell(clock, now) -> str:
    if clock is None:
        return ""
    if clock.state == ClockState.RUNNING:
        state = _("Overdue") if clock.due_at <= now else _("Running")
    else:
        state = str(ClockState(clock.state).label)
    return f"{state} ({timezone.localtime(clock.due_at):%Y-%m-%d %H:%M})"


def _append(ws, values) -> None:
    """One row; every text passes :func:`safe_value`, so a name like ``=HYPERLINK(…)`` or ``-1+2`` stays
    text and is never a formula."""
    ws.append([safe_value(ws, v) for v in values])


def complaints_sheet_write(ws, *, year: int, month: int) -> int:
    """Write the month's complaints into worksheet ``ws``; returns the number of complaint rows."""
    now = timezone.now()
    ws.title = str(_("Complaints"))[:31]
    _append(ws, [_("Customer complaint statistics") + f" {year:04d}-{month:02d}"])
    header = [_("Number"), _("Received"), _("Complainant"), _("customer's demand"), _("department complained about"),
              _("responsible department"), _("severity"), _("Upheld"), _("Repeat"), _("Stage")]
    header += [str(k.label) for k in ClockKind]
    header += [_("satisfaction with attitude"), _("satisfaction with result"), _("fault level"), _("closed at")]
    _append(ws, [str(h) for h in header])
    rows = 0
    for c in complaints_of_month(year=year, month=month):
        latest = {}
        for clock in c.clocks.all():  # prefetched, oldest first: the latest of each kind wins
            latest[clock.kind] = clock
        _append(ws, [
            c.number, timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"), c.complainant_name,
            str(Demand(c.demand).label), c.against_department.name if c.against_department else "",
            c.responsible_department.name if c.responsible_department else "", str(Severity(c.severity).label),
            "" if c.upheld is None else (_("Yes") if c.upheld else _("No")), _("Yes") if c.is_repeat else "",
            str(Stage(c.stage).label),
            *[_clock_cell(latest.get(k.value), now) for k in ClockKind],
            str(Satisfaction(c.satisfaction_attitude).label) if c.satisfaction_attitude else "",
            str(Satisfaction(c.satisfaction_result).label) if c.satisfaction_result else "",
            str(FaultLevel(c.fault_level).label) if c.fault_level else "",
            timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
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
    _append(ws, [str(_("clock")), str(_("Met")), str(_("Missed")), str(_("Running"))])
    for r in stats["clocks"]:
        _append(ws, [str(r["label"]), r["met"], r["missed"], r["running"]])
    return rows
