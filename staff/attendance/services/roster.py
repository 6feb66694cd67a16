"""The roster (排班表, REGULATIONS §4) and the shifts it is made of: one cell at a time, last week copied, a
spreadsheet imported; a manager's shift settings."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from csmgmt.core.tabular import ImportRejected, RowError, read_table
from staff.models import Employee, RosterEntry, Shift

from ..selectors import can_manage
from ..workflow import AttendanceError
from .days import day_statuses_recompute


def roster_set(*, employee: Employee, date: dt.date, shift: Shift | None, by: Employee | None) -> RosterEntry:
    """Set one roster cell (``shift=None`` clears it; the history keeps what it was). ``by``: the supervisor
    (their team only); ``None`` for the product's own."""
    if by is not None and (not can(by.user, "attendance.roster") or not can_manage(by.user, employee)):
        raise AttendanceError(_("You may roster only your own team."))
    with transaction.atomic():
        entry, created = RosterEntry.objects.select_for_update().get_or_create(
            employee=employee, date=date, defaults={"shift": shift, "set_by": by})
        if not created and entry.shift_id != (shift.pk if shift else None):
            entry.shift, entry.set_by = shift, by
            if by is not None:
                entry._history_user = by.user
            entry.save()
        day_statuses_recompute(employee_id=employee.pk, dates=[date - dt.timedelta(days=1), date], by=by)
    return entry


def roster_copy_week(*, employees, week_start: dt.date, by: Employee, swap_ab: bool = False) -> int:
    """Copy the week before ``week_start`` (a Monday) onto that week for ``employees``; with
    ``swap_ab`` the A and B shifts trade places (A and B swap weekly, REGULATIONS §4)."""
    employees = list(employees)
    for employee in employees:
        if not can_manage(by.user, employee):
            raise AttendanceError(_("You may roster only your own team."))
    source_start = week_start - dt.timedelta(days=7)
    entries = RosterEntry.objects.filter(employee__in=employees, date__gte=source_start, date__lt=week_start,
                                         shift__isnull=False).select_related("shift")
    shifts = {s.code: s for s in Shift.objects.filter(code__in=["A", "B"])}
    copied = 0
    with transaction.atomic():
        for entry in entries:
            shift = entry.shift
            if swap_ab and shift.code in ("A", "B") and len(shifts) == 2:
                shift = shifts["B" if shift.code == "A" else "A"]
            roster_set(employee=entry.employee, date=entry.date + dt.timedelta(days=7), shift=shift, by=by)
            copied += 1
    return copied


@dataclass(frozen=True)
class RosterRow:
    """One row of a roster spreadsheet (``employee``, ``date`` or ``shift`` is ``None`` when the row is bad)."""

    number: int  # the spreadsheet's row number
    employee: Employee | None
    date: dt.date | None
    shift: Shift | None


def roster_import(*, file, name: str | None = None, by: Employee | None = None) -> int:
    """``employee_no, date, shift_code`` rows (date YYYY-MM-DD), all or nothing. ``by``: the supervisor
    uploading (their team only); ``None`` from the command line."""
    rows = read_table(file, name=name, required=("employee_no", "date", "shift_code"))
    employees = {e.employee_no: e for e in Employee.objects.filter(
        employee_no__in={r.values.get("employee_no", "").strip() for r in rows})}
    shifts = {s.code.upper(): s for s in Shift.objects.filter(active=True)}
    errors: list[RowError] = []
    parsed: list[RosterRow] = []
    seen = {}
    for row in rows:
        no = row.values.get("employee_no", "").strip()
        raw_date = row.values.get("date", "").strip()
        code = row.values.get("shift_code", "").strip().upper()
        employee = employees.get(no)
        if not no:
            errors.append(RowError(row.number, _("employee number is missing")))
        elif employee is None:
            errors.append(RowError(row.number, _("unknown employee number %(no)s") % {"no": no}))
        elif by is not None and not can_manage(by.user, employee):
            errors.append(RowError(row.number, _("employee %(no)s is not in your team") % {"no": no}))
        try:
            day = dt.date.fromisoformat(raw_date[:10]) if len(raw_date) in (10, 19) else None
        except ValueError:
            day = None
        if day is None:
            errors.append(RowError(row.number, _("date “%(v)s” is not YYYY-MM-DD") % {"v": raw_date}))
        if code not in shifts:
            errors.append(RowError(row.number, _("unknown shift code “%(v)s”") % {"v": code}))
        if employee is not None and day is not None:
            key = (employee.pk, day)
            if key in seen:
                errors.append(RowError(row.number, _("%(no)s on %(d)s is already on row %(row)s")
                                       % {"no": no, "d": day, "row": seen[key]}))
            seen[key] = row.number
        parsed.append(RosterRow(number=row.number, employee=employee, date=day, shift=shifts.get(code)))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        for cell in parsed:
            entry, created = RosterEntry.objects.get_or_create(employee=cell.employee, date=cell.date,
                                                               defaults={"shift": cell.shift, "set_by": by})
            if not created and entry.shift_id != cell.shift.pk:
                entry.shift, entry.set_by = cell.shift, by
                entry.save()
            day_statuses_recompute(employee_id=cell.employee.pk, dates=[cell.date - dt.timedelta(days=1), cell.date],
                                   by=by)
    return len(parsed)


def shift_save(*, form, by: Employee) -> Shift:
    """Create or edit a shift from a valid ShiftForm (managers only)."""
    if not can(by.user, "attendance.configure_shifts"):
        raise AttendanceError(_("Only managers configure shifts."))
    with transaction.atomic():
        shift = form.save(commit=False)
        shift._history_user = by.user
        shift.save()
    return shift
