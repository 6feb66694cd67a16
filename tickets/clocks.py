"""The clocks of a call on working calendars (REGULATIONS §2, §9): the promised reply and the repair call-back.

Each clock starts on the intake settings' rule of the moment (a length and a unit: calendar time, or the working
time of whoever must act) and keeps it: the rule and the due time are stored on the call, the sweeps read the
stored due time, and a later change of the settings leaves running clocks as they are.

Whose working time (§9): both are clocks customer service must meet ("promised replies, call-backs"), so both
count the customer-service department's hours, whatever department a repair went to (its owner in customer
service is reminded at the call-back mark, §2).
"""

import datetime as dt

from django.utils.translation import gettext as _

from csmgmt.core.calendar import Unit, due_time
from staff.calendars.selectors import customer_service_calendar, customer_service_department, work_calendar

from .models import Call, IntakeSettings

CALENDAR = Unit.CALENDAR.value
WORKING = Unit.WORKING_HOURS.value


def clock_due(*, start: dt.datetime, minutes: int, unit: str, calendar_department=None) -> dt.datetime:
    """``start`` + ``minutes`` of calendar time, or of working time of ``calendar_department`` (customer service's
    when None), on the pure ``csmgmt.core.calendar.due_time``."""
    if unit != WORKING:
        return start + dt.timedelta(minutes=minutes)
    calendar = (work_calendar(calendar_department) if calendar_department is not None
                else customer_service_calendar())
    return due_time(start=start, length=minutes / 60, unit=Unit.WORKING_HOURS, calendar=calendar,
                    explain=False).at


def reply_rule(*, channel: str, settings: IntakeSettings):
    """(minutes, unit, calendar department) of a promised reply: 24 h for email, 2 h otherwise (§2); working time
    is customer service's."""
    if channel == Call.Channel.EMAIL:
        minutes, unit = settings.email_reply_hours * 60, settings.email_reply_unit
    else:
        minutes, unit = settings.phone_reply_hours * 60, settings.phone_reply_unit
    return minutes, unit, customer_service_department() if unit == WORKING else None


def callback_rule(*, settings: IntakeSettings):
    """(minutes, unit, calendar department) of a repair call-back. On working time it counts customer service's
    hours, whatever department the repair went to: REGULATIONS §9 lists call-backs among the clocks customer service
    must meet (its owner is reminded at the mark, §2), so the repair's department is not read."""
    unit = settings.repair_callback_unit
    return settings.repair_callback_minutes, unit, customer_service_department() if unit == WORKING else None


def rule_due(rule, start):
    minutes, unit, department = rule
    return clock_due(start=start, minutes=minutes, unit=unit, calendar_department=department)


def reply_due_start(call: Call, settings: IntakeSettings | None = None) -> None:
    """The default promised reply, from the call's receipt on the settings' rule, stored with its rule. A repair
    request transferred to a department is due for its call-back (the reply clock is then that mark)."""
    settings = settings or IntakeSettings.current()
    if call.category == Call.Category.REPAIR and call.outcome == Call.Outcome.TRANSFERRED:
        rule = callback_rule(settings=settings)
    else:
        rule = reply_rule(channel=call.channel, settings=settings)
    call.reply_due_at = rule_due(rule, call.received_at)
    call.reply_due_minutes, call.reply_due_unit, call.reply_due_calendar = rule


def reply_due_given(call: Call) -> None:
    """A due time the agent gave: no rule."""
    call.reply_due_minutes, call.reply_due_unit, call.reply_due_calendar = None, "", None


def repair_callback_start(call: Call, settings: IntakeSettings | None = None) -> None:
    """The call-back mark of a repair request transferred to a department, from the call's receipt, with its rule
    (once: a running mark keeps its rule and due time)."""
    if call.repair_callback_due_at is not None:
        return
    rule = callback_rule(settings=settings or IntakeSettings.current())
    call.repair_callback_due_at = rule_due(rule, call.received_at)
    call.repair_callback_length, call.repair_callback_unit, call.repair_callback_calendar = rule


def repair_callback_moved(call: Call) -> None:
    """A supervisor corrected the time the call was received: a call-back mark not yet reminded counts from the
    corrected time on the rule it started with (as the sweep once counted from the receipt itself)."""
    if call.repair_callback_due_at is None or call.repair_callback_reminded_at is not None:
        return
    if call.repair_callback_length is None:
        return
    call.repair_callback_due_at = clock_due(start=call.received_at, minutes=call.repair_callback_length,
                                            unit=call.repair_callback_unit,
                                            calendar_department=call.repair_callback_calendar)


def rule_text(minutes, unit, department) -> str:
    """Which rule a clock runs on: "20 minutes of working time of 工程部", "2 hours of calendar time", "a given due
    time"."""
    if minutes is None or not unit:
        return str(_("a given due time"))
    length = (_("%(n)s hours") % {"n": minutes // 60} if minutes % 60 == 0
              else _("%(n)s minutes") % {"n": minutes})
    if unit != WORKING:
        return _("%(length)s of calendar time") % {"length": length}
    name = department.name if department is not None else _("customer service")
    return _("%(length)s of working time of %(dept)s") % {"length": length, "dept": name}


def call_clocks_recompute(departments, by, *, now=None) -> int:
    """A calendar edit (REGULATIONS §9): every running call clock on working time of ``departments`` (None: all) is
    recomputed on the rule it started with — the promised reply of an open call, and the repair call-back mark not
    yet reminded. A clock already decided (the call closed, the call-back reminded) never moves. Each moved clock
    leaves a note in the call's trail with the old and new due time, saying when an overdue notice had already gone
    out (re-armed when the new due time is still ahead). Returns how many clocks moved."""
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from csmgmt.core.workflow import event_write

    from .workflow import CALL

    now = now or timezone.now()
    ids = None if departments is None else [d.pk for d in departments]
    reply = Q(status=Call.Status.OPEN, reply_due_unit=WORKING, reply_due_minutes__isnull=False)
    callback = Q(repair_callback_unit=WORKING, repair_callback_reminded_at__isnull=True,
                 repair_callback_due_at__isnull=False, repair_callback_length__isnull=False)
    if ids is not None:
        reply &= Q(reply_due_calendar_id__in=ids)
        callback &= Q(repair_callback_calendar_id__in=ids)
    moved = 0

    def local(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

    with transaction.atomic():
        for call in Call.objects.select_for_update().filter(reply | callback).exclude(
                status=Call.Status.VOIDED).order_by("pk"):
            changes, data, fields = [], {}, []
            if (call.status == Call.Status.OPEN and call.reply_due_unit == WORKING
                    and call.reply_due_minutes is not None and (ids is None or call.reply_due_calendar_id in ids)):
                new = clock_due(start=call.received_at, minutes=call.reply_due_minutes, unit=WORKING,
                                calendar_department=call.reply_due_calendar)
                if new != call.reply_due_at:
                    changes.append(_("reply due %(old)s → %(new)s") % {"old": local(call.reply_due_at),
                                                                       "new": local(new)})
                    data.update(old_reply_due=call.reply_due_at.isoformat(), new_reply_due=new.isoformat())
                    if call.overdue_notified_at is not None and new > call.overdue_notified_at:
                        changes.append(_("an overdue notice was sent at %(at)s, before the new due time") % {
                            "at": local(call.overdue_notified_at)})
                        data["overdue_notice_at"] = call.overdue_notified_at.isoformat()
                        if new > now:
                            call.overdue_notified_at = None
                            fields.append("overdue_notified_at")
                    call.reply_due_at = new
                    fields.append("reply_due_at")
            if (call.repair_callback_unit == WORKING and call.repair_callback_reminded_at is None
                    and call.repair_callback_due_at is not None and call.repair_callback_length is not None
                    and (ids is None or call.repair_callback_calendar_id in ids)):
                new = clock_due(start=call.received_at, minutes=call.repair_callback_length, unit=WORKING,
                                calendar_department=call.repair_callback_calendar)
                if new != call.repair_callback_due_at:
                    changes.append(_("call-back due %(old)s → %(new)s") % {
                        "old": local(call.repair_callback_due_at), "new": local(new)})
                    data.update(old_callback_due=call.repair_callback_due_at.isoformat(),
                                new_callback_due=new.isoformat())
                    call.repair_callback_due_at = new
                    fields.append("repair_callback_due_at")
            if not fields:
                continue
            call._history_user = getattr(by, "user", None)
            call.save(update_fields=[*fields, "updated_at"])
            event_write(CALL, call, action="note", from_state=call.status, to_state=call.status, by=by, at=now,
                        comment=_("The working calendar changed: %(changes)s.") % {"changes": "; ".join(changes)},
                        data=data)
            moved += 1
    return moved
