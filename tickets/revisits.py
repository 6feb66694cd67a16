"""Revisits beyond complaints (回访, REGULATIONS §10, issue 20): services like those of ``tickets.services``.

- Which calls: a manager sets the call categories revisited by default (``RevisitSettings``, trailed); the agent
  ticks or unticks "needs a revisit" at intake or on the call. A repair request sent to a department always gets
  its revisit, when the repair is finished (§2), and is done (closed) only by it.
- When: ``due_days`` (2) working days after the call — after the repair's finish for a repair — on the
  customer-service department's working calendar (§9 lists the revisit among the clocks customer service must
  meet; a length in days is due at the same time of day on the Nth working day), or calendar days when the
  manager sets so. The revisit keeps the rule it started on; a calendar edit recomputes running ones
  (:func:`revisit_due_recompute`, a calendar listener), with a line in the revisit's trail.
- The answer: satisfaction on the complaints' five steps and a note. 1–2 is unsatisfied: the owner's supervisor
  (or the department head) is told, and the supervisor opens a complaint from it in one step (the complaints
  app's ``complaint_from_revisit``) or settles it with a comment.
- Overdue: the owner is reminded once per due time (the beat job, safe to run twice: the notice's key).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.calendar import Unit, due_time
from csmgmt.core.notices import notification_send
from csmgmt.core.permissions import can
from csmgmt.core.workflow import event_write, record_created, transition
from staff.calendars.selectors import customer_service_calendar, customer_service_department, work_calendar
from staff.models import Employee

from .models import Call, CallRevisit, RevisitSettings, Satisfaction
from .selectors import call_may_edit
from .workflow import (REVISIT, UNSATISFIED_BELOW, RevisitError, RevisitForbidden, awaits_revisit,
                       follows_repair)

WORKING_DAYS = Unit.WORKING_DAYS.value
PENDING = CallRevisit.State.PENDING


# --- the due time ------------------------------------------------------------------------------------------


def revisit_rule(settings: RevisitSettings | None = None):
    """(days, unit, calendar department) of a revisit starting now: working days count customer service's."""
    settings = settings or RevisitSettings.current()
    unit = settings.due_unit
    return settings.due_days, unit, customer_service_department() if unit == WORKING_DAYS else None


def revisit_due(*, start: dt.datetime, days: int, unit: str, department=None) -> dt.datetime:
    """``start`` + ``days`` calendar days, or the same time of day on the ``days``-th working day of
    ``department``'s calendar (customer service's default calendar when there is no such department)."""
    if unit != WORKING_DAYS:
        return start + dt.timedelta(days=days)
    calendar = work_calendar(department) if department is not None else customer_service_calendar()
    return due_time(start=start, length=days, unit=Unit.WORKING_DAYS, calendar=calendar, explain=False).at


def needs_revisit_by_default(call: Call, settings: RevisitSettings | None = None) -> bool:
    settings = settings or RevisitSettings.current()
    return call.category in (settings.categories or [])


# --- starting and unticking ----------------------------------------------------------------------------------


def revisit_start(*, call: Call, by: Employee | None, start: dt.datetime, comment: str = "") -> CallRevisit:
    """A pending revisit of ``call`` due on the settings' rule from ``start`` (the rule is kept on the row)."""
    days, unit, department = revisit_rule()
    revisit = CallRevisit(call=call, due_from=start, due_days=days, due_unit=unit, due_calendar=department,
                          due_at=revisit_due(start=start, days=days, unit=unit, department=department))
    revisit._history_user = by.user if by is not None else None
    revisit.save()
    record_created(REVISIT, revisit, by=by, comment=comment, data={"due": revisit.due_at})
    return revisit


def pending_revisit(call: Call) -> CallRevisit | None:
    return CallRevisit.objects.filter(call=call, state=PENDING).first()


def revisit_on_intake(*, call: Call, by: Employee, needs: bool | None) -> CallRevisit | None:
    """At intake: the agent's tick, or the category's default when they left it. A repair request sent to a
    department gets its revisit when the repair is finished (:func:`revisit_on_finish`), whatever the tick."""
    if follows_repair(call):
        return None
    if needs is None:
        needs = needs_revisit_by_default(call)
    if not needs:
        return None
    return revisit_start(call=call, by=by, start=call.received_at)


def revisit_on_finish(call: Call, by: Employee) -> CallRevisit:
    """The repair was finished: its revisit is due from the finish (once; an earlier pending one stays)."""
    return pending_revisit(call) or revisit_start(call=call, by=by, start=call.repair_finished_at)


def call_revisit_need(*, call: Call, by: Employee, needs: bool, note: str = "") -> CallRevisit | None:
    """The owner (or a supervisor) ticks "needs a revisit" on a call — due from now — or unticks it (the pending
    revisit is cancelled, with the reason in its trail). Returns the revisit made or cancelled."""
    if not call_may_edit(by.user, call):
        raise RevisitForbidden(_("Only the call's owner or a supervisor says whether it needs a revisit."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        current = pending_revisit(call)
        if needs:
            if call.status == Call.Status.VOIDED:
                raise RevisitError(_("Call %(number)s is void.") % {"number": call.number})
            if current is not None:
                raise RevisitError(_("Call %(number)s already waits for its revisit.") % {"number": call.number})
            if follows_repair(call):
                raise RevisitError(_("A repair request's revisit starts when the repair is finished."))
            return revisit_start(call=call, by=by, start=timezone.now(), comment=note)
        if current is None:
            raise RevisitError(_("Call %(number)s has no revisit waiting.") % {"number": call.number})
        return transition(REVISIT, current, "cancel", by=by, comment=note)


def revisits_cancel_for_void(call: Call) -> int:
    """A voided call counts nowhere: its pending revisit is cancelled by the product itself."""
    cancelled = 0
    for revisit in CallRevisit.objects.filter(call=call, state=PENDING):
        transition(REVISIT, revisit, "cancel", by=None, comment=_("The call was voided."))
        cancelled += 1
    return cancelled


# --- the answer ------------------------------------------------------------------------------------------------


def _checked_satisfaction(satisfaction) -> int:
    try:
        value = int(satisfaction)
    except (TypeError, ValueError):
        value = None
    if value not in Satisfaction.values:
        raise RevisitError(_("Choose the customer's satisfaction."))
    return value


def _record(revisit: CallRevisit, *, by: Employee, satisfaction: int, note: str) -> CallRevisit:
    action = "record" if satisfaction >= UNSATISFIED_BELOW else "record_unsatisfied"

    def apply(rec, ctx):
        rec.satisfaction, rec.note, rec.by, rec.revisited_at = satisfaction, (note or "").strip(), by, ctx.now

    return transition(REVISIT, revisit, action, by=by, comment=note, data={"satisfaction": satisfaction},
                      apply=apply, effects=_after_answer)


def revisit_record(*, revisit: CallRevisit, by: Employee, satisfaction, note: str = "") -> CallRevisit:
    """Record the customer's answer (the owner or a supervisor). A repair request waiting for its revisit is
    done (closed) by it, in the same transaction."""
    from .services import _move

    satisfaction = _checked_satisfaction(satisfaction)
    with transaction.atomic():
        rec = _record(revisit, by=by, satisfaction=satisfaction, note=note)
        call = rec.call
        if call.status == Call.Status.OPEN and awaits_revisit(call):
            _move(call, "revisit", by=by, comment=note, data={"satisfaction": satisfaction})
    return rec


def call_repair_revisit(*, call: Call, by: Employee, satisfaction, note: str = "") -> Call:
    """After the repair is finished, the owner (or a supervisor) asks the customer for their opinion: the revisit
    records the satisfaction and only then is the call done (closed). From the call page; the queue's
    :func:`revisit_record` does the same."""
    from .services import _move
    from .workflow import CallError

    try:
        satisfaction = _checked_satisfaction(satisfaction)
    except RevisitError as exc:
        raise CallError(exc.message) from None
    with transaction.atomic():
        moved = _move(call, "revisit", by=by, comment=note, data={"satisfaction": satisfaction})
        _record(revisit_on_finish(moved, by), by=by, satisfaction=satisfaction, note=note)
    return moved


def _supervisor_of(owner: Employee) -> Employee | None:
    boss = owner.supervisor or owner.department.head
    return boss if boss is not None and boss.pk != owner.pk else None


def _after_answer(revisit, action, event) -> None:
    """An unsatisfied answer reaches the owner's supervisor (or the department head): once per revisit."""
    if action != "record_unsatisfied":
        return
    call = Call.objects.select_related("owner__supervisor", "owner__department__head").get(pk=revisit.call_id)
    boss = _supervisor_of(call.owner)
    if boss is None:
        return
    notification_send(
        recipient=boss,
        message=gettext_lazy("Unsatisfied revisit of call %(number)s (%(owner)s): %(satisfaction)s. Open a "
                             "complaint from it or settle it."),
        params={"number": call.number, "owner": call.owner.name,
                "satisfaction": Satisfaction(revisit.satisfaction).label},
        link=reverse("tickets:revisits_unsatisfied"), key=f"call-revisit-unsatisfied-{revisit.pk}")


def revisit_complaint_opened(*, revisit: CallRevisit, by: Employee, complaint_number: str) -> CallRevisit:
    """The complaints app opened a complaint from this unsatisfied revisit (inside its own transaction): the
    revisit moves on, naming the complaint in its trail."""
    def apply(rec, ctx):
        rec.complaint_number = complaint_number

    return transition(REVISIT, revisit, "open_complaint", by=by, data={"complaint": complaint_number},
                      apply=apply)


def revisit_settle(*, revisit: CallRevisit, by: Employee, comment: str) -> CallRevisit:
    """The supervisor settled the dissatisfaction without a complaint (a call back, an explanation): said how."""
    comment = (comment or "").strip()
    return transition(REVISIT, revisit, "settle", by=by, comment=comment, data={"comment": comment})


# --- overdue reminders and calendar edits ---------------------------------------------------------------------


def revisits_overdue(now: dt.datetime):
    return CallRevisit.objects.filter(state=PENDING, due_at__lte=now, overdue_notified_at__isnull=True)


def revisit_overdue_remind(*, revisit_id: int, now: dt.datetime | None = None) -> bool:
    """Remind the call's owner of an overdue revisit, once per due time (the key names it: a due time a calendar
    edit moved is reminded again). Returns whether a notice was sent now."""
    now = now or timezone.now()
    revisit = revisits_overdue(now).filter(pk=revisit_id).select_related("call__owner").first()
    if revisit is None:
        return False
    call = revisit.call
    sent = notification_send(
        recipient=call.owner,
        message=gettext_lazy("The revisit of call %(number)s was due at %(due)s: phone the customer %(phone)s."),
        params={"number": call.number, "due": timezone.localtime(revisit.due_at).strftime("%Y-%m-%d %H:%M"),
                "phone": call.phone_display()},
        link=reverse("tickets:revisits"),
        key=f"call-revisit-overdue-{revisit.pk}-{revisit.due_at:%Y%m%d%H%M}")
    CallRevisit.objects.filter(pk=revisit.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=now)
    return sent is not None


def revisit_overdue_reminders_send(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """The beat job's sweep: each overdue revisit's owner reminded once."""
    now = now or timezone.now()
    ids = list(revisits_overdue(now).order_by("due_at").values_list("pk", flat=True)[:batch])
    return sum(revisit_overdue_remind(revisit_id=pk, now=now) for pk in ids)


def revisit_due_recompute(departments, by, *, now=None) -> int:
    """A calendar edit (REGULATIONS §9): every pending revisit on working days of ``departments`` (None: all) is
    recomputed on the rule it started with; a moved one leaves a line in its trail (old and new due time) and an
    overdue notice already sent is re-armed when the new due time is still ahead. Returns how many moved."""
    now = now or timezone.now()
    qs = CallRevisit.objects.filter(state=PENDING, due_unit=WORKING_DAYS)
    if departments is not None:
        qs = qs.filter(due_calendar_id__in=[d.pk for d in departments])
    moved = 0
    with transaction.atomic():
        for revisit in qs.select_for_update(of=("self",)).select_related("due_calendar").order_by("pk"):
            new = revisit_due(start=revisit.due_from, days=revisit.due_days, unit=revisit.due_unit,
                              department=revisit.due_calendar)
            if new == revisit.due_at:
                continue
            old = revisit.due_at
            revisit.due_at = new
            if revisit.overdue_notified_at is not None and new > now:
                revisit.overdue_notified_at = None
            revisit._history_user = getattr(by, "user", None)
            revisit.save(update_fields=["due_at", "overdue_notified_at"])
            event_write(REVISIT, revisit, action="due_moved", from_state=revisit.state, to_state=revisit.state,
                        by=by, at=now, data={"old_due": old, "new_due": new},
                        comment=_("The working calendar changed: due %(old)s → %(new)s.") % {
                            "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
                            "new": timezone.localtime(new).strftime("%Y-%m-%d %H:%M")})
            moved += 1
    return moved


# --- settings and the monthly figure ----------------------------------------------------------------------------


def revisit_settings_save(*, by: Employee, data: dict) -> RevisitSettings:
    """A manager sets the categories revisited by default and the due rule (running revisits keep theirs)."""
    if not can(by.user, "tickets.manage_scripts"):
        raise RevisitForbidden(_("Only a manager changes these settings."))
    categories = [c for c in data.get("categories", []) if c in Call.Category.values]
    if int(data.get("due_days") or 0) < 1:
        raise RevisitError(_("A revisit is due at least one day after the call."))
    with transaction.atomic():
        obj = RevisitSettings.objects.select_for_update().order_by("pk").first() or RevisitSettings()
        obj.categories, obj.due_days, obj.due_unit = categories, int(data["due_days"]), data["due_unit"]
        obj._history_user = by.user
        obj.save()
    return obj


def satisfaction_per_employee(start: dt.datetime, end: dt.datetime) -> dict:
    """The "satisfaction"/"calls" figure source (REGULATIONS §10): the call revisits answered in [start, end) (the
    month of the revisit), attributed to who handled the call (its owner, 首问负责): {employee_id: (sum of
    satisfaction, number of revisits)}. A voided call counts nowhere. One aggregate query."""
    rows = (CallRevisit.objects.filter(revisited_at__gte=start, revisited_at__lt=end, satisfaction__isnull=False)
            .exclude(call__status=Call.Status.VOIDED)
            .values("call__owner_id").annotate(total=Sum("satisfaction"), count=Count("id")).order_by())
    return {r["call__owner_id"]: (r["total"], r["count"]) for r in rows}

