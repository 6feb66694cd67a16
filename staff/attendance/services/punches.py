"""Punches (REGULATIONS §4): the clock button, a supervisor's punch entered by hand, the time-clock import."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from csmgmt.core.tabular import ImportRejected, RowError, read_table
from staff.models import Employee, Punch

from .. import rules
from ..selectors import can_manage, local_tz
from ..workflow import AttendanceError
from .days import day_statuses_recompute


def punch_clock(*, by: Employee, direction: str, address: str | None,
                now: dt.datetime | None = None) -> tuple[Punch, bool]:
    """``by`` clocks in or out with the button: server time, the request's address. A second click within a
    minute returns the first punch (the employee row is locked, so two racing clicks make one punch)."""
    if direction not in (Punch.Direction.IN, Punch.Direction.OUT):
        raise AttendanceError(_("Choose clock in or clock out."))
    now = (now or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=by.pk).first()
        recent = Punch.objects.filter(employee=by, direction=direction,
                                      at__gt=now - dt.timedelta(minutes=1), at__lte=now).first()
        if recent is not None:
            return recent, False
        punch = Punch.objects.create(employee=by, at=now, direction=direction, source=Punch.Source.WEB,
                                     address=address or None)
        day_statuses_recompute(employee_id=by.pk, dates=rules.days_of_punch(now, local_tz()), by=by)
    return punch, True


def punch_manual(*, employee: Employee, by: Employee, at: dt.datetime, direction: str, reason: str) -> Punch:
    """A supervisor enters a punch for an employee of their team, with a reason."""
    if not can(by.user, "attendance.manual_punch") or not can_manage(by.user, employee):
        raise AttendanceError(_("You may enter punches only for your own team."))
    if not reason.strip():
        raise AttendanceError(_("Give a reason for a manual punch."))
    if at > timezone.now():
        raise AttendanceError(_("A punch cannot be in the future."))
    at = at.replace(microsecond=0)
    with transaction.atomic():
        try:
            with transaction.atomic():
                punch = Punch.objects.create(employee=employee, at=at, direction=direction or "",
                                             source=Punch.Source.MANUAL, reason=reason.strip(), recorded_by=by)
        except IntegrityError:
            raise AttendanceError(_("That employee already has a punch at that time.")) from None
        day_statuses_recompute(employee_id=employee.pk, dates=rules.days_of_punch(at, local_tz()), by=by)
    return punch


# --- the time-clock import ---------------------------------------------------------------------------------

# time clocks write the direction in several ways
DIRECTION_WORDS = {"i": "in", "o": "out", "上班": "in", "下班": "out", "签到": "in", "签退": "out", "进": "in", "出": "out"}


@dataclass(frozen=True)
class PunchRow:
    """One good row of a time-clock export."""

    number: int  # the spreadsheet's row number
    employee: Employee
    at: dt.datetime
    direction: str  # "", "in", "out"


@dataclass
class PunchImportResult:
    created: int
    duplicates: int


def _parse_timestamp(value: str) -> dt.datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(value.strip(), fmt), local_tz())
        except ValueError:
            continue
    return None


def punches_import(*, file, name: str | None = None, by: Employee | None = None) -> PunchImportResult:
    """Time-clock export (``employee_no, timestamp`` [, ``direction``]), all or nothing. A punch
    already stored (same employee and timestamp) is skipped, so importing a file twice stores it once.
    ``by``: the supervisor uploading (their team only); ``None`` from the command line."""
    rows = read_table(file, name=name, required=("employee_no", "timestamp"))
    employees = {e.employee_no: e for e in Employee.objects.filter(
        employee_no__in={r.values.get("employee_no", "").strip() for r in rows})}
    errors: list[RowError] = []
    parsed: list[PunchRow] = []
    seen = set()
    now = timezone.now()
    for row in rows:
        no = row.values.get("employee_no", "").strip()
        raw = row.values.get("timestamp", "")
        direction = row.values.get("direction", "").strip().lower()
        direction = DIRECTION_WORDS.get(direction, direction)
        employee = employees.get(no)
        at = _parse_timestamp(raw)
        if not no:
            errors.append(RowError(row.number, _("employee number is missing")))
        elif employee is None:
            errors.append(RowError(row.number, _("unknown employee number %(no)s") % {"no": no}))
        elif by is not None and not can_manage(by.user, employee):
            errors.append(RowError(row.number, _("employee %(no)s is not in your team") % {"no": no}))
        if at is None:
            errors.append(RowError(row.number, _("timestamp “%(v)s” is not YYYY-MM-DD HH:MM[:SS]") % {"v": raw}))
        elif at > now:
            errors.append(RowError(row.number, _("timestamp %(v)s is in the future") % {"v": raw}))
        if direction not in ("", "in", "out"):
            errors.append(RowError(row.number, _("direction must be in, out or empty, not “%(v)s”") % {"v": direction}))
        if employee is not None and at is not None and (employee.pk, at) not in seen:
            seen.add((employee.pk, at))
            parsed.append(PunchRow(number=row.number, employee=employee, at=at, direction=direction))
    if errors:
        raise ImportRejected(errors)
    created = 0
    touched = set()
    with transaction.atomic():
        for punch in parsed:
            _obj, was_created = Punch.objects.get_or_create(
                employee=punch.employee, at=punch.at,
                defaults={"direction": punch.direction, "source": Punch.Source.IMPORT, "recorded_by": by})
            if was_created:
                created += 1
                touched.update((punch.employee.pk, d) for d in rules.days_of_punch(punch.at, local_tz()))
        for employee_id, day in sorted(touched):
            day_statuses_recompute(employee_id=employee_id, dates=[day], by=by)
    return PunchImportResult(created=created, duplicates=len(rows) - created)
