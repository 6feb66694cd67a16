"""Every write of attendance (REGULATIONS §4, §7). Each runs in ``transaction.atomic()`` and
recomputes the day statuses it affects (``day_status_recompute``)."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.permissions import can
from csmgmt.core.tabular import ImportRejected, RowError, read_table
from csmgmt.core.uploads import PDF_TYPES, PHOTO_TYPES, UploadRejected, upload_kind
from staff.models import (Correction, DayStatus, DutyDaySignoff, DutyLogEntry, Employee, LeaveEvent, LeaveRequest,
                          Punch, RosterEntry, Shift)

from . import rules
from .selectors import can_manage, local_tz


class AttendanceError(Exception):
    """A refused attendance action; the message is shown to the user."""


# --- day status ---------------------------------------------------------------------------------


def _leave_for_day(employee_id: int, day: dt.date, shift_start: dt.datetime) -> rules.LeaveIn | None:
    """The approved leave covering ``day`` as the rules see it. Leave approved after the shift started
    does not count ("leave not approved before the shift leaves the day absent"). The first and the
    second half approved separately make a whole day on leave; of two halves of different types the
    day takes 调休 when either half is 调休 (it is a compensatory day, as a half day alone would be),
    otherwise the first half's type."""
    leaves = [leave for leave in LeaveRequest.objects.filter(
        employee_id=employee_id, state=LeaveRequest.State.APPROVED, start_date__lte=day, end_date__gte=day,
    ).order_by("id") if not (leave.approved_at and leave.approved_at > shift_start)]
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


def day_status_recompute(*, employee_id: int, date: dt.date, now: dt.datetime | None = None) -> DayStatus | None:
    """Judge ``date`` for the employee from roster, punches, approved leave and approved corrections,
    and store the result (saved only when something changed, so the history shows real changes)."""
    tz = local_tz()
    now = now or timezone.now()
    near = {e.date: e.shift for e in RosterEntry.objects.filter(
        employee_id=employee_id, date__gte=date - dt.timedelta(days=1), date__lte=date + dt.timedelta(days=1),
        shift__isnull=False).select_related("shift")}
    shift = near.get(date)
    existing = DayStatus.objects.filter(employee_id=employee_id, date=date).first()
    if shift is None:
        if existing is not None and (existing.code or existing.shift_id):
            _store(existing, shift=None, code="", computed="", judgement=rules.Judgement(code=""),
                   leave_kind="", source=DayStatus.Source.COMPUTED)
        return existing
    specs = {d: rules.ShiftSpec.of(s) for d, s in near.items()}
    judgement = rules.Judgement(code=rules.R)
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
    _store(existing, shift=shift, code=code, computed=judgement.code, judgement=judgement, leave_kind=leave_kind,
           source=source)
    return existing


def _store(status: DayStatus, *, shift, code, computed, judgement, leave_kind, source):
    values = {
        "shift_id": shift.pk if shift else None,
        "code": code,
        "computed_code": computed,
        "late_minutes": judgement.late_minutes if code in ("L", "LE") else 0,
        "early_minutes": judgement.early_minutes if code in ("E", "LE") else 0,
        "late_over": judgement.late_over and code in ("L", "LE"),
        "early_over": judgement.early_over and code in ("E", "LE"),
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
        status.save()


def day_statuses_recompute(*, employee_id: int, dates, now: dt.datetime | None = None) -> None:
    """Recompute the days that have begun by ``now`` (default: the current time)."""
    today = timezone.localdate(now)
    for day in sorted(set(dates)):
        if day <= today:
            day_status_recompute(employee_id=employee_id, date=day, now=now)


def _dates_of_punch(at: dt.datetime) -> list[dt.date]:
    """A punch can belong to its own day's shift or to the previous day's (a night shift)."""
    day = at.astimezone(local_tz()).date()
    return [day - dt.timedelta(days=1), day]


def attendance_settle_day(*, date: dt.date, after_id: int = 0, batch: int = 500) -> int | None:
    """Settle ``date`` for a batch of rostered employees (ids above ``after_id``): each day is judged
    with its window closed, so a day where nothing came becomes absent. Returns the last employee id
    handled (to continue from) or ``None`` when done. Safe to run twice."""
    ids = list(RosterEntry.objects.filter(date=date, shift__isnull=False, employee_id__gt=after_id)
               .order_by("employee_id").values_list("employee_id", flat=True)[:batch])
    for employee_id in ids:
        with transaction.atomic():
            day_status_recompute(employee_id=employee_id, date=date)
    return ids[-1] if len(ids) == batch else None


# --- punches ------------------------------------------------------------------------------------


def punch_clock(*, employee: Employee, direction: str, address: str | None,
                now: dt.datetime | None = None) -> tuple[Punch, bool]:
    """The clock button: server time, the request's address. A second click within a minute
    returns the first punch (the employee row is locked, so two racing clicks make one punch)."""
    if direction not in (Punch.Direction.IN, Punch.Direction.OUT):
        raise AttendanceError(_("Choose clock in or clock out."))
    now = (now or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        recent = Punch.objects.filter(employee=employee, direction=direction,
                                      at__gt=now - dt.timedelta(minutes=1), at__lte=now).first()
        if recent is not None:
            return recent, False
        punch = Punch.objects.create(employee=employee, at=now, direction=direction, source=Punch.Source.WEB,
                                     address=address or None)
        day_statuses_recompute(employee_id=employee.pk, dates=_dates_of_punch(now))
    return punch, True


def punch_manual(*, employee: Employee, by: Employee, at: dt.datetime, direction: str, reason: str) -> Punch:
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
        day_statuses_recompute(employee_id=employee.pk, dates=_dates_of_punch(at))
    return punch


# time clocks write the direction in several ways
DIRECTION_WORDS = {"i": "in", "o": "out", "上班": "in", "下班": "out", "签到": "in", "签退": "out", "进": "in", "出": "out"}


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
    already stored (same employee and timestamp) is skipped, so importing a file twice stores it once."""
    rows = read_table(file, name=name, required=("employee_no", "timestamp"))
    employees = {e.employee_no: e for e in Employee.objects.filter(
        employee_no__in={r.values.get("employee_no", "").strip() for r in rows})}
    errors, parsed, seen = [], [], set()
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
            parsed.append((employee, at, direction))
    if errors:
        raise ImportRejected(errors)
    created = 0
    touched = set()
    with transaction.atomic():
        for employee, at, direction in parsed:
            _obj, was_created = Punch.objects.get_or_create(
                employee=employee, at=at,
                defaults={"direction": direction, "source": Punch.Source.IMPORT, "recorded_by": by})
            if was_created:
                created += 1
                touched.update((employee.pk, d) for d in _dates_of_punch(at))
        for employee_id, day in sorted(touched):
            day_statuses_recompute(employee_id=employee_id, dates=[day])
    return PunchImportResult(created=created, duplicates=len(rows) - created)


# --- roster -------------------------------------------------------------------------------------


def roster_set(*, employee: Employee, date: dt.date, shift: Shift | None, by: Employee | None) -> RosterEntry:
    """Set one roster cell (``shift=None`` clears it; the history keeps what it was)."""
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
        day_statuses_recompute(employee_id=employee.pk, dates=[date - dt.timedelta(days=1), date])
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


def roster_import(*, file, name: str | None = None, by: Employee | None = None) -> int:
    """``employee_no, date, shift_code`` rows (date YYYY-MM-DD), all or nothing."""
    rows = read_table(file, name=name, required=("employee_no", "date", "shift_code"))
    employees = {e.employee_no: e for e in Employee.objects.filter(
        employee_no__in={r.values.get("employee_no", "").strip() for r in rows})}
    shifts = {s.code.upper(): s for s in Shift.objects.filter(active=True)}
    errors, parsed, seen = [], [], {}
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
        parsed.append((employee, day, shifts.get(code)))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        for employee, day, shift in parsed:
            entry, created = RosterEntry.objects.get_or_create(employee=employee, date=day,
                                                               defaults={"shift": shift, "set_by": by})
            if not created and entry.shift_id != shift.pk:
                entry.shift, entry.set_by = shift, by
                entry.save()
            day_statuses_recompute(employee_id=employee.pk, dates=[day - dt.timedelta(days=1), day])
    return len(parsed)


# --- shifts -------------------------------------------------------------------------------------


def shift_save(*, form, by: Employee) -> Shift:
    """Create or edit a shift from a valid ShiftForm (managers only)."""
    if not can(by.user, "attendance.configure_shifts"):
        raise AttendanceError(_("Only managers configure shifts."))
    with transaction.atomic():
        shift = form.save(commit=False)
        shift._history_user = by.user
        shift.save()
    return shift


# --- leave --------------------------------------------------------------------------------------

CERTIFICATE_MIMES = PHOTO_TYPES | PDF_TYPES


def certificate_check(upload) -> None:
    """A certificate must be an image or a PDF (by content, not by name) and at most 10 MB."""
    try:
        upload_kind(upload, allowed=CERTIFICATE_MIMES,
                    type_message=_("The certificate must be a photo (JPEG, PNG, GIF, WebP) or a PDF."),
                    too_large_message=_("The certificate is larger than 10 MB."))
    except UploadRejected as exc:
        raise AttendanceError(exc.message) from None


def _shift_start(employee: Employee, day: dt.date) -> dt.datetime | None:
    entry = RosterEntry.objects.filter(employee=employee, date=day, shift__isnull=False).select_related("shift").first()
    if entry is None or entry.shift.is_rest:
        return None
    return rules.span(day, rules.ShiftSpec.of(entry.shift), local_tz())[0]


def _leave_event(leave, by, action, from_state, comment=""):
    LeaveEvent.objects.create(leave=leave, by=by, action=action, from_state=from_state, to_state=leave.state,
                              comment=comment)


def leave_request(*, employee: Employee, kind: str, start_date: dt.date, end_date: dt.date,
                  part: str = LeaveRequest.Part.FULL, reason: str, emergency: bool = False, certificate=None,
                  now: dt.datetime | None = None) -> LeaveRequest:
    """Ask for leave (REGULATIONS §4): personal leave at least one day ahead, or (emergency) up to
    one hour before the shift; other types from today on; a certificate for sick leave of a whole
    day or more; half days on one day only; never overlapping another open or approved request."""
    now = now or timezone.now()
    today = now.astimezone(local_tz()).date()
    if kind not in LeaveRequest.Kind.values:
        raise AttendanceError(_("Choose a leave type."))
    if end_date < start_date:
        raise AttendanceError(_("The last day is before the first day."))
    if part != LeaveRequest.Part.FULL and start_date != end_date:
        raise AttendanceError(_("A half-day leave covers one day only."))
    if not reason.strip():
        raise AttendanceError(_("Give a reason."))
    if start_date < today:
        raise AttendanceError(_("Leave cannot start in the past; ask for a correction instead."))
    if kind == LeaveRequest.Kind.PERSONAL:
        if emergency:
            start = _shift_start(employee, start_date)
            if start is not None and now > start - dt.timedelta(hours=1):
                raise AttendanceError(_("An emergency personal leave must be asked at least 1 hour before the shift."))
        elif start_date <= today:
            raise AttendanceError(_("Personal leave must be asked at least 1 day ahead (or mark it an emergency)."))
    if kind == LeaveRequest.Kind.SICK and part == LeaveRequest.Part.FULL:
        if not certificate:
            raise AttendanceError(_("Sick leave of a day or more needs a certificate."))
    if certificate:
        certificate_check(certificate)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        overlapping = LeaveRequest.objects.filter(
            employee=employee, start_date__lte=end_date, end_date__gte=start_date,
            state__in=[LeaveRequest.State.PENDING_SUPERVISOR, LeaveRequest.State.PENDING_MANAGER,
                       LeaveRequest.State.APPROVED])
        if part != LeaveRequest.Part.FULL:
            # the other half of the same day does not overlap
            other = LeaveRequest.Part.SECOND_HALF if part == LeaveRequest.Part.FIRST_HALF else LeaveRequest.Part.FIRST_HALF
            overlapping = overlapping.exclude(part=other)
        if overlapping.exists():
            raise AttendanceError(_("You already have leave asked or approved on those days."))
        leave = LeaveRequest(employee=employee, kind=kind, start_date=start_date, end_date=end_date, part=part,
                             reason=reason.strip(), emergency=emergency)
        if certificate:
            leave.certificate = certificate
        leave._history_user = employee.user
        leave.save()
        _leave_event(leave, employee, "request", "")
        if employee.supervisor_id:
            supervisor = employee.supervisor
            transaction.on_commit(lambda: notification_send(
                recipient=supervisor, message=gettext_lazy("%(name)s asks for leave from %(start)s to %(end)s."),
                params={"name": employee.name, "start": start_date, "end": end_date},
                link=reverse("staff:attendance_approvals"), key=f"leave-request-{leave.pk}"))
    return leave


LONG_LEAVE_DAYS = 3


def _leave_locked(leave: LeaveRequest) -> LeaveRequest:
    return LeaveRequest.objects.select_for_update(of=("self",)).select_related(
        "employee__user", "employee__department").get(pk=leave.pk)


def leave_approve(*, leave: LeaveRequest, by: Employee, comment: str = "",
                  now: dt.datetime | None = None) -> LeaveRequest:
    """One level at a time: the supervisor (team) first; more than 3 days then needs a manager. The final
    approval (at ``now``, default the current time) turns the leave's days that have begun to "on leave"."""
    now = now or timezone.now()
    with transaction.atomic():
        leave = _leave_locked(leave)
        before = leave.state
        if leave.employee_id == by.pk:
            raise AttendanceError(_("You cannot approve your own leave."))
        if before == LeaveRequest.State.PENDING_SUPERVISOR:
            if not can(by.user, "attendance.approve_team") or not can_manage(by.user, leave.employee):
                raise AttendanceError(_("Only the employee's supervisor approves this request."))
            if leave.days > LONG_LEAVE_DAYS:
                leave.state = LeaveRequest.State.PENDING_MANAGER
            else:
                leave.state = LeaveRequest.State.APPROVED
        elif before == LeaveRequest.State.PENDING_MANAGER:
            if not can(by.user, "attendance.approve_long_leave") or not can_manage(by.user, leave.employee):
                raise AttendanceError(_("Only a manager of the employee's department approves long leave."))
            leave.state = LeaveRequest.State.APPROVED
        else:
            raise AttendanceError(_("This request is no longer waiting for approval."))
        if leave.state == LeaveRequest.State.APPROVED:
            leave.approved_at = now
        leave._history_user = by.user
        leave.save()
        _leave_event(leave, by, "approve", before, comment)
        if leave.state == LeaveRequest.State.APPROVED:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave), now=now)
        _notify_leave(leave)
    return leave


def _leave_dates(leave):
    return [leave.start_date + dt.timedelta(days=i) for i in range((leave.end_date - leave.start_date).days + 1)]


def _notify_leave(leave):
    employee = leave.employee
    state = leave.state
    messages_ = {
        LeaveRequest.State.APPROVED: gettext_lazy("Your leave from %(start)s to %(end)s is approved."),
        LeaveRequest.State.REFUSED: gettext_lazy("Your leave from %(start)s to %(end)s is refused."),
        LeaveRequest.State.PENDING_MANAGER: gettext_lazy(
            "Your leave from %(start)s to %(end)s is approved by the supervisor and waits for the manager."),
    }
    if state in messages_:
        transaction.on_commit(lambda: notification_send(
            recipient=employee, message=messages_[state], params={"start": leave.start_date, "end": leave.end_date},
            link=reverse("staff:attendance_leave"), key=f"leave-{leave.pk}-{state}"))
    head = employee.department.head if employee.department.head_id else None
    if state == LeaveRequest.State.PENDING_MANAGER and head is not None and head.pk != employee.pk:
        transaction.on_commit(lambda: notification_send(
            recipient=head, message=gettext_lazy("%(name)s asks for leave from %(start)s to %(end)s."),
            params={"name": employee.name, "start": leave.start_date, "end": leave.end_date},
            link=reverse("staff:attendance_approvals"), key=f"leave-request-{leave.pk}-manager"))


def leave_refuse(*, leave: LeaveRequest, by: Employee, comment: str) -> LeaveRequest:
    if not comment.strip():
        raise AttendanceError(_("Give a reason for the refusal."))
    with transaction.atomic():
        leave = _leave_locked(leave)
        before = leave.state
        if leave.employee_id == by.pk:
            raise AttendanceError(_("You cannot decide on your own leave."))
        ability = {LeaveRequest.State.PENDING_SUPERVISOR: "attendance.approve_team",
                   LeaveRequest.State.PENDING_MANAGER: "attendance.approve_long_leave"}.get(before)
        if ability is None:
            raise AttendanceError(_("This request is no longer waiting for approval."))
        if not can(by.user, ability) or not can_manage(by.user, leave.employee):
            raise AttendanceError(_("Only the employee's supervisor or manager decides on this request."))
        leave.state = LeaveRequest.State.REFUSED
        leave._history_user = by.user
        leave.save()
        _leave_event(leave, by, "refuse", before, comment.strip())
        _notify_leave(leave)
    return leave


def leave_cancel(*, leave: LeaveRequest, by: Employee, reason: str = "",
                 now: dt.datetime | None = None) -> LeaveRequest:
    """The employee withdraws their own request before it starts (before the first day's shift)."""
    now = now or timezone.now()
    with transaction.atomic():
        leave = _leave_locked(leave)
        before = leave.state
        if leave.employee_id != by.pk:
            raise AttendanceError(_("Only the employee cancels their own leave."))
        if before not in (LeaveRequest.State.PENDING_SUPERVISOR, LeaveRequest.State.PENDING_MANAGER,
                          LeaveRequest.State.APPROVED):
            raise AttendanceError(_("This request cannot be cancelled any more."))
        start = _shift_start(leave.employee, leave.start_date) or dt.datetime.combine(
            leave.start_date, dt.time.min, tzinfo=local_tz())
        if now >= start:
            raise AttendanceError(_("Leave can be cancelled only before it starts."))
        leave.state = LeaveRequest.State.CANCELLED
        leave._history_user = by.user
        leave.save()
        _leave_event(leave, by, "cancel", before, reason.strip())
        if before == LeaveRequest.State.APPROVED:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave))
    return leave


# --- corrections (补卡) ---------------------------------------------------------------------------


def correction_request(*, employee: Employee, date: dt.date, kind: str, reason: str,
                       punch_at: dt.datetime | None = None, direction: str = "",
                       requested_code: str = "") -> Correction:
    if not reason.strip():
        raise AttendanceError(_("Give a reason."))
    if date > timezone.localdate():
        raise AttendanceError(_("A correction is for a day that has begun."))
    if kind == Correction.Kind.PUNCH:
        if punch_at is None:
            raise AttendanceError(_("Give the time of the missed punch."))
        if punch_at > timezone.now():
            raise AttendanceError(_("A punch cannot be in the future."))
        if punch_at.astimezone(local_tz()).date() not in (date, date + dt.timedelta(days=1)):
            raise AttendanceError(_("The punch time must be on that day (or the next morning for a night shift)."))
        if direction not in ("in", "out"):
            raise AttendanceError(_("Say whether the missed punch was in or out."))
    elif kind == Correction.Kind.STATUS:
        if requested_code not in [c for c in DayStatus.Code.values if c]:
            raise AttendanceError(_("Choose the correct status."))
    else:
        raise AttendanceError(_("Choose what to fix."))
    with transaction.atomic():
        correction = Correction(employee=employee, date=date, kind=kind, reason=reason.strip(),
                                punch_at=punch_at.replace(microsecond=0) if punch_at else None,
                                direction=direction if kind == Correction.Kind.PUNCH else "",
                                requested_code=requested_code if kind == Correction.Kind.STATUS else "")
        correction._history_user = employee.user
        correction.save()
        if employee.supervisor_id:
            supervisor = employee.supervisor
            transaction.on_commit(lambda: notification_send(
                recipient=supervisor, message=gettext_lazy("%(name)s asks to correct their attendance on %(date)s."),
                params={"name": employee.name, "date": date}, link=reverse("staff:attendance_approvals"),
                key=f"correction-request-{correction.pk}"))
    return correction


def correction_decide(*, correction: Correction, by: Employee, approve: bool, comment: str = "") -> Correction:
    """The supervisor approves (a missed punch becomes a punch; a status is overridden, the
    computed one kept beside it) or refuses (with a reason)."""
    with transaction.atomic():
        correction = Correction.objects.select_for_update(of=("self",)).select_related("employee__user").get(pk=correction.pk)
        if correction.employee_id == by.pk:
            raise AttendanceError(_("You cannot decide on your own correction."))
        if not can(by.user, "attendance.approve_team") or not can_manage(by.user, correction.employee):
            raise AttendanceError(_("Only the employee's supervisor decides on this correction."))
        if correction.state != Correction.State.PENDING:
            raise AttendanceError(_("This correction is already decided."))
        if not approve and not comment.strip():
            raise AttendanceError(_("Give a reason for the refusal."))
        correction.state = Correction.State.APPROVED if approve else Correction.State.REFUSED
        correction.decided_by, correction.decided_at = by, timezone.now()
        correction.decision_comment = comment.strip()
        correction._history_user = by.user
        correction.save()
        if approve:
            if correction.kind == Correction.Kind.PUNCH:
                Punch.objects.get_or_create(
                    employee=correction.employee, at=correction.punch_at,
                    defaults={"direction": correction.direction, "source": Punch.Source.CORRECTION,
                              "reason": correction.reason[:300], "recorded_by": by})
            day_statuses_recompute(employee_id=correction.employee_id,
                                   dates=[correction.date - dt.timedelta(days=1), correction.date])
        state = correction.state
        employee = correction.employee
        transaction.on_commit(lambda: notification_send(
            recipient=employee,
            message=gettext_lazy("Your attendance correction for %(date)s is approved.") if approve
            else gettext_lazy("Your attendance correction for %(date)s is refused."),
            params={"date": correction.date}, link=reverse("staff:attendance_my"),
            key=f"correction-{correction.pk}-{state}"))
    return correction


# --- duty and handover log (§7) -------------------------------------------------------------------

DUTY_FIELDS = ("duty_manager", "events", "unfinished_work", "complaints_in_progress", "handed_over",
               "instructions")


def duty_entry_create(*, by: Employee, date: dt.date, shift: Shift, data: dict,
                      addendum_to: DutyLogEntry | None = None) -> DutyLogEntry:
    if not can(by.user, "attendance.duty_log"):
        raise AttendanceError(_("You may not write the duty log."))
    if addendum_to is not None:
        date, shift = addendum_to.date, addendum_to.shift
    elif DutyLogEntry.objects.filter(date=date, shift=shift, addendum_to__isnull=True).exists():
        raise AttendanceError(_("There is already an entry for that shift; add an addendum to it instead."))
    try:
        with transaction.atomic():
            entry = DutyLogEntry(date=date, shift=shift, outgoing=by, addendum_to=addendum_to,
                                 **{k: data.get(k, "") for k in DUTY_FIELDS})
            entry._history_user = by.user
            entry.save()
    except IntegrityError:
        raise AttendanceError(_("There is already an entry for that shift; add an addendum to it instead.")) from None
    return entry


def duty_entry_update(*, entry: DutyLogEntry, by: Employee, data: dict) -> DutyLogEntry:
    with transaction.atomic():
        entry = DutyLogEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.outgoing_id != by.pk:
            raise AttendanceError(_("Only the outgoing employee edits the entry."))
        if entry.outgoing_signed_at is not None:
            raise AttendanceError(_("A signed entry cannot be changed; add an addendum instead."))
        for k in DUTY_FIELDS:
            setattr(entry, k, data.get(k, ""))
        entry._history_user = by.user
        entry.save()
    return entry


def duty_entry_sign(*, entry: DutyLogEntry, by: Employee, problems_found: str = "") -> DutyLogEntry:
    """The outgoing employee signs first; then another employee signs as the incoming one, noting
    the problems found during the handover. After that the entry is frozen."""
    with transaction.atomic():
        entry = DutyLogEntry.objects.select_for_update().get(pk=entry.pk)
        now = timezone.now()
        if entry.outgoing_signed_at is None:
            if entry.outgoing_id != by.pk:
                raise AttendanceError(_("The outgoing employee signs first."))
            entry.outgoing_signed_at = now
        elif entry.incoming_signed_at is None:
            if entry.outgoing_id == by.pk:
                raise AttendanceError(_("The incoming employee must be someone else."))
            if not can(by.user, "attendance.duty_log"):
                raise AttendanceError(_("You may not write the duty log."))
            entry.incoming, entry.incoming_signed_at = by, now
            entry.problems_found = problems_found.strip()
        else:
            raise AttendanceError(_("This entry is already signed by both."))
        entry._history_user = by.user
        entry.save()
    return entry


def duty_day_sign(*, date: dt.date, by: Employee, comment: str = "") -> DutyDaySignoff:
    if not can(by.user, "attendance.approve_team"):
        raise AttendanceError(_("Only a supervisor signs the day's log."))
    with transaction.atomic():
        entries = DutyLogEntry.objects.filter(date=date)
        if not entries.exists():
            raise AttendanceError(_("There is no entry on that day."))
        if entries.filter(incoming_signed_at__isnull=True).exists():
            raise AttendanceError(_("Every entry of the day must be signed by both employees first."))
        try:
            with transaction.atomic():
                return DutyDaySignoff.objects.create(date=date, supervisor=by, comment=comment.strip())
        except IntegrityError:
            raise AttendanceError(_("The day is already signed.")) from None


# --- background-import entries (csmgmt.imports) -----------------------------------------------------------


def punches_import_run(file, name, by, options) -> str:
    result = punches_import(file=file, name=name, by=by)
    return _("Imported %(c)s punches; %(d)s were already stored.") % {"c": result.created, "d": result.duplicates}


def roster_import_run(file, name, by, options) -> str:
    return _("Imported %(n)s roster cells.") % {"n": roster_import(file=file, name=name, by=by)}
