"""The Attendance sheet of the monthly workbook (REGULATIONS §4, §8): one row per employee with a roster
in the month, a code per day (coloured; the legend is in docs/reports.md), then the month's totals."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.styles import Font, PatternFill

from csmgmt.core.sheets import SheetSpec, history_edits
from staff.models import DayStatus, RosterEntry

from .selectors import CODES, TOTAL_COLUMNS, attendance_month

LEAD_COLUMNS = 3  # Employee No, Name, Department

# Day-code colours (fill, font): green on time, amber late/early, orange late and early, purple missed
# punch, red absent, blue leave, grey rest. Made once: openpyxl shares style objects.
CODE_STYLES = {
    CODES.PRESENT: (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100")),
    CODES.LATE: (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
    CODES.EARLY: (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
    CODES.LATE_EARLY: (PatternFill("solid", fgColor="F8CBAD"), Font(color="833C0B")),
    CODES.MISSED: (PatternFill("solid", fgColor="E4DFEC"), Font(color="5B2C6F")),
    CODES.ABSENT: (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006", bold=True)),
    CODES.LEAVE: (PatternFill("solid", fgColor="DDEBF7"), Font(color="1F4E78")),
    CODES.REST: (PatternFill("solid", fgColor="EDEDED"), Font(color="595959")),
}


def _rostered(period):
    return RosterEntry.objects.filter(date__gte=period.first_day, date__lte=period.last_day, shift__isnull=False)


def _rows(period, employee_ids=None):
    for row in attendance_month(year=period.year, month=period.month, employees=employee_ids):
        employee = row.employee
        yield [employee.employee_no, employee.name, employee.department.name if employee.department_id else "",
               *row.code_list(period.days), *row.total_list()]


def _cell_style(column, value):
    return CODE_STYLES.get(value) if column >= LEAD_COLUMNS and isinstance(value, str) else None


def _headers(period):
    return [_("Employee No"), _("Name"), _("Department"), *[str(d) for d in range(1, period.days + 1)],
            *[str(label) for _key, label in TOTAL_COLUMNS]]


def _widths(period):
    return [12, 12, 12, *[4.5] * period.days, *[11] * len(TOTAL_COLUMNS)]


SHEETS = [
    SheetSpec(
        key="attendance",
        title=lambda: pgettext("sheet", "Attendance"),
        headers=_headers,
        rows=_rows,
        count=lambda period: _rostered(period).values("employee_id").distinct().count(),
        widths=_widths,
        cell_style=_cell_style,
        freeze="D2",
        team_rows=_rows,
    )
]


def later_edits(period):
    """Days of the month whose status changed after it ended (a correction, leave approved late, a punch
    entered late); a day settled then for the first time (its window had not closed) is not an edit."""
    days = DayStatus.objects.filter(date__gte=period.first_day, date__lte=period.last_day)
    return history_edits(DayStatus, records=days, after=period.end, skip_when_changed="pending",
                         related=("employee",),
                         label=lambda d: _("Attendance of %(name)s on %(date)s") % {"name": d.employee.name,
                                                                                  "date": d.date.isoformat()})
