"""The Targets sheet of the monthly workbook (REGULATIONS §8, §10): each agent's figures of the month against the
targets, then each team's and the department's (the same numbers as the targets pages)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.registry import FIGURES
from csmgmt.core.sheets import PERCENT_FORMAT, SheetSpec
from staff.models import Employee

from .models import Figure
from .selectors import RATES, board, customer_service_employees

FORMATS = {"satisfaction": "0.00", "qa_score": "0.0"}
FIRST = 4  # the columns before the figures: row, name, employee number, team


def _number(cell):
    value = cell.value
    if value is None:
        return ""
    return float(value) / 100 if cell.figure in RATES else float(value)


def _target(cell):
    if cell.target is None:
        return ""
    return float(cell.target) / 100 if cell.figure in RATES else float(cell.target)


def _line(kind_label, row, team=""):
    e = row.employee
    out = [kind_label, row.label or _("Department"), e.employee_no if e is not None and row.kind == "agent" else "",
           team]
    for cell in row.cells:
        out += [_number(cell), _target(cell)]
    return out


def _lines(b, *, department: bool):
    for row in b.agents:
        yield _line(_("Agent"), row, row.employee.team)
    for row in b.teams:
        yield _line(_("Team"), row, row.employee.team)
    if department and b.department is not None:
        yield _line(_("Department"), b.department)


def _rows(period):
    yield from _lines(board(period, employees=customer_service_employees(), department=True), department=True)


def _team_rows(period, employee_ids):
    yield from _lines(board(period, employees=Employee.objects.filter(pk__in=employee_ids), department=False),
                      department=False)


def _headers():
    out = [_("Row"), _("Name"), _("Employee No"), _("Team")]
    for figure in FIGURES:
        label = str(Figure(figure).label)
        out += [label, _("%(figure)s: target") % {"figure": label}]
    return out


def _formats():
    out = {}
    for i, figure in enumerate(FIGURES):
        fmt = PERCENT_FORMAT if figure in RATES else FORMATS[figure]
        out[FIRST + 2 * i] = fmt
        out[FIRST + 2 * i + 1] = fmt
    return out


SHEETS = [
    SheetSpec(
        key="targets",
        title=lambda: pgettext("sheet", "Targets"),
        headers=_headers,
        rows=_rows,
        count=lambda period: customer_service_employees().count() + 20,
        widths=[10, 16, 12, 10] + [14, 10] * len(FIGURES),
        formats=_formats(),
        team_rows=_team_rows,
    )
]
