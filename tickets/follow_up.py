"""Follow-ups of a logged call (REGULATIONS §2), services like those of ``tickets.services`` (which re-exports them):

- 有效电话: a supervisor confirms or corrects the agent's valid/invalid marking; a correction offers the §5 violation
  "wrong valid/invalid marking" for the agent, recorded through the scoring services;
- 报修 followed to the end: the call-back reminder at the 20-minute mark, on site, finished (the revisit that
  closes the call is ``tickets.revisits``).
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.permissions import can
from csmgmt.core.workflow import event_write
from staff.models import Employee, ManualCategory
from staff.scoring.services.manual_entries import manual_entry_create
from staff.scoring.workflow import ScoringError

from .models import Call, CallEvent, IntakeSettings
from .revisits import revisit_on_finish
from .selectors import marking_correction
from .workflow import CALL, CallError, PermissionRefused


def _move(*args, **kwargs):
    from .services import _move as move

    return move(*args, **kwargs)


def _note(*args, **kwargs):
    from .services import _note as note

    return note(*args, **kwargs)


# --- 有效电话: the supervisor's check, and the violation a correction offers ------------------------------


def call_valid_check(*, call: Call, by: Employee, valid: bool, note: str = "") -> CallEvent:
    """A supervisor confirms or corrects the agent's valid/invalid marking of an inbound call (REGULATIONS §2). The
    check is an event of the call's trail (the marking before and after); a correction also lands in the edit
    trail, and offers the §5 violation "wrong valid/invalid marking" for the agent
    (:func:`call_marking_violation_record`)."""
    if not can(by.user, "tickets.check_valid"):
        raise PermissionRefused(_("Only a supervisor checks the valid/invalid marking."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status == Call.Status.VOIDED:
            raise CallError(_("Call %(number)s is void.") % {"number": call.number})
        if call.direction != Call.Direction.INBOUND:
            raise CallError(_("Only inbound calls are marked valid or not."))
        marked, checked = call.valid, bool(valid)
        now = timezone.now()
        call.valid = checked
        call.valid_checked_at = now
        call._history_user = by.user
        call.save(update_fields=["valid", "valid_checked_at", "updated_at"])
        return event_write(CALL, call, action=CallEvent.Kind.VALID_CHECK, from_state=call.status,
                           to_state=call.status, by=by, at=now, comment=(note or "").strip(),
                           data={"marked": marked, "checked": checked, "corrected": marked != checked})


def call_marking_violation_record(*, call: Call, by: Employee) -> CallEvent:
    """One click after a correction: the §5 violation "wrong valid/invalid marking" (category ``wrong_marking``)
    for the agent who marked the call, through the scoring services (a supervisor of the agent, or a manager;
    the agent is told, the month recomputed). Once per correction; the call's trail links the record."""
    if not can(by.user, "tickets.check_valid"):
        raise PermissionRefused(_("Only a supervisor checks the valid/invalid marking."))
    with transaction.atomic():
        call = Call.objects.select_for_update().select_related("agent").get(pk=call.pk)
        correction = marking_correction(call)
        if correction is None:
            raise CallError(_("There is no corrected marking on call %(number)s without its violation.")
                            % {"number": call.number})
        category = ManualCategory.objects.filter(code="wrong_marking").first()
        if category is None:
            raise CallError(_("The violation category “wrong valid/invalid marking” is missing; ask a manager."))
        label = {True: _("valid"), False: _("not valid")}
        note = _("Call %(number)s marked “%(marked)s”, corrected to “%(checked)s” by %(by)s.") % {
            "number": call.number, "marked": label.get(correction.data.get("marked"), "—"),
            "checked": label[bool(correction.data.get("checked"))], "by": correction.by.name if correction.by
            else "—"}
        try:
            entry = manual_entry_create(employee=call.agent, category=category,
                                        date=timezone.localtime(call.received_at).date(), note=note, by=by)
        except ScoringError as exc:
            raise CallError(exc.message) from None
        return _note(call, CallEvent.Kind.MARKING_VIOLATION, by, note,
                     data={"correction": correction.pk, "manual_entry": entry.pk, "employee": call.agent_id})


# --- 报修 followed to the end ----------------------------------------------------------------------------


def _when(at: dt.datetime | None, now: dt.datetime, *, not_before: dt.datetime, before_label) -> dt.datetime:
    at = at or now
    if at > now + dt.timedelta(minutes=1):
        raise CallError(_("The time is in the future."))
    if at < not_before:
        raise CallError(_("The time is before %(what)s.") % {"what": before_label})
    return at


def call_repair_on_site(*, call: Call, by: Employee, at: dt.datetime | None = None, note: str = "") -> Call:
    """The handler (of the department the repair went to) or the owner records when someone reached the site."""
    def apply(rec, ctx):
        rec.repair_on_site_at = _when(at, ctx.now, not_before=rec.received_at, before_label=_("the call"))

    return _move(call, "on_site", by=by, comment=note, apply=apply,
                 data={"at": at} if at else None)


def call_repair_finished(*, call: Call, by: Employee, at: dt.datetime | None = None, note: str = "") -> Call:
    """The handler or the owner records when the repair was finished (after someone was on site)."""
    def apply(rec, ctx):
        rec.repair_finished_at = _when(at, ctx.now, not_before=rec.repair_on_site_at,
                                       before_label=_("someone reached the site"))

    with transaction.atomic():  # the revisit is due from the finish (tickets.revisits)
        moved = _move(call, "finished", by=by, comment=note, apply=apply, data={"at": at} if at else None)
        revisit_on_finish(moved, by)
    return moved


REPAIR_CALLBACK_HORIZON = dt.timedelta(days=1)  # older requests (e.g. before an upgrade) are not reminded now


def repair_callbacks_due(now: dt.datetime):
    """Open repair requests sent to a department that nobody reached and whose call-back mark has come (the due
    time stored when the clock started, on its own rule: ``tickets.clocks``)."""
    return Call.objects.filter(status=Call.Status.OPEN, category=Call.Category.REPAIR,
                               outcome=Call.Outcome.TRANSFERRED, repair_on_site_at__isnull=True,
                               repair_callback_reminded_at__isnull=True,
                               repair_callback_due_at__lte=now,
                               repair_callback_due_at__gt=now - REPAIR_CALLBACK_HORIZON)


def repair_callback_remind(*, call_id: int, now: dt.datetime | None = None) -> bool:
    """At the call-back mark (20 minutes by default, not before; ``IntakeSettings.repair_callback_minutes`` and
    ``repair_callback_unit`` when the clock started), unless someone was recorded on site first, the owner is
    reminded to phone the customer and explain (001 篇十一). Once: the notice's key is per call. Returns whether a
    notice was sent now."""
    now = now or timezone.now()
    call = repair_callbacks_due(now).filter(pk=call_id).select_related("owner", "department").first()
    if call is None:
        return False
    minutes = call.repair_callback_length or IntakeSettings.current().repair_callback_minutes
    sent = notification_send(
        recipient=call.owner,
        message=gettext_lazy("%(minutes)s minutes and nobody on site for repair request %(number)s: phone the "
                             "customer %(phone)s and explain."),
        params={"minutes": minutes, "number": call.number, "phone": call.phone_display()},
        link=reverse("tickets:detail", args=[call.pk]), key=f"call-repair-callback-{call.pk}",
    )
    Call.objects.filter(pk=call.pk, repair_callback_reminded_at__isnull=True).update(repair_callback_reminded_at=now)
    return sent is not None


def repair_callback_reminders_send(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """The beat job's sweep (every minute): each repair request whose mark has come, reminded once."""
    now = now or timezone.now()
    ids = list(repair_callbacks_due(now).order_by("repair_callback_due_at").values_list("pk", flat=True)[:batch])
    return sum(repair_callback_remind(call_id=pk, now=now) for pk in ids)
