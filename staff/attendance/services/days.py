"""Judging days (REGULATIONS §4): what every other attendance service shares. A punch, a roster cell, a leave or
a correction changes some days; the service that made the change recomputes them here."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from staff.models import Correction, DayStatus, Employee, LeaveRequest, Punch, RosterEntry

from .. import rules
from ..selectors import local_tz

Code = DayStatus.Code


def _leave_for_day(employee_id: int, day: dt.date, shift_start: dt.datetime) -> rules.LeaveIn | None:
    """The approved leave covering ``day`` as the rules see it. Leave approved after the shift started
    does not count ("leave not approved before the shift leaves the day absent"), except a phoned-in leave: the
    call before the shift counts (REGULATIONS §4, emergency). The first and the
    second half approved separately make a whole day on leave; of two halves of different types the
    day takes 调休 when either half is 调休 (it is a compensatory day, as a half day alone would be),
    otherwise the first half's type."""
    leaves = [leave for leave in LeaveRequest.objects.filter(
        employee_id=employee_id, state=LeaveRequest.State.APPROVED, start_date__lte=day, end_date__gte=day,
    ).order_by("id") if not (leave.approved_at and (leave.called_at or leave.approved_at) > shift_start)]
    full = next((leave for leave in leaves if leave.part == LeaveRequest.Part.FULL), None)
    if full is not None:
        return rules.LeaveIn(part=rules.FULL, kind=full.kind)
    halves = {leave.part: leave for leave in leaves}
    first, second = halves.get(LeaveRequest.Part.FIRST_HALF), halves.get(LeaveRequest.Part.SECOND_HALF)
    if first is not None and second is not None:
        kind = LeaveRequest.Kind.COMP if LeaveRequest.Kind.COMP in (first.kind, second.kind) else first.kind
        return rules.LeaveIn(part=rules.FULL, kind=kind)
    half = first or second
    return rules.LeaveIn(part=half.part, kind=half.kind) if half is not None else None


def day_status_recompute(*, employee_id: int, date: dt.date, by: Employee | None = None,
                         now: dt.datetime | None = None) -> DayStatus | None:
    """Judge ``date`` for the employee from roster, punches, approved leave and approved corrections,
    and store the result (saved only when something changed, so the history shows real changes, with ``by``
    as who changed it when it is not a request's user)."""
    tz = local_tz()
    now = now or timezone.now()
    near = {e.date: e.shift for e in RosterEntry.objects.filter(
        employee_id=employee_id, date__gte=date - dt.timedelta(days=1), date__lte=date + dt.timedelta(days=1),
        shift__isnull=False).select_related("shift")}
    shift = near.get(date)
    existing = DayStatus.objects.filter(employee_id=employee_id, date=date).first()
    if shift is None:
        if existing is not None and (existing.code or existing.shift_id):
            _store(existing, by=by, shift=None, code="", computed="", judgement=rules.Judgement(code=Code.NONE),
                   leave_kind="", source=DayStatus.Source.COMPUTED)
        return existing
    specs = {d: rules.ShiftSpec.of(s) for d, s in near.items()}
    judgement = rules.Judgement(code=Code.REST)
    leave_kind = ""
    if not shift.is_rest:
        lo, hi = rules.window(date, specs[date], tz)
        punches = [rules.PunchIn(p.at.astimezone(tz), p.direction)
                   for p in Punch.objects.filter(employee_id=employee_id, at__gte=lo - dt.timedelta(hours=1),
                                                 at__lte=hi + dt.timedelta(hours=1))]
        mine = rules.punches_of_day(date, specs, punches, tz)
        leave_in = _leave_for_day(employee_id, date, rules.span(date, specs[date], tz)[0])
        leave_kind = leave_in.kind if leave_in else ""
        judgement = rules.judge_day(day=date, shift=specs[date], punches=mine, tz=tz, leave=leave_in, now=now)
    code, source = judgement.code, DayStatus.Source.COMPUTED
    override = (Correction.objects.filter(employee_id=employee_id, date=date, kind=Correction.Kind.STATUS,
                                          state=Correction.State.APPROVED).order_by("-decided_at", "-id").first())
    if override is not None:
        code, source = override.requested_code, DayStatus.Source.CORRECTION
    if existing is None:
        existing = DayStatus(employee_id=employee_id, date=date)
    _store(existing, by=by, shift=shift, code=code, computed=judgement.code, judgement=judgement,
           leave_kind=leave_kind, source=source)
    return existing


LATE_CODES = (Code.LATE, Code.LATE_EARLY)
EARLY_CODES = (Code.EARLY, Code.LATE_EARLY)


def _store(status: DayStatus, *, by, shift, code, computed, judgement, leave_kind, source):
    values = {
        "shift_id": shift.pk if shift else None,
        "code": code,
        "computed_code": computed,
        "late_minutes": judgement.late_minutes if code in LATE_CODES else 0,
        "early_minutes": judgement.early_minutes if code in EARLY_CODES else 0,
        "late_over": judgement.late_over and code in LATE_CODES,
        "early_over": judgement.early_over and code in EARLY_CODES,
        "clock_in": judgement.clock_in,
        "clock_out": judgement.clock_out,
        "leave_fraction": judgement.leave_fraction,
        "leave_kind": leave_kind if judgement.leave_fraction else "",
        "source": source,
        "pending": judgement.pending,
    }
    changed = status.pk is None
    for name, value in values.items():
        if name == "leave_fraction":
            if float(status.leave_fraction or 0) != float(value or 0):
                changed = True
        elif getattr(status, name) != value:
            changed = True
        setattr(status, name, value)
    if changed:
        if by is not None:
            status._history_user = by.user
        status.save()


def day_statuses_recompute(*, employee_id: int, dates, by: Employee | None = None,
                           now: dt.datetime | None = None) -> None:
    """Recompute the days that have begun by ``now`` (default: the current time)."""
    today = timezone.localdate(now)
    for day in sorted(set(dates)):
        if day <= today:
            day_status_recompute(employee_id=employee_id, date=day, by=by, now=now)


def attendance_settle_day(*, date: dt.date, after_id: int = 0, batch: int = 500,
                          by: Employee | None = None) -> int | None:
    """Settle ``date`` for a batch of rostered employees (ids above ``after_id``): each day is judged
    with its window closed, so a day where nothing came becomes absent. Returns the last employee id
    handled (to continue from) or ``None`` when done. Safe to run twice. The nightly job's (``by=None``)."""
    ids = list(RosterEntry.objects.filter(date=date, shift__isnull=False, employee_id__gt=after_id)
               .order_by("employee_id").values_list("employee_id", flat=True)[:batch])
    for employee_id in ids:
        with transaction.atomic():
            day_status_recompute(employee_id=employee_id, date=date, by=by)
    return ids[-1] if len(ids) == batch else None
