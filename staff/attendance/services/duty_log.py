"""The duty and handover log (交接班, REGULATIONS §7): the outgoing employee writes the entry and signs it, another
employee signs as incoming (noting the problems found at handover) — the moves of the duty-log workflow
(``staff.attendance.workflow.DUTY_LOG``); after that nothing is edited. The supervisor signs the day (a record of
its own, not a workflow)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.permissions import can
from csmgmt.core.workflow import record_created
from staff.models import DutyDaySignoff, DutyLogEntry, Employee, Shift

from ..duty_open import open_items_now, unsigned_handovers
from ..workflow import DUTY_LOG, AttendanceError, attendance_transition

DUTY_FIELDS = ("duty_manager", "events", "unfinished_work", "complaints_in_progress", "handed_over",
               "instructions")


def duty_entry_create(*, by: Employee, date: dt.date, shift: Shift, data: dict,
                      addendum_to: DutyLogEntry | None = None, now: dt.datetime | None = None) -> DutyLogEntry:
    """``by`` writes the entry of a shift as its outgoing employee (or an addendum to a signed entry), at ``now``
    (default: the current time)."""
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
            record_created(DUTY_LOG, entry, by=by, at=now)
    except IntegrityError:
        raise AttendanceError(_("There is already an entry for that shift; add an addendum to it instead.")) from None
    return entry


def duty_entry_transition(*, entry: DutyLogEntry, action: str, by: Employee, data: dict | None = None,
                          problems_found: str = "", now: dt.datetime | None = None) -> DutyLogEntry:
    """Make ``action`` on ``entry`` as ``by`` through the workflow engine: "edit" (the outgoing employee, with the
    entry's new ``data``, until they sign), "sign_outgoing" (the outgoing employee), "sign_incoming" (someone
    else, noting the ``problems_found`` at handover)."""
    def apply(rec, ctx):
        if action == "edit":
            for k in DUTY_FIELDS:
                setattr(rec, k, (data or {}).get(k, ""))
        elif action == "sign_outgoing":
            rec.outgoing_signed_at = ctx.now
            # §7: the entry starts from what is open — listed now, frozen with the entry
            rec.open_items, rec.open_items_at = open_items_now(), ctx.now
        elif action == "sign_incoming":
            rec.incoming, rec.incoming_signed_at = by, ctx.now
            rec.problems_found = problems_found.strip()

    return attendance_transition(DUTY_LOG, entry, action, by=by, apply=apply, now=now)


def duty_entry_update(*, entry: DutyLogEntry, by: Employee, data: dict) -> DutyLogEntry:
    """The outgoing employee edits their entry until they sign it."""
    return duty_entry_transition(entry=entry, action="edit", by=by, data=data)


def duty_entry_sign(*, entry: DutyLogEntry, by: Employee, problems_found: str = "",
                    now: dt.datetime | None = None) -> DutyLogEntry:
    """The outgoing employee signs first; then another employee signs as the incoming one, noting
    the problems found during the handover. After that the entry is frozen."""
    action = "sign_outgoing" if entry.state == DutyLogEntry.State.DRAFT else "sign_incoming"
    return duty_entry_transition(entry=entry, action=action, by=by, problems_found=problems_found, now=now)


def duty_day_sign(*, date: dt.date, by: Employee, comment: str = "") -> DutyDaySignoff:
    """The supervisor signs the day's log once every entry of the day is signed by both."""
    if not can(by.user, "attendance.approve_team"):
        raise AttendanceError(_("Only a supervisor signs the day's log."))
    with transaction.atomic():
        entries = DutyLogEntry.objects.filter(date=date)
        if not entries.exists():
            raise AttendanceError(_("There is no entry on that day."))
        if entries.exclude(state=DutyLogEntry.State.SIGNED_BY_BOTH).exists():
            raise AttendanceError(_("Every entry of the day must be signed by both employees first."))
        try:
            with transaction.atomic():
                return DutyDaySignoff.objects.create(date=date, supervisor=by, comment=comment.strip())
        except IntegrityError:
            raise AttendanceError(_("The day is already signed.")) from None


def duty_unsigned_handovers_flag(*, now: dt.datetime | None = None) -> int:
    """REGULATIONS §7: a rostered shift whose handover is not signed (by both) by the end of the next shift is
    flagged to the supervisor — each supervisor of the shift's rostered employees, once per shift (the notice's
    key). Returns how many notices were sent now."""
    now = now or timezone.now()
    sent = 0
    for handover in unsigned_handovers(now=now):
        for supervisor in handover.supervisors:
            notice = notification_send(
                recipient=supervisor,
                message=gettext_lazy("The handover of %(date)s shift %(shift)s is not signed, and the next shift "
                                     "ended at %(deadline)s."),
                params={"date": handover.date.isoformat(), "shift": handover.shift.code,
                        "deadline": timezone.localtime(handover.deadline).strftime("%Y-%m-%d %H:%M")},
                link=reverse("staff:attendance_duty"),
                key=f"duty-unsigned-{handover.date.isoformat()}-{handover.shift.code}",
            )
            sent += notice is not None
    return sent
