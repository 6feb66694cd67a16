"""Leave (请假, REGULATIONS §4): the employee asks; the moves — approve, refuse, cancel — go through the leave
workflow (``staff.attendance.workflow.LEAVE``): one level at a time, the supervisor, then a manager for long
leave; the employee cancels their own request before it starts."""

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
from ..selectors import local_tz, shift_start
from ..workflow import LEAVE, AttendanceError, attendance_transition, is_long
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
    if kind == LeaveRequest.Kind.SICK and part == LeaveRequest.Part.FULL:
        if not certificate:
            raise AttendanceError(_("Sick leave of a day or more needs a certificate."))
    if certificate:
        certificate_check(certificate)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        overlapping = LeaveRequest.objects.filter(
            employee=employee, start_date__lte=end_date, end_date__gte=start_date,
            state__in=[State.PENDING_SUPERVISOR, State.PENDING_MANAGER, State.APPROVED])
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

    def apply(rec, ctx):
        was_approved.append(rec.state == State.APPROVED)
        if LEAVE.table[rec.state][action].to == State.APPROVED:
            rec.approved_at = ctx.now

    with transaction.atomic():
        leave = attendance_transition(LEAVE, leave, action, by=by, comment=comment, apply=apply,
                                      effects=_notify, now=now)
        if leave.state == State.APPROVED:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave), by=by, now=now)
        elif leave.state == State.CANCELLED and was_approved[0]:
            day_statuses_recompute(employee_id=leave.employee_id, dates=_leave_dates(leave), by=by)
    return leave


def leave_approve(*, leave: LeaveRequest, by: Employee, comment: str = "",
                  now: dt.datetime | None = None) -> LeaveRequest:
    """One level at a time: the supervisor (team) first; more than 3 days then needs a manager. The final
    approval (at ``now``, default the current time) turns the leave's days that have begun to "on leave"."""
    if leave.state == State.PENDING_MANAGER:
        action = "approve_final"
    else:
        action = "approve_first" if is_long(leave) else "approve"
    return leave_transition(leave=leave, action=action, by=by, comment=comment, now=now)


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
