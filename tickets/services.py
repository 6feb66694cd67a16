"""Writes for calls and customers (REGULATIONS §2). Every write runs in one transaction; the call's status
moves only through the workflow engine (``tickets/workflow.py``), each move and each note leaving a
:class:`CallEvent`; edits of registers land in django-simple-history."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from csmgmt.core.notices import notification_send
from csmgmt.core.numbering import number_next
from csmgmt.core.permissions import can
from csmgmt.core.registry import call_links, customer_merge_hooks
from csmgmt.core.workflow import create, event_write, transition
from staff.models import Employee

from . import clocks
from .models import Call, CallEvent, Customer, CustomerPhone, IntakeSettings, Script
from .phones import PhoneRejected, checked_phone, normalize_phone
from .revisits import call_repair_revisit, revisit_on_intake, revisits_cancel_for_void
from .selectors import call_may_edit
from .workflow import CALL, FORBIDDEN, CallError, MoveForbidden, PermissionRefused, follows_repair

__all__ = ["CallError", "PermissionRefused"]  # the app's domain errors, declared with its workflow


INTAKE_FIELDS = ("channel", "direction", "caller_phone", "caller_name", "address_form", "organisation",
                 "category", "summary", "details", "importance", "urgency", "outcome", "department",
                 "reply_due_at")


def _apply_outcome(call: Call, was_due: dt.datetime | None = None) -> None:
    """Department and due time follow the outcome (the status follows it through a move: :func:`_outcome_move`).
    A default due time starts the reply clock on the settings' rule (stored on the call); a due time the agent
    gives has no rule; an unchanged one keeps its rule. A repair request transferred starts its call-back clock."""
    if call.outcome == Call.Outcome.RESOLVED:
        call.reply_due_at = None
    if call.outcome == Call.Outcome.TRANSFERRED:
        if call.department_id is None:
            raise CallError(_("Choose the department the call is transferred to."))
    else:
        call.department = None
    if call.outcome in (Call.Outcome.REPLY_PROMISED, Call.Outcome.TRANSFERRED) and call.reply_due_at is None:
        clocks.reply_due_start(call)
    elif call.reply_due_at is None:
        clocks.reply_due_given(call)
    elif was_due is not None and abs(call.reply_due_at - was_due) < dt.timedelta(minutes=1):
        call.reply_due_at = was_due  # the form shows minutes: the same time sent back keeps the clock
    else:
        clocks.reply_due_given(call)
    if follows_repair(call):
        clocks.repair_callback_start(call)


def _outcome_move(call: Call, outcome: str) -> str | None:
    """The move a new outcome makes: "resolved" closes an open call, any other new outcome reopens a closed
    one; an edit that keeps the outcome (or opens a complaint, which the complaints app does) moves nothing."""
    if outcome == call.outcome or outcome == Call.Outcome.COMPLAINT:
        return None
    if outcome == Call.Outcome.RESOLVED:
        return "close" if call.status == Call.Status.OPEN else None
    return "reopen" if call.status == Call.Status.CLOSED else None


def _stamp(call: Call, action: str, now: dt.datetime) -> None:
    """The move's own fields: the time a call was closed (kept when an edit closes it again)."""
    if action == "close":
        call.closed_at = call.closed_at or now
    elif action == "reopen":
        call.closed_at = None


def _move(call: Call, action: str, *, by: Employee | None, apply=None, **kwargs) -> Call:
    """One move of the call workflow through the engine; a person the table does not allow is told the
    action's own reason (``FORBIDDEN``)."""

    def apply_all(rec, ctx):
        notes = apply(rec, ctx) if apply is not None else None
        _stamp(rec, action, ctx.now)
        return notes

    try:
        return transition(CALL, call, action, by=by, apply=apply_all, **kwargs)
    except MoveForbidden:
        raise MoveForbidden(FORBIDDEN[action]) from None


def _last_event(call: Call) -> CallEvent:
    return CallEvent.objects.filter(call=call).order_by("-id").first()


def _note(call: Call, kind: str, by: Employee, text: str = "", **extra) -> CallEvent:
    """An event that moves nothing (a note, "opened as a complaint"), written in the call's status."""
    return event_write(CALL, call, action=kind, from_state=call.status, to_state=call.status, by=by,
                       at=timezone.now(), comment=text, **extra)


def _checked_phone(raw: str) -> str:
    try:
        return checked_phone(raw)
    except PhoneRejected as exc:
        raise CallError(str(exc)) from None


def customer_for_phone(*, number: str, name: str = "", organisation: str = "", address_form: str = "",
                       by: Employee | None = None) -> Customer | None:
    """The profile this normalised number belongs to; a new one for a first-time caller. A blank
    name or organisation on the profile is filled from the call. ``by`` is None only for an import that
    names no importer."""
    if not number:
        return None
    user = by.user if by is not None else None
    entry = CustomerPhone.objects.select_related("customer").filter(number=number).first()
    if entry is not None:
        customer = entry.customer
        changed = []
        for field, value in (("name", name), ("organisation", organisation), ("address_form", address_form)):
            if value and not getattr(customer, field):
                setattr(customer, field, value)
                changed.append(field)
        if changed:
            customer._history_user = user
            customer.save(update_fields=[*changed, "updated_at"])
        return customer
    try:
        with transaction.atomic():  # one savepoint: the profile and its number, or neither
            customer = Customer(name=name, organisation=organisation, address_form=address_form)
            customer._history_user = user
            customer.save()
            phone = CustomerPhone(customer=customer, number=number)
            phone._history_user = user
            phone.save()
    except IntegrityError:  # another agent created it a moment ago: use theirs
        return CustomerPhone.objects.select_related("customer").get(number=number).customer
    return customer


def call_create(*, by: Employee, data: dict, received_at: dt.datetime | None = None, hand_to: Employee | None = None,
                hand_reason: str = "", again=None, exchange_call_id: str = "") -> Call:
    """Log a call. The call is logged by one creating move: open, or — the outcome "resolved" — closed at once.
    With ``hand_to`` the call is handed straight to that colleague (with ``hand_reason``), in the same
    transaction. ``again`` (a ``HistoryItem`` of the caller's open call or complaint) links the new call to the
    record the caller called again about; the record's page lists the calls that came again about it. (The intake
    form's one-time token is claimed around this by ``csmgmt.core.onetime.once``, as for every form that creates a
    record.) ``exchange_call_id`` ties the call to the exchange's record of it (``csmgmt.core.registry.CallLink``):
    received when the exchange says it rang, unless a supervisor gives the time."""
    user = by.user
    if not can(user, "tickets.log_call"):
        raise PermissionRefused(_("You may not log calls."))
    if received_at is not None and not can(user, "tickets.edit_received_at"):
        raise PermissionRefused(_("Only a supervisor changes the time a call was received."))
    now = timezone.now()
    exchange_call_id = (exchange_call_id or "").strip()[:100]
    with transaction.atomic():
        if exchange_call_id:
            taken = Call.objects.filter(exchange_call_id=exchange_call_id).values_list("number", flat=True).first()
            if taken:
                raise CallError(_("The exchange's call %(id)s is already logged as %(number)s.")
                                % {"id": exchange_call_id, "number": taken})
            received_at = received_at or next(filter(None, (h.rang_at(exchange_call_id) for h in call_links())), None)
        call = Call(agent=by, owner=by, received_at=received_at or now, exchange_call_id=exchange_call_id)
        for field in INTAKE_FIELDS:
            if field in data:
                setattr(call, field, data[field])
        call.caller_phone = _checked_phone(call.caller_phone)
        if call.outcome == Call.Outcome.COMPLAINT:
            raise CallError(_("A complaint is opened from the saved call with the \"Open as complaint\" button."))
        call.valid = _valid_at_intake(call.direction, data.get("valid"))
        if again is not None:
            if again.kind not in ("call", "complaint") or again.pk is None:
                raise CallError(_("A call comes again only about an open call or complaint."))
            call.again_kind, call.again_pk, call.again_number = again.kind, again.pk, again.number
        _apply_outcome(call)
        call.customer = customer_for_phone(number=call.caller_phone, name=call.caller_name,
                                           organisation=call.organisation, address_form=call.address_form,
                                           by=by)
        if call.customer is not None:  # a recognised caller: what the agent left blank comes from the profile
            for field in ("caller_name", "address_form", "organisation"):
                source = "name" if field == "caller_name" else field
                if not getattr(call, field) and getattr(call.customer, source):
                    setattr(call, field, getattr(call.customer, source))
        local = timezone.localtime(call.received_at)
        call.number = number_next(prefix="LD", period=local.strftime("%Y%m%d"))
        resolved = call.outcome == Call.Outcome.RESOLVED
        if resolved:
            call.closed_at = now
        create(CALL, call, "log_resolved" if resolved else "log", by=by, at=now,
               data={"outcome": call.outcome, "valid": call.valid})
        for hook in call_links() if exchange_call_id else ():
            hook.link(call=call, by=by)
        if follows_repair(call):
            _schedule_repair_callback(call)
        revisit_on_intake(call=call, by=by, needs=data.get("needs_revisit"))  # tickets.revisits (§10)
        if hand_to is not None:
            call_hand_over(call=call, by=by, to=hand_to, reason=hand_reason)
            call.refresh_from_db()
    return call


def _schedule_repair_callback(call: Call) -> None:
    """The owner's call-back reminder, queued after the commit for the 20-minute mark itself; the beat job's sweep
    (every minute) catches any the queue lost, and the notice's key keeps it to one."""
    from .tasks import repair_callback

    due = call.repair_callback_due_at
    transaction.on_commit(lambda: repair_callback.apply_async(args=[call.pk], eta=due))


def _valid_at_intake(direction: str, valid) -> bool | None:
    """有效电话 (REGULATIONS §2): every inbound call is marked valid or not by the agent who takes it; an outbound
    call is not marked."""
    if direction != Call.Direction.INBOUND:
        return None
    if valid is None or valid == "":
        raise CallError(_("Mark whether the inbound call is valid (有效电话): a new customer's enquiry or an existing "
                          "customer's order is valid; after-sales matters, cooperation offers and the like are not."))
    return bool(valid)


def _edit(call: Call, *, by: Employee, data: dict, received_at: dt.datetime | None) -> None:
    """The edit's fields on the locked call; refuses (``CallError``) what the rules do not allow."""
    if received_at is not None and received_at != call.received_at:
        if not can(by.user, "tickets.edit_received_at"):
            raise PermissionRefused(_("Only a supervisor changes the time a call was received."))
        call.received_at = received_at
        clocks.repair_callback_moved(call)
    was_outcome = call.outcome
    was_phone = call.caller_phone
    was_due = call.reply_due_at
    for field in INTAKE_FIELDS:
        if field in data:
            setattr(call, field, data[field])
    if normalize_phone(call.caller_phone) != was_phone:  # an imported number stays as it was unless changed
        call.caller_phone = _checked_phone(call.caller_phone)
    else:
        call.caller_phone = was_phone
    if call.outcome == Call.Outcome.COMPLAINT and was_outcome != Call.Outcome.COMPLAINT:
        raise CallError(_("A complaint is opened from the saved call with the \"Open as complaint\" button."))
    if was_outcome == Call.Outcome.COMPLAINT and call.outcome != Call.Outcome.COMPLAINT:
        # a complaint was opened from it: taking the outcome away would let a second one be opened
        raise CallError(_("This call was opened as a complaint; its outcome stays."))
    if call.outcome != Call.Outcome.COMPLAINT:
        _apply_outcome(call, was_due)
    if call.caller_phone and (call.customer is None or not call.customer.phones.filter(
            number=call.caller_phone).exists()):
        call.customer = customer_for_phone(number=call.caller_phone, name=call.caller_name,
                                           organisation=call.organisation, by=by)


def call_update(*, call: Call, by: Employee, data: dict, received_at: dt.datetime | None = None) -> Call:
    """Edit a call (owner or supervisor); only a supervisor changes ``received_at``. A new outcome moves the
    status (resolved closes the call, any other outcome reopens a closed one) through the engine, with the
    outcome before and after on the move's event (closed / reopened) on the call's timeline; an edit that
    keeps the outcome keeps the status."""
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if not call_may_edit(by.user, locked):
            raise PermissionRefused(_("Only the call's owner or a supervisor edits it."))
        outcome = data.get("outcome", locked.outcome)
        action = _outcome_move(locked, outcome)
        if action is None:
            _edit(locked, by=by, data=data, received_at=received_at)
            locked._history_user = by.user
            locked.save()
            return locked
        outcomes = {"from_outcome": locked.outcome, "to_outcome": outcome}
        return _move(locked, action, by=by, data=outcomes, event_extra=outcomes,
                     apply=lambda rec, ctx: _edit(rec, by=by, data=data, received_at=received_at))


def call_add_note(*, call: Call, by: Employee, text: str) -> CallEvent:
    """A follow-up note by anyone who may edit the call: an event that moves nothing."""
    text = (text or "").strip()
    if not text:
        raise CallError(_("Write the note first."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call_may_edit(by.user, call):
            raise PermissionRefused(_("Only the call's owner or a supervisor adds notes."))
        return _note(call, CallEvent.Kind.NOTE, by, text)


def call_department_reply(*, call: Call, by: Employee, text: str) -> CallEvent:
    """The department the call was transferred to records its reply (a move that keeps the call open: a
    handler of that department only); the owner is told."""
    text = (text or "").strip()
    if not text:
        raise CallError(_("Write the reply first."))

    def apply(rec, ctx):
        rec.department_replied_at = ctx.now

    with transaction.atomic():
        call = _move(call, "reply", by=by, comment=text, apply=apply)
        event = _last_event(call)
        notification_send(
            recipient=call.owner,
            message=gettext_lazy("%(department)s replied on call %(number)s."),
            params={"department": by.department.name, "number": call.number},
            link=reverse("tickets:detail", args=[call.pk]), key=f"call-dept-reply-{event.pk}",
        )
    return event


def call_hand_over(*, call: Call, by: Employee, to: Employee, reason: str) -> CallEvent:
    """首问负责: the owner (or a supervisor) hands the open call to a named colleague, with a reason (a move
    that keeps the call open)."""
    reason = (reason or "").strip()
    if not reason:
        raise CallError(_("Give the reason for handing the call over."))

    def apply(rec, ctx):
        if to.pk == rec.owner_id:
            raise CallError(_("The call already belongs to %(name)s.") % {"name": to.name})
        if not to.active or not can(to.user, "tickets.log_call"):
            raise CallError(_("%(name)s cannot take calls.") % {"name": to.name})
        owners["from_owner_id"] = rec.owner_id  # the event's columns, written after this
        rec.owner = to
        rec.reply_reminded_at = None  # the new owner gets their own reminder

    owners = {"to_owner": to}
    with transaction.atomic():
        call = _move(call, "hand_over", by=by, comment=reason, apply=apply, event_extra=owners)
        event = _last_event(call)
        notification_send(
            recipient=to, message=gettext_lazy("Call %(number)s was handed to you: %(reason)s"),
            params={"number": call.number, "reason": reason[:200]},
            link=reverse("tickets:detail", args=[call.pk]), key=f"call-handover-{event.pk}",
        )
    return event


def call_complaint_refusal(call: Call) -> None:
    """Raise :class:`CallError` when no complaint may be opened from ``call`` (voided, or already one)."""
    if call.status == Call.Status.VOIDED:
        raise CallError(_("Call %(number)s is void: no complaint can be opened from it.") % {"number": call.number})
    if call.outcome == Call.Outcome.COMPLAINT:
        raise CallError(_("Call %(number)s was already opened as a complaint.") % {"number": call.number})


def call_mark_opened_as_complaint(*, call: Call, by: Employee) -> Call:
    """The complaints app calls this when a complaint is opened from ``call`` (outcome 转投诉), inside its
    own transaction and before it writes the complaint. The call is locked, so two complaints opened from
    one call at the same moment cannot both pass: a voided call, or one already opened as a complaint,
    raises :class:`CallError` (and the caller's transaction writes nothing). Returns the locked, fresh
    call. The edit lands in the call's history with ``by`` as the user; the status does not move."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        call_complaint_refusal(call)
        call.outcome = Call.Outcome.COMPLAINT
        call._history_user = by.user
        call.save(update_fields=["outcome", "updated_at"])
        _note(call, CallEvent.Kind.COMPLAINT, by)
    return call


def call_close_checked(*, call: Call, by: Employee, note: str = "") -> Call:
    """Close from the call page: the owner or a supervisor, an open call."""
    if not call_may_edit(by.user, call):
        raise PermissionRefused(FORBIDDEN["close"])
    return _move(call, "close", by=by, comment=note)


def call_registered(*, call: Call, by: Employee | None, closed_at: dt.datetime | None = None) -> Call:
    """Save a call of an earlier register (``import_calls``, the demo's register of earlier days): logged when it
    was received — open, or with ``closed_at`` closed then — by ``by`` (the importer), or by the product itself
    (``by=None``) when the import names nobody. One move and one event, as at intake. The clocks start as at
    intake: a missing promised-reply time and a repair call-back mark on the settings' rule (``tickets.clocks``)."""
    if closed_at is not None:
        call.closed_at = closed_at
    if call.outcome in (Call.Outcome.REPLY_PROMISED, Call.Outcome.TRANSFERRED) and call.reply_due_at is None:
        clocks.reply_due_start(call)  # the register gave no due time: the settings' rule, stored
    if follows_repair(call):
        clocks.repair_callback_start(call)
    return create(CALL, call, "log_resolved" if closed_at is not None else "log", by=by, at=call.received_at,
                  data={"outcome": call.outcome, "register": True})


def call_void(*, call: Call, by: Employee, reason: str) -> Call:
    """Only a supervisor voids a call (open or closed), with a reason. It stays, marked, and counts nowhere."""
    reason = (reason or "").strip()
    if not can(by.user, "tickets.void_call"):
        raise PermissionRefused(FORBIDDEN["void"])
    if not reason:
        raise CallError(_("Give the reason for voiding the call."))

    def apply(rec, ctx):
        rec.void_reason = reason[:300]
        revisits_cancel_for_void(rec)

    return _move(call, "void", by=by, comment=reason, apply=apply)


# --- reminders -------------------------------------------------------------------------------------

REMINDER_BATCH = 500


@dataclass
class ReminderResult:
    due_sent: int = 0
    overdue_sent: int = 0


def call_reply_reminders_send(*, now: dt.datetime | None = None, batch: int = REMINDER_BATCH) -> ReminderResult:
    """Remind owners before a promised reply is due, and the owner's supervisor once it is overdue.
    Each notice has a key, so the notifications table's unique constraint sends it once even when two
    workers run this at the same moment; the ``*_at`` stamps only keep later runs from scanning again."""
    now = now or timezone.now()
    settings = IntakeSettings.current()
    lead = dt.timedelta(minutes=settings.remind_before_minutes)
    result = ReminderResult()
    # a repair request sent to a department has its own reminder, at the call-back mark (never before it)
    open_with_due = Call.objects.filter(status=Call.Status.OPEN, reply_due_at__isnull=False).exclude(
        category=Call.Category.REPAIR, outcome=Call.Outcome.TRANSFERRED)

    due = list(open_with_due.filter(reply_reminded_at__isnull=True, reply_due_at__lte=now + lead,
                                    reply_due_at__gt=now)
               .select_related("owner").order_by("reply_due_at")[:batch])
    for call in due:
        sent = notification_send(
            recipient=call.owner,
            message=gettext_lazy("Reply due at %(due)s for call %(number)s: %(summary)s"),
            params={"due": timezone.localtime(call.reply_due_at).strftime("%H:%M"), "number": call.number,
                    "summary": call.summary[:100]},
            link=reverse("tickets:detail", args=[call.pk]), key=f"call-reply-due-{call.pk}",
        )
        result.due_sent += sent is not None
        Call.objects.filter(pk=call.pk, reply_reminded_at__isnull=True).update(reply_reminded_at=now)

    overdue = list(open_with_due.filter(overdue_notified_at__isnull=True, reply_due_at__lte=now)
                   .select_related("owner__supervisor", "owner__department__head").order_by("reply_due_at")[:batch])
    for call in overdue:
        boss = call.owner.supervisor or call.owner.department.head
        if boss is not None and boss.pk != call.owner_id:
            sent = notification_send(
                recipient=boss,
                message=gettext_lazy("Overdue: call %(number)s owned by %(owner)s was due at %(due)s."),
                params={"number": call.number, "owner": call.owner.name,
                        "due": timezone.localtime(call.reply_due_at).strftime("%Y-%m-%d %H:%M")},
                link=reverse("tickets:detail", args=[call.pk]), key=f"call-reply-overdue-{call.pk}",
            )
            result.overdue_sent += sent is not None
        Call.objects.filter(pk=call.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=now)
    return result


# --- customers -------------------------------------------------------------------------------------


def customer_update(*, customer: Customer, by: Employee, data: dict, add_phone: str = "") -> Customer:
    user = by.user
    if not can(user, "tickets.edit_customers"):
        raise PermissionRefused(_("You may not edit customer profiles."))
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.merged_into_id:
            raise CallError(_("This profile was merged into another one; edit that one."))
        for field in ("name", "address_form", "organisation", "address", "tags", "notes"):
            if field in data:
                setattr(customer, field, data[field])
        customer._history_user = user
        customer.save()
        try:
            number = checked_phone(add_phone)
        except PhoneRejected as exc:
            raise CallError(str(exc)) from None
        if number:
            owner = CustomerPhone.objects.filter(number=number).select_related("customer").first()
            if owner is not None and owner.customer_id != customer.pk:
                raise CallError(_("%(phone)s belongs to another profile (%(name)s): merge the two profiles instead.")
                                % {"phone": number, "name": owner.customer})
            if owner is None:
                phone = CustomerPhone(customer=customer, number=number)
                phone._history_user = user
                phone.save()
    return customer


def customer_records_move(queryset, *, target: Customer, by: Employee, reason: str) -> int:
    """Point the rows of ``queryset`` (a model with a ``customer`` field) at ``target``, each with a history
    entry (``by``, ``reason``). For :func:`customer_merge` and the apps' merge hooks."""
    user = by.user
    rows = list(queryset)
    for row in rows:
        row.customer = target
    if rows:
        bulk_update_with_history(rows, queryset.model, ["customer"], batch_size=500, default_user=user,
                                 default_change_reason=reason)
    return len(rows)


def customer_merge(*, source: Customer, target: Customer, by: Employee) -> Customer:
    """Merge ``source`` into ``target``: its numbers and calls move over (and, through the hooks of
    :func:`csmgmt.core.registry.register_customer_merge`, other apps' records such as complaints), ``source``
    stays (marked ``merged_into``) so links to it keep working. Every moved row gets a history entry."""
    user = by.user
    if not can(user, "tickets.merge_customers"):
        raise PermissionRefused(_("Only a supervisor merges customer profiles."))
    if source.pk == target.pk:
        raise CallError(_("Choose two different profiles."))
    with transaction.atomic():
        locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
        source, target = locked[source.pk], locked[target.pk]
        if source.merged_into_id or target.merged_into_id:
            raise CallError(_("A profile that was already merged cannot be merged again."))
        reason = _("merged %(source)s into %(target)s") % {"source": source.pk, "target": target.pk}
        customer_records_move(source.phones.all(), target=target, by=by, reason=reason)
        customer_records_move(Call.objects.filter(customer=source), target=target, by=by, reason=reason)
        for hook in customer_merge_hooks():
            hook(source=source, target=target, by=by, reason=reason)
        for field in ("name", "organisation", "address_form", "address"):
            if not getattr(target, field) and getattr(source, field):
                setattr(target, field, getattr(source, field))
        target.tags = list(dict.fromkeys([*target.tags, *source.tags]))
        if source.notes:
            target.notes = f"{target.notes}\n{source.notes}".strip()
        target._history_user = user
        target._change_reason = reason
        target.save()
        source.merged_into = target
        source._history_user = user
        source._change_reason = reason
        source.save(update_fields=["merged_into", "updated_at"])
    return target


# --- scripts ---------------------------------------------------------------------------------------


def script_update(*, script: Script, by: Employee, text: str, active: bool = True) -> Script:
    if not can(by.user, "tickets.manage_scripts"):
        raise PermissionRefused(_("Only a manager edits the scripts."))
    if not (text or "").strip():
        raise CallError(_("A script needs its text."))
    with transaction.atomic():
        script = Script.objects.select_for_update().get(pk=script.pk)
        script.text = text.strip()
        script.active = active
        script._history_user = by.user
        script.save()
    return script


SETTINGS_FIELDS = ("phone_reply_hours", "phone_reply_unit", "email_reply_hours", "email_reply_unit",
                   "remind_before_minutes", "repair_callback_minutes", "repair_callback_unit")


def intake_settings_save(*, by: Employee, data: dict) -> IntakeSettings:
    if not can(by.user, "tickets.manage_scripts"):
        raise PermissionRefused(_("Only a manager changes these settings."))
    with transaction.atomic():
        obj = IntakeSettings.objects.select_for_update().order_by("pk").first() or IntakeSettings()
        for field in SETTINGS_FIELDS:
            setattr(obj, field, data[field])
        obj._history_user = by.user
        obj.save()
    return obj


def call_create_for_agent(*, by: Employee, agent: Employee, data: dict, exchange_call_id: str = "") -> Call:
    """A call an integration logs for the agent who took it (issue 21): the agent's own rules apply
    (:func:`call_create` as that agent), and the integration's system employee ``by`` leaves a note in the same
    trail, in the same transaction."""
    with transaction.atomic():
        call = call_create(by=agent, data=data, exchange_call_id=exchange_call_id)
        _note(call, CallEvent.Kind.NOTE, by, _("Logged through the integration “%(name)s”.") % {"name": by.name})
    return call


# The valid-call check and the repair follow-up live in ``tickets.follow_up`` (this module would pass 600 lines);
# they are services of the app like the ones above, importable from here.
from .follow_up import (REPAIR_CALLBACK_HORIZON, call_marking_violation_record, call_repair_finished,  # noqa: E402
                        call_repair_on_site, call_valid_check, repair_callback_remind,
                        repair_callback_reminders_send, repair_callbacks_due)

__all__ += ["REPAIR_CALLBACK_HORIZON", "call_marking_violation_record", "call_repair_finished", "call_repair_on_site",
            "call_repair_revisit", "call_valid_check", "repair_callback_remind", "repair_callback_reminders_send",
            "repair_callbacks_due"]

