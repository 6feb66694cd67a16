"""``/api/``: the integration API (django-ninja; its OpenAPI documentation at ``/api/docs``, for logged-in staff).

Every request carries ``Authorization: Bearer <token>``; each endpoint names the ability it needs. A refusal is
JSON ``{"error": code, "detail": reason}`` with the status that fits (401 token, 403 ability or rule, 404, 429
throttled, 400 refused by the service). Writes go through the apps' services as the integration's system employee."""

import datetime as dt
from functools import wraps
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.security.http import HttpAuthBase

from complaints.models import Complaint
from lostfound.selectors import found_items_search
from staff.models import Employee
from tickets import services as call_services
from tickets.models import Call
from tickets.phones import normalize_phone

from . import telephony
from .models import Ability
from .selectors import customer_by_phone
from .services import Refused, ability_check, customer_lookup_record, integration_authenticate


class BearerToken(HttpAuthBase):
    """``Authorization: Bearer <token>``; a missing, unknown or revoked token is refused with its reason."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        return integration_authenticate(token if scheme.lower() == "bearer" else "")


api = NinjaAPI(title="csmgmt", version="1", urls_namespace="api", auth=BearerToken(),
               docs_decorator=login_required,
               description="The integration API of csmgmt. Each integration's token is made by a manager "
                           "(Integrations page) and shown once; send it as `Authorization: Bearer <token>`.")


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    return api.create_response(request, {"error": exc.code, "detail": exc.message}, status=exc.status)


def _need(request, ability: str):
    ability_check(request.auth, ability)
    return request.auth


class Error(Schema):
    error: str
    detail: str


# --- customers ------------------------------------------------------------------------------------------------

class HistoryCall(Schema):
    number: str
    received_at: dt.datetime
    category: str
    summary: str
    status: str


class HistoryComplaint(Schema):
    number: str
    received_at: dt.datetime
    stage: str


class CustomerOut(Schema):
    id: int
    name: str
    organisation: str
    phones: list[str]


class LookupOut(Schema):
    phone: str
    found: bool
    customer: CustomerOut | None = None
    calls: list[HistoryCall] = []
    complaints: list[HistoryComplaint] = []


@api.get("/customers/lookup", response={200: LookupOut, 400: Error, 401: Error, 403: Error, 429: Error},
         tags=["customers"], summary="Look a customer up by phone (ability customers.lookup; every lookup recorded)")
def customer_lookup(request, phone: str):
    integration = _need(request, Ability.CUSTOMERS_LOOKUP)
    number = normalize_phone(phone)
    if len(number) < 5:
        raise Refused(400, "phone_invalid", _("Give a whole phone number."))
    found = customer_by_phone(number)
    customer_lookup_record(integration=integration, phone=number, found=found.customer is not None)
    return {"phone": number, "found": found.customer is not None, "customer": found.customer_out(),
            "calls": found.calls, "complaints": found.complaints}


# --- calls ----------------------------------------------------------------------------------------------------

class CallIn(Schema):
    agent: str  # the employee number of the agent who took the call
    caller_phone: str = ""
    caller_name: str = ""
    direction: Literal[tuple(Call.Direction.values)] = Call.Direction.INBOUND.value
    channel: Literal[tuple(Call.Channel.values)] = Call.Channel.PHONE.value
    category: Literal[tuple(Call.Category.values)] = Call.Category.ENQUIRY.value
    summary: str
    details: str = ""
    outcome: Literal[tuple(v for v in Call.Outcome.values if v != "complaint")] = Call.Outcome.RESOLVED.value
    valid: bool | None = None
    exchange_call_id: str = ""  # the exchange's id of the call: the call is tied to its events (one call, not two)


class CallOut(Schema):
    number: str
    received_at: dt.datetime
    channel: str
    direction: str
    caller_phone: str
    caller_name: str
    category: str
    summary: str
    details: str
    outcome: str
    status: str
    agent: str
    owner: str
    exchange_call_id: str


def _call_out(call: Call) -> dict:
    return {**{f: getattr(call, f) for f in ("number", "received_at", "channel", "direction", "caller_phone",
                                             "caller_name", "category", "summary", "details", "outcome",
                                             "status", "exchange_call_id")},
            "agent": call.agent.employee_no, "owner": call.owner.employee_no}


@api.post("/calls", response={201: CallOut, 400: Error, 401: Error, 403: Error, 429: Error}, tags=["calls"],
          summary="Log a call for the agent who took it (ability calls.write)")
def call_create(request, payload: CallIn):
    integration = _need(request, Ability.CALLS_WRITE)
    agent = Employee.objects.select_related("user").filter(employee_no=payload.agent.strip(), active=True).first()
    if agent is None:
        raise Refused(400, "agent_unknown", _("No active employee has the number %(no)s.") % {"no": payload.agent})
    if not payload.summary.strip():
        raise Refused(400, "summary_missing", _("Give the call's summary."))
    data = payload.dict(exclude={"agent", "exchange_call_id"})
    try:
        call = call_services.call_create_for_agent(by=integration.employee, agent=agent, data=data,
                                                   exchange_call_id=payload.exchange_call_id)
    except call_services.PermissionRefused as exc:
        raise Refused(403, "refused", str(exc)) from None
    except call_services.CallError as exc:
        raise Refused(400, "refused", str(exc)) from None
    return 201, _call_out(call)


@api.get("/calls/{number}", response={200: CallOut, 401: Error, 403: Error, 404: Error, 429: Error},
         tags=["calls"], summary="Read a call by its number (ability calls.read)")
def call_read(request, number: str):
    _need(request, Ability.CALLS_READ)
    call = Call.objects.select_related("agent", "owner").filter(number=number).first()
    if call is None:
        raise Refused(404, "not_found", _("No call has the number %(number)s.") % {"number": number})
    return _call_out(call)


# --- complaints -----------------------------------------------------------------------------------------------

class ClockOut(Schema):
    kind: str
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    state: str


class ComplaintOut(Schema):
    number: str
    stage: str
    stage_label: str
    received_at: dt.datetime
    clocks: list[ClockOut]


@api.get("/complaints/{number}", response={200: ComplaintOut, 401: Error, 403: Error, 404: Error, 429: Error},
         tags=["complaints"], summary="A complaint's stage and clocks (ability complaints.read)")
def complaint_read(request, number: str):
    _need(request, Ability.COMPLAINTS_READ)
    complaint = Complaint.objects.filter(number=number).prefetch_related("clocks").first()
    if complaint is None:
        raise Refused(404, "not_found", _("No complaint has the number %(number)s.") % {"number": number})
    return {"number": complaint.number, "stage": complaint.stage, "stage_label": complaint.get_stage_display(),
            "received_at": complaint.received_at,
            "clocks": [{"kind": c.kind, "started_at": c.started_at, "due_at": c.due_at, "met_at": c.met_at,
                        "state": c.state} for c in complaint.clocks.all()]}


# --- lost and found -------------------------------------------------------------------------------------------

class FoundItemOut(Schema):
    number: str
    category: str
    description: str
    found_place: str
    found_at: dt.datetime
    status: str


@api.get("/found-items", response={200: list[FoundItemOut], 401: Error, 403: Error, 429: Error},
         tags=["lost and found"], summary="Search found items, as the search box does (ability lostfound.search)")
def found_items(request, q: str = "", limit: int = 20):
    _need(request, Ability.LOSTFOUND_SEARCH)
    limit = max(1, min(limit, 100))
    fields = ("number", "category", "description", "found_place", "found_at", "status")
    return list(found_items_search(q=q[:100]).select_related(None).values(*fields)[:limit])




# --- telephony ------------------------------------------------------------------------------------------------

class TelephonyEventIn(Schema):
    event: Literal["ringing", "answered", "hangup", "recording"]
    call_id: str  # the exchange's own id of the call: every event of one call carries it
    at: dt.datetime | None = None  # when it happened (default: when it arrives)
    caller: str = ""
    called: str = ""  # the number or extension called
    extension: str = ""  # ringing: where it rings; answered: who answered
    direction: Literal["in", "out", ""] = ""
    cause: str = ""  # hangup
    duration: int | None = None  # hangup: seconds talked
    recording: str = ""  # recording: the exchange's reference of the recording


class TelephonyEventOut(Schema):
    call_id: str
    duplicate: bool
    answered: bool
    missed: bool


@api.post("/telephony/events", response={200: TelephonyEventOut, 400: Error, 401: Error, 403: Error, 429: Error},
          tags=["telephony"], summary="An event of the telephone exchange (ability telephony); idempotent, any order")
def telephony_event(request, payload: TelephonyEventIn):
    integration = _need(request, Ability.TELEPHONY)
    try:
        done = telephony.telephony_event(integration=integration, event=payload.event, call_id=payload.call_id,
                                         at=payload.at, caller=payload.caller, called=payload.called,
                                         extension=payload.extension.strip(), direction=payload.direction,
                                         cause=payload.cause, duration=payload.duration,
                                         recording=payload.recording)
    except telephony.TelephonyError as exc:
        raise Refused(400, "refused", str(exc)) from None
    xcall = done.exchange_call
    return {"call_id": xcall.exchange_id, "duplicate": done.duplicate, "answered": xcall.answered_at is not None,
            "missed": xcall.missed}


_URLS = []


def _by_token(view):
    """An endpoint that answers by its bearer token: no login page, no CSRF cookie (nothing rides on a session)."""

    @wraps(view)
    def endpoint(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    endpoint.login_required = False  # django.contrib.auth.middleware.LoginRequiredMiddleware
    endpoint.csrf_exempt = True
    return endpoint


def urls():
    """``api.urls``, the endpoints answering by token instead of the login page (the documentation stays for
    logged-in staff). Built once: django-ninja refuses a second ``api.urls`` (a reloaded URLconf asks again)."""
    if not _URLS:
        patterns, app_name, namespace = api.urls
        patterns = [p if p.name in ("openapi-json", "openapi-view")
                    else URLPattern(p.pattern, _by_token(p.callback), p.default_args, p.name) for p in patterns]
        _URLS.append((patterns, app_name, namespace))
    return _URLS[0]
