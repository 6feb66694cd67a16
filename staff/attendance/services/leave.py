"""Leave (请假, REGULATIONS §4): the employee asks, or the supervisor records a phoned-in leave at once; the moves —
approve, refuse, cancel, the certificate that follows — go through the leave workflow
(``staff.attendance.workflow.LEAVE``): one level at a time, two people — the supervisor (or deputy), then a manager
who did not give the first level for long leave; the employee cancels their own request before it starts."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.uploads import image_display_copy
from csmgmt.core.workflow import record_created
from staff.models import Employee, LeaveRequest

from ..certificates import certificate_check
from ..selectors import certificates_late, is_deputy_for, local_tz, shift_start
from ..workflow import LEAVE, AttendanceError, attendance_transition, gives_both_levels, is_long
from .days import day_statuses_recompute

State = LeaveRequest.State


def leave_request(*, by: Employee, kind: str, start_date: dt.date, end_date: dt.date,
                  part: str = LeaveRequest.Part.FULL, reason: str, emergency: bool = False, certificate=None,
                  now: dt.datetime | None = None) -> LeaveRequest:
    """``by`` asks for leave (REGULATIONS §4): personal leave at least one day ahead, or (emergency) up to
    one hour before the shift; other types from today on; a certificate for sick leave of a whole
    day or more; half days on one day only; never overlapping another open or approved request."""
    employee = by
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
            start = shift_start(employee, start_date)
            if start is not None and now > start - dt.timedelta(hours=1):
                raise AttendanceError(_("An emergency personal leave must be asked at least 1 hour before the shift."))
        elif start_date <= today:
            raise AttendanceError(_("Personal leave must be asked at least 1 day ahead (or mark it an emergency)."))
    # a full-day sick leave's certificate may follow (REGULATIONS §4): until it is in, the leave shows
    # "certificate due"
    if certificate:
        certificate_check(certificate)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        if _overlapping(employee, start_date, end_date, part):
            raise AttendanceError(_("You already have leave asked or approved on those days."))
        leave = LeaveRequest(employee=employee, kind=kind, start_date=start_date, end_date=end_date, part=part,
                             reason=reason.strip(), emergency=emergency)
        if certificate:
            leave.certificate = certificate
            leave.certificate_display = image_display_copy(certificate)
        leave._history_user = employee.user
        leave.save()
        record_created(LEAVE, leave, by=by, action="request", at=now)
        if employee.supervisor_id:
            supervisor = employee.supervisor
            transaction.on_commit(lambda: notification_send(
                recipient=supervisor, message=gettext_lazy("%(name)s asks for leave from %(start)s to %(end)s."),
                params={"name": employee.name, "start": start_date, "end": end_date},
                link=reverse("staff:attendance_approvals"), key=f"leave-request-{leave.pk}"))
    return leave


def _overlapping(employee, start_date, end_date, part) -> bool:
    overlapping = LeaveRequest.objects.filter(
        employee=employee, start_date__lte=end_date, end_date__gte=start_date,
        state__in=[State.PENDING_SUPERVISOR, State.PENDING_MANAGER, State.APPROVED])
    if part != LeaveRequest.Part.FULL:
        # the other half of the same day does not overlap
        other = LeaveRequest.Part.SECOND_HALF if part == LeaveRequest.Part.FIRST_HALF else LeaveRequest.Part.FIRST_HALF
        overlapping = overlapping.exclude(part=other)
    return overlapping.exists()


def leave_phone_in(*, by: Employee, employee: Employee, kind: str, start_date: dt.date, end_date: dt.date,
                   part: str = LeaveRequest.Part.FULL, reason: str, called_at: dt.datetime, certificate=None,
                   now: dt.datetime | None = None) -> LeaveRequest:
    """A same-day sick call (REGULATIONS §4, 001 篇十八): the employee (or someone for them) phoned ``by`` — their
    supervisor, or the deputy — before the shift; ``by`` records the leave at once with the time of the call. Sick,
    or personal in an emergency. It counts as the first level given: short leave is approved, long leave waits for
    a manager who did not record it; it covers the day although recorded after the shift started. A full-day sick
    leave's certificate may follow (until the end of the first rostered working day after the leave)."""
    now = now or timezone.now()
    reason = reason.strip()
    if kind not in (LeaveRequest.Kind.SICK, LeaveRequest.Kind.PERSONAL):
        raise AttendanceError(_("A phoned-in leave is sick leave, or personal leave in an emergency."))
    if end_date < start_date:
        raise AttendanceError(_("The last day is before the first day."))
    if part != LeaveRequest.Part.FULL and start_date != end_date:
        raise AttendanceError(_("A half-day leave covers one day only."))
    if not reason:
        raise AttendanceError(_("Give a reason."))
    if called_at > now:
        raise AttendanceError(_("The call cannot be later than now."))
    called_day = called_at.astimezone(local_tz()).date()
    if not called_day <= start_date <= called_day + dt.timedelta(days=1) \
            or now.astimezone(local_tz()).date() > start_date:
        raise AttendanceError(_("A phoned-in leave starts on the day of the call (or the next day) and is recorded "
                                "at once; for an earlier day ask for a correction."))
    start = shift_start(employee, start_date)
    if start is not None and called_at >= start:
        raise AttendanceError(_("The call came after the shift started: that is not a same-day sick call."))
    if certificate:
        certificate_check(certificate)
    leave = LeaveRequest(employee=employee, kind=kind, start_date=start_date, end_date=end_date, part=part,
                         reason=reason, emergency=kind == LeaveRequest.Kind.PERSONAL, called_at=called_at)
    if certificate:
        leave.certificate = certificate
    action = "phone_in" if not is_long(leave) or gives_both_levels(leave, by) else "phone_in_long"
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        if _overlapping(employee, start_date, end_date, part):
            raise AttendanceError(_("%(name)s already has leave asked or approved on those days.")
                                  % {"name": employee.name})

        def apply(rec, ctx):
            if rec.state == State.APPROVED:
                rec.approved_at = ctx.now

        leave = attendance_transition(LEAVE, leave, action, by=by, creating=True, at=now, apply=apply,
                                      comment=reason, data={"called_at": called_at})
        if leave.state == State.APPROVED:
            day_statuses_recompute(employee_id=employee.pk, dates=_leave_dates(leave), by=by, now=now)
        transaction.on_commit(lambda: _notify(leave, action, None))
    return leave


def _leave_dates(leave) -> list[dt.date]:
    return [leave.start_date + dt.timedelta(days=i) for i in range((leave.end_date - leave.start_date).days + 1)]


def leave_transition(*, leave: LeaveRequest, action: str, by: Employee, comment: str = "",
                     now: dt.datetime | None = None) -> LeaveRequest:
    """Make ``action`` (approve, approve_first, approve_final, refuse, cancel) on ``leave`` as ``by`` through
    the workflow engine, at ``now`` (default: the current time). The final approval turns the leave's days that
    have begun to "on leave"; cancelling an approved leave judges them again. A refusal needs a reason."""
    comment = comment.strip()
    if action == "refuse" and not comment:
        raise AttendanceError(_("Give a reason for the refusal."))
    was_approved = []
    data = _as_deputy(leave, by) if action in FIRST_LEVEL_MOVES else {}

    def apply(rec, ctx):
        was_approved.append(rec.state == State.APPROVED)
        if LEAVE.table[rec.state][action].to == State.APPROVED and rec.state != State.APPROVED:
            rec.approved_at = ctx.now

    with transaction.atomic():
        leave = attendance_transition(LEAVE, leave, action, by=by, comment=comment, apply=apply,
                                      effects=_notify, now=now, data=data)
        if leave.state == State.APPROVED and not was_approved[0]:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave), by=by, now=now)
        elif leave.state in (State.CANCELLED, State.ABSENT) and was_approved[0]:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave), by=by)
    return leave


FIRST_LEVEL_MOVES = frozenset({"approve", "approve_first", "refuse"})


def _as_deputy(leave: LeaveRequest, by: Employee | None) -> dict:
    """REGULATIONS §4: the first level is the employee's own supervisor, "or a deputy the manager named for a
    period, recorded as such": a deputy's decision says, in its event, for which supervisor it was given."""
    supervisor_id = leave.employee.supervisor_id
    if (by is None or supervisor_id is None or by.pk == supervisor_id
            or leave.state != LeaveRequest.State.PENDING_SUPERVISOR or not is_deputy_for(by, supervisor_id)):
        return {}
    return {"as_deputy_for": supervisor_id}


def leave_approve(*, leave: LeaveRequest, by: Employee, comment: str = "",
                  now: dt.datetime | None = None) -> LeaveRequest:
    """One level at a time: the supervisor (or deputy) first; more than the long-leave threshold (3 days) then
    needs a manager who did not give the first level — unless the first level is a manager's, which is both. The
    final approval (at ``now``, default the current time) turns the leave's days that have begun to "on leave"."""
    if leave.state == State.PENDING_MANAGER:
        action = "approve_final"
    else:
        action = "approve_first" if is_long(leave) and not gives_both_levels(leave, by) else "approve"
    return leave_transition(leave=leave, action=action, by=by, comment=comment, now=now)


def leave_certificate_add(*, leave: LeaveRequest, by: Employee, certificate,
                          now: dt.datetime | None = None) -> LeaveRequest:
    """The certificate of a full-day sick leave follows: the employee or their supervisor adds it, until the end of
    the employee's first rostered working day after the leave."""
    if not certificate:
        raise AttendanceError(_("Choose the certificate file."))
    certificate_check(certificate)

    def apply(rec, ctx):
        rec.certificate = certificate

    return attendance_transition(LEAVE, leave, "add_certificate", by=by, apply=apply, now=now)


def leave_certificate_late_decide(*, leave: LeaveRequest, by: Employee, keep: bool, reason: str,
                                  now: dt.datetime | None = None) -> LeaveRequest:
    """The certificate is late: the supervisor keeps the leave, or records its days as absent (旷工), with a reason
    in the trail."""
    reason = reason.strip()
    if not reason:
        raise AttendanceError(_("Give a reason."))

    def apply(rec, ctx):
        if keep:
            rec.certificate_kept_at = ctx.now

    with transaction.atomic():
        leave = attendance_transition(LEAVE, leave, "keep_leave" if keep else "make_absent", by=by, comment=reason,
                                      apply=apply, now=now, effects=_notify)
        if leave.state == State.ABSENT:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave), by=by, now=now)
    return leave


NOTICE_CERTIFICATE_LATE = gettext_lazy(
    "The certificate for %(name)s's sick leave from %(start)s to %(end)s is late: keep the leave or record the "
    "days as absent.")


def leave_certificates_flag(*, now: dt.datetime | None = None) -> int:
    """The daily job: tell the first level of each sick leave whose certificate is late (once each, keyed):
    the employee's supervisor, or the department's head when there is none. Returns notices sent."""
    now = now or timezone.now()
    sent = 0
    for leave in certificates_late(now):
        employee = leave.employee
        recipient = employee.supervisor if employee.supervisor_id and employee.supervisor.active else \
            employee.department.head
        if recipient is None:
            continue
        if notification_send(recipient=recipient, message=NOTICE_CERTIFICATE_LATE,
                             params={"name": employee.name, "start": leave.start_date, "end": leave.end_date},
                             link=reverse("staff:attendance_leave_detail", args=[leave.pk]),
                             key=f"leave-certificate-late-{leave.pk}"):
            sent += 1
    return sent


def leave_refuse(*, leave: LeaveRequest, by: Employee, comment: str, now: dt.datetime | None = None) -> LeaveRequest:
    return leave_transition(leave=leave, action="refuse", by=by, comment=comment, now=now)


def leave_cancel(*, leave: LeaveRequest, by: Employee, reason: str = "",
                 now: dt.datetime | None = None) -> LeaveRequest:
    """The employee withdraws their own request before it starts (before the first day's shift)."""
    return leave_transition(leave=leave, action="cancel", by=by, comment=reason, now=now)


def _notify(leave, action, event):
    """After commit: the employee hears of the decision; a long leave waiting for the manager reaches the
    department's head (once each: the notices are keyed)."""
    employee = leave.employee
    state = leave.state
    messages_ = {
        State.APPROVED: gettext_lazy("Your leave from %(start)s to %(end)s is approved."),
        State.ABSENT: gettext_lazy("Your sick leave from %(start)s to %(end)s had no certificate in time: the days "
                                   "are recorded as absent."),
        State.REFUSED: gettext_lazy("Your leave from %(start)s to %(end)s is refused."),
        State.PENDING_MANAGER: gettext_lazy(
            "Your leave from %(start)s to %(end)s is approved by the supervisor and waits for the manager."),
    }
    if state in messages_:
        notification_send(recipient=employee, message=messages_[state],
                          params={"start": leave.start_date, "end": leave.end_date},
                          link=reverse("staff:attendance_leave"), key=f"leave-{leave.pk}-{state}")
    head = employee.department.head if employee.department.head_id else None
    if state == State.PENDING_MANAGER and head is not None and head.pk != employee.pk:
        notification_send(recipient=head, message=gettext_lazy("%(name)s asks for leave from %(start)s to %(end)s."),
                          params={"name": employee.name, "start": leave.start_date, "end": leave.end_date},
                          link=reverse("staff:attendance_approvals"), key=f"leave-request-{leave.pk}-manager")
