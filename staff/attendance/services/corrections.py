"""Attendance corrections (补卡, REGULATIONS §4): the employee asks to add a missed punch or to set a day's right
status; the supervisor approves or refuses through the correction workflow
(``staff.attendance.workflow.CORRECTION``). The original stays in the history."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.workflow import record_created
from staff.models import Correction, DayStatus, Employee, Punch

from ..selectors import local_tz
from ..workflow import CORRECTION, AttendanceError, attendance_transition
from .days import day_statuses_recompute


def correction_request(*, by: Employee, date: dt.date, kind: str, reason: str,
                       punch_at: dt.datetime | None = None, direction: str = "",
                       requested_code: str = "") -> Correction:
    """``by`` asks to fix their attendance on ``date``: a missed punch (its time and direction) or the status."""
    employee = by
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
        record_created(CORRECTION, correction, by=by, action="request")
        if employee.supervisor_id:
            supervisor = employee.supervisor
            transaction.on_commit(lambda: notification_send(
                recipient=supervisor, message=gettext_lazy("%(name)s asks to correct their attendance on %(date)s."),
                params={"name": employee.name, "date": date}, link=reverse("staff:attendance_approvals"),
                key=f"correction-request-{correction.pk}"))
    return correction


def correction_transition(*, correction: Correction, action: str, by: Employee, comment: str = "") -> Correction:
    """The supervisor approves (a missed punch becomes a punch; a status is overridden, the computed one kept
    beside it) or refuses (with a reason): ``action`` is "approve" or "refuse"."""
    comment = comment.strip()
    if action == "refuse" and not comment:
        raise AttendanceError(_("Give a reason for the refusal."))

    def apply(rec, ctx):
        rec.decided_by, rec.decided_at, rec.decision_comment = by, ctx.now, comment

    with transaction.atomic():
        correction = attendance_transition(CORRECTION, correction, action, by=by, comment=comment, apply=apply,
                                           effects=_notify)
        if correction.state == Correction.State.APPROVED:
            if correction.kind == Correction.Kind.PUNCH:
                Punch.objects.get_or_create(
                    employee=correction.employee, at=correction.punch_at,
                    defaults={"direction": correction.direction, "source": Punch.Source.CORRECTION,
                              "reason": correction.reason[:300], "recorded_by": by})
            day_statuses_recompute(employee_id=correction.employee_id,
                                   dates=[correction.date - dt.timedelta(days=1), correction.date], by=by)
    return correction


def correction_decide(*, correction: Correction, by: Employee, approve: bool, comment: str = "") -> Correction:
    return correction_transition(correction=correction, action="approve" if approve else "refuse", by=by,
                                 comment=comment)


def _notify(correction, action, event):
    """After commit: the employee hears of the decision (once: the notice is keyed)."""
    approved = correction.state == Correction.State.APPROVED
    notification_send(
        recipient=correction.employee,
        message=gettext_lazy("Your attendance correction for %(date)s is approved.") if approved
        else gettext_lazy("Your attendance correction for %(date)s is refused."),
        params={"date": correction.date}, link=reverse("staff:attendance_my"),
        key=f"correction-{correction.pk}-{correction.state}")
