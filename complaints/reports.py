"""The complaints sheet of the monthly workbook (REGULATIONS §8): every complaint received in the
month with each clock met or missed, then the §3 statistics. ``complaints_sheet_write`` fills an
openpyxl worksheet; the workbook that assembles every app's sheet calls it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ClockKind, ClockState, Demand, FaultLevel, Satisfaction, Severity, Stage
from .selectors import complaints_of_month, statistics


def _clock_cell(clock, now) -> str:
    if clock is None:
        return ""
    if clock.state == ClockState.RUNNING:
        state = _("Overdue") if clock.due_at <= now else _("Running")
    else:
        state = str(ClockState(clock.state).label)
    return f"{state} ({timezone.localtime(clock.due_at):%Y-%m-%d %H:%M})"


def complaints_sheet_write(ws, *, year: int, month: int) -> int:
    """Write the month's complaints into worksheet ``ws``; returns the number of complaint rows."""
    now = timezone.now()
    ws.title = str(_("Complaints"))[:31]
    ws.append([_("Customer complaint statistics") + f" {year:04d}-{month:02d}"])
    header = [_("Number"), _("Received"), _("Complainant"), _("customer's demand"), _("department complained about"),
              _("responsible department"), _("severity"), _("Upheld"), _("Repeat"), _("Stage")]
    header += [str(k.label) for k in ClockKind]
    header += [_("satisfaction with attitude"), _("satisfaction with result"), _("fault level"), _("closed at")]
    ws.append([str(h) for h in header])
    rows = 0
    for c in complaints_of_month(year=year, month=month):
        latest = {}
        for clock in c.clocks.all():  # prefetched, oldest first: the latest of each kind wins
            latest[clock.kind] = clock
        ws.append([
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
    ws.append([])
    for label, value in ((_("Complaints"), t["n_total"]), (_("Upheld"), t["n_upheld"]),
                         (_("Not upheld"), t["n_not_upheld"]), (_("Major"), t["n_major"]),
                         (_("Repeat complaints"), t["n_repeats"]),
                         (_("satisfaction with attitude"), round(t["n_avg_attitude"] or 0, 2)),
                         (_("satisfaction with result"), round(t["n_avg_result"] or 0, 2))):
        ws.append([str(label), value])
    ws.append([])
    ws.append([str(_("clock")), str(_("Met")), str(_("Missed")), str(_("Running"))])
    for r in stats["clocks"]:
        ws.append([str(r["label"]), r["met"], r["missed"], r["running"]])
    return rows
