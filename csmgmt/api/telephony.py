"""Telephony events (issue 21): the exchange tells us a call rang, was answered, hung up, was recorded.

Each (exchange call id, event, extension) is taken once; events may come in any order — each fills its own times
and never undoes another's, so the call's picture is the same whatever the order. Missed inbound calls wait in the
call-back queue; answered calls not logged 10 minutes after hang-up are on the agent's "calls to log" list."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import Employee
from tickets.models import Call
from tickets.phones import normalize_phone
from tickets.workflow import CallError

from .models import ExchangeCall, ExchangeEvent, ExchangeLeg, Integration
from .reports import MISSED  # the one rule of a missed call (queue, workbook, dashboard)

LOG_WITHIN = dt.timedelta(minutes=10)  # REGULATIONS §2: every contact is logged


class TelephonyError(Exception):
    """A refusal with a message for the caller."""


@dataclass
class EventResult:
    exchange_call: ExchangeCall
    duplicate: bool


def _employee_at(extension: str) -> Employee | None:
    if not extension:
        return None
    return Employee.objects.filter(extension=extension, active=True).first()


def _leg(xcall: ExchangeCall, extension: str) -> ExchangeLeg:
    leg, _made = ExchangeLeg.objects.get_or_create(exchange_call=xcall, extension=extension,
                                                   defaults={"employee": _employee_at(extension)})
    return leg


def telephony_event(*, integration: Integration, event: str, call_id: str, at: dt.datetime | None = None,
                    caller: str = "", called: str = "", extension: str = "", direction: str = "",
                    cause: str = "", duration: int | None = None, recording: str = "") -> EventResult:
    if event not in ExchangeEvent.Kind.values:
        raise TelephonyError(_("Unknown event %(event)s.") % {"event": event})
    call_id = (call_id or "").strip()[:100]
    if not call_id:
        raise TelephonyError(_("Give the exchange's call id."))
    if event in (ExchangeEvent.Kind.ANSWERED,) and not extension:
        raise TelephonyError(_("Say which extension answered."))
    at = at or timezone.now()
    key_extension = extension if event in (ExchangeEvent.Kind.RINGING, ExchangeEvent.Kind.ANSWERED) else ""
    with transaction.atomic():
        xcall, _made = ExchangeCall.objects.get_or_create(exchange_id=call_id, defaults={"integration": integration})
        xcall = ExchangeCall.objects.select_for_update().get(pk=xcall.pk)
        if xcall.call_id is None:  # logged before the exchange told us of it (intake, POST /api/calls): one call
            xcall.call_id = Call.objects.filter(exchange_call_id=call_id).values_list("pk", flat=True).first()
        try:
            with transaction.atomic():
                ExchangeEvent.objects.create(exchange_call=xcall, kind=event, extension=key_extension, at=at,
                                             data={k: v for k, v in (("caller", caller), ("called", called),
                                                                     ("direction", direction), ("cause", cause),
                                                                     ("duration", duration),
                                                                     ("recording", recording)) if v not in ("", None)})
        except IntegrityError:
            return EventResult(exchange_call=xcall, duplicate=True)
        _apply(xcall, event, at=at, caller=caller, called=called, extension=extension, direction=direction,
               cause=cause, duration=duration, recording=recording)
        xcall._history_user = integration.employee.user
        xcall.save()
    return EventResult(exchange_call=xcall, duplicate=False)


def _apply(xcall, event, *, at, caller, called, extension, direction, cause, duration, recording):
    if caller and not xcall.caller:
        xcall.caller = normalize_phone(caller)[:30]
    if called and not xcall.called:
        xcall.called = called[:30]
    if direction in ExchangeCall.Direction.values and not xcall.direction:
        xcall.direction = direction
    if event == ExchangeEvent.Kind.RINGING:
        xcall.ringing_at = min(xcall.ringing_at, at) if xcall.ringing_at else at
        if extension:
            leg = _leg(xcall, extension)
            if leg.rang_at is None or at < leg.rang_at:
                leg.rang_at = at
                leg.save(update_fields=["rang_at"])
    elif event == ExchangeEvent.Kind.ANSWERED:
        if xcall.answered_at is None or at < xcall.answered_at:
            xcall.answered_at, xcall.answered_extension = at, extension
            xcall.agent = _employee_at(extension)
        leg = _leg(xcall, extension)
        leg.answered_at = min(leg.answered_at, at) if leg.answered_at else at
        leg.save(update_fields=["answered_at"])
    elif event == ExchangeEvent.Kind.HANGUP:
        xcall.ended_at = at
        xcall.cause = cause[:50]
        if duration is not None:
            xcall.duration_seconds = max(0, int(duration))
        if recording and not xcall.recording:  # a recording event's reference, when both come, is the one kept
            xcall.recording = recording[:500]
    elif event == ExchangeEvent.Kind.RECORDING:
        xcall.recording = recording[:500]
    if xcall.ringing_at is None:  # an event before the ringing: the call began no later than this
        xcall.ringing_at = at
    _settle_legs(xcall)


def _settle_legs(xcall) -> None:
    """Each leg's end follows from the call, whatever the order the events came in: the answering leg ends at the
    hang-up; every other stops ringing when the call is answered (its pop-up goes) or hung up."""
    ExchangeLeg.objects.filter(exchange_call=xcall, answered_at__isnull=False).update(ended_at=xcall.ended_at)
    ExchangeLeg.objects.filter(exchange_call=xcall, answered_at__isnull=True).update(
        ended_at=xcall.answered_at or xcall.ended_at)


# --- a call logged with the exchange's call id (csmgmt.core.registry.CallLink) ----------------------------------


def exchange_rang_at(call_id: str) -> dt.datetime | None:
    """When the exchange says the call rang (None: it has not told us of the call)."""
    return ExchangeCall.objects.filter(exchange_id=call_id).values_list("ringing_at", flat=True).first()


def exchange_call_logged(*, call: Call, by: Employee) -> None:
    """Ties the exchange's record of the call to the call just logged (in its transaction), so the call is one
    record and leaves the "calls to log" list. Refused (``CallError``, nothing saved) when the exchange's call is
    logged already, was never answered (a missed call is called back from its queue), or was answered by another
    agent. An id the exchange has not sent yet stays on the call: its first event finds the call by it."""
    xcall = ExchangeCall.objects.select_for_update().filter(exchange_id=call.exchange_call_id).first()
    if xcall is None:
        return
    values = {"id": xcall.exchange_id}
    if xcall.call_id is not None and xcall.call_id != call.pk:
        raise CallError(_("The exchange's call %(id)s is already logged.") % values)
    if xcall.missed:
        raise CallError(_("The exchange's call %(id)s was never answered: call the customer back from the "
                          "missed-call queue.") % values)
    if xcall.agent_id is not None and xcall.agent_id != call.agent_id:
        raise CallError(_("The exchange's call %(id)s was answered by %(name)s, who logs it.")
                        % {**values, "name": xcall.agent.name})
    xcall.call = call
    xcall._history_user = by.user
    xcall.save(update_fields=["call"])


# --- the lists ------------------------------------------------------------------------------------------------


def calls_to_log(employee: Employee, *, now: dt.datetime | None = None):
    """Answered by ``employee``, hung up at least 10 minutes ago, not logged (one indexed query)."""
    now = now or timezone.now()
    return (ExchangeCall.objects.filter(agent=employee, call__isnull=True, answered_at__isnull=False,
                                        ended_at__lte=now - LOG_WITHIN)
            .order_by("ended_at", "id"))


def missed_calls():
    """The call-back queue: inbound calls never answered, not yet called back."""
    return (ExchangeCall.objects.filter(MISSED, callback_call__isnull=True)
            .select_related("callback_owner").order_by("ended_at", "id"))


def ringing_for(employee: Employee):
    """What rings at ``employee``'s desk now: the pop-up's one indexed query."""
    return (ExchangeLeg.objects.filter(employee=employee, ended_at__isnull=True, rang_at__isnull=False)
            .select_related("exchange_call").order_by("-rang_at", "-id"))


# --- the writes of the lists ----------------------------------------------------------------------------------


def missed_call_take(*, exchange_call: ExchangeCall, by: Employee) -> ExchangeCall:
    """Whoever takes a missed call owns its call-back."""
    with transaction.atomic():
        xcall = ExchangeCall.objects.select_for_update().get(pk=exchange_call.pk)
        if not xcall.missed:
            raise TelephonyError(_("This call was not missed."))
        if xcall.callback_owner_id is not None and xcall.callback_owner_id != by.pk:
            raise TelephonyError(_("%(name)s already took this call-back.") % {"name": xcall.callback_owner.name})
        xcall.callback_owner, xcall.callback_taken_at = by, xcall.callback_taken_at or timezone.now()
        xcall._history_user = by.user
        xcall.save(update_fields=["callback_owner", "callback_taken_at"])
    return xcall


def exchange_call_link(*, exchange_call: ExchangeCall, by: Employee, call: Call) -> ExchangeCall:
    """The logged call of an answered call, or the call-back of a missed one (its owner's, from the same
    number)."""
    with transaction.atomic():
        xcall = ExchangeCall.objects.select_for_update().get(pk=exchange_call.pk)
        if xcall.missed:
            if xcall.callback_owner_id != by.pk:
                raise TelephonyError(_("Take the missed call first: its call-back is yours then."))
            if xcall.callback_call_id is not None:
                raise TelephonyError(_("The call-back is already linked."))
            if call.direction != Call.Direction.OUTBOUND or call.caller_phone != xcall.caller:
                raise TelephonyError(_("The call-back is an outbound call to %(phone)s.") % {"phone": xcall.caller})
            xcall.callback_call = call
            fields = ["callback_call"]
        else:
            if xcall.agent_id != by.pk:
                raise TelephonyError(_("Only the agent who answered logs this call."))
            if xcall.call_id is not None:
                raise TelephonyError(_("This call is already logged."))
            if call.agent_id != by.pk:
                raise TelephonyError(_("Call %(number)s was taken by someone else.") % {"number": call.number})
            xcall.call = call
            fields = ["call"]
        xcall._history_user = by.user
        xcall.save(update_fields=fields)
    return xcall


# --- click-to-dial --------------------------------------------------------------------------------------------


def dial(*, by: Employee, number: str) -> ExchangeCall:
    """Ask the exchange (its configured webhook) to ring the agent's extension and dial ``number``. The call is
    made here with its own call id, which the exchange sends back on every event: one call, not two."""
    import json
    import urllib.error
    import urllib.request
    import uuid

    from django.conf import settings

    if not settings.TELEPHONY_DIAL_URL:
        raise TelephonyError(_("Click-to-dial is not set up (TELEPHONY_DIAL_URL)."))
    if not by.extension:
        raise TelephonyError(_("You have no extension: ask an administrator to set it."))
    digits = normalize_phone(number)
    if len(digits) < 3:
        raise TelephonyError(_("Give a whole phone number."))
    call_id = f"csm-{uuid.uuid4().hex}"
    body = json.dumps({"call_id": call_id, "extension": by.extension, "number": digits}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.TELEPHONY_DIAL_TOKEN:
        headers["Authorization"] = f"Bearer {settings.TELEPHONY_DIAL_TOKEN}"
    request = urllib.request.Request(settings.TELEPHONY_DIAL_URL, data=body, headers=headers, method="POST")
    with transaction.atomic():  # the call exists before the exchange can send its first event; gone if refused
        xcall = ExchangeCall(exchange_id=call_id, direction=ExchangeCall.Direction.OUTBOUND, caller=digits,
                             called=by.extension, dialled_by=by, agent=by)
        xcall._history_user = by.user
        xcall.save()
        try:
            with urllib.request.urlopen(request, timeout=settings.TELEPHONY_DIAL_TIMEOUT) as response:
                response.read(1024)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TelephonyError(_("The exchange did not take the call: %(error)s") % {"error": exc}) from None
    return xcall
