"""Reads for call intake, with the object-level rules: customer-service roles see every call; a
department handler sees only calls transferred to their own department."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csmgmt.core.deadlines import by_deadline
from csmgmt.core.permissions import can, has_role
from csmgmt.core.roles import Role
from csmgmt.core.registry import (OPEN_ITEMS_LIMIT, HistoryItem, OpenItem, caller_history_providers,
                                  records_from_call_providers)
from csmgmt.core.search import SearchSpec, search
from csmgmt.core.workflow import actor_roles
from staff.scoring.selectors import can_record_for

from staff.calendars.selectors import holiday_on
from staff.models import PublicDay

from .models import Call, CallEvent, CallRevisit, Customer, CustomerPhone, Script
from .phones import normalize_phone
from .workflow import CALL, EDITORS


def _employee(user):
    return getattr(user, "employee", None)


def calls_visible_to(user) -> QuerySet:
    """Every call ``user`` may see (voided ones included; they are shown marked)."""
    qs = Call.objects.all()
    if can(user, "tickets.view_all_calls"):
        return qs
    employee = _employee(user)
    if employee is not None and can(user, "tickets.view_department_calls"):
        return qs.filter(department_id=employee.department_id)
    return qs.none()


def call_list_qs(user) -> QuerySet:
    return calls_visible_to(user).select_related("agent", "owner", "department")


def apply_call_filters(qs: QuerySet, data: dict) -> QuerySet:
    """The call list's filters (``CallFilterForm.cleaned_data``); each is served by an index of ``Call``."""
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        qs = qs.filter(received_at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz))
    if data.get("date_to"):
        qs = qs.filter(received_at__lt=dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min,
                                                           tzinfo=tz))
    for field in ("category", "channel", "outcome"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if data.get("agent"):
        qs = qs.filter(agent=data["agent"])
    if data.get("department"):
        qs = qs.filter(department=data["department"])
    state = data.get("state")
    if state == "open":
        qs = qs.filter(status=Call.Status.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=Call.Status.OPEN, reply_due_at__lt=timezone.now())
    elif state in ("closed", "voided"):
        qs = qs.filter(status=state)
    q = (data.get("q") or "").strip()
    if q:
        qs = search(qs, q, CALL_SEARCH)
    return qs


# The call list's search box (csmgmt.core.search): summary, details, caller name, organisation; a phone number or
# its start; a call number; a single character is a surname.
CALL_SEARCH = SearchSpec(order=("-received_at", "-id"), name="caller_name", number="number",
                         phones=("caller_phone",), normalize_phone=normalize_phone)


def call_detail(*, user, pk: int) -> Call | None:
    return (calls_visible_to(user).select_related("agent", "owner__supervisor", "department", "customer")
            .filter(pk=pk).first())


def call_events(call: Call) -> list[CallEvent]:
    return list(call.events.select_related("by", "from_owner", "to_owner"))


def call_history_rows(call: Call, limit: int = 50) -> list:
    """The edit trail: each historical row with what changed against the one before."""
    records = list(call.history.select_related("history_user__employee").order_by("-history_date", "-history_id")
                   [: limit + 1])
    rows = []
    for newer, older in zip(records, records[1:] + [None]):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["updated_at", "reply_reminded_at",
                                                                "overdue_notified_at",
                                                                "repair_callback_reminded_at"])
            for change in delta.changes:
                field = Call._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": _display(field, change.old),
                                "new": _display(field, change.new)})
        who = getattr(newer.history_user, "employee", None) or newer.history_user
        rows.append({"when": newer.history_date, "who": who, "type": newer.history_type, "changes": changes})
    return rows[:limit]


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


def call_may_edit(user, call: Call) -> bool:
    """The owner or a supervisor edits and adds notes (the roles of the workflow's ``EDITORS``, who also hand
    over and close); a voided call is not edited any more."""
    employee = _employee(user)
    return (employee is not None and call.status != Call.Status.VOIDED
            and bool(actor_roles(CALL, call, employee) & EDITORS))


def marking_correction(call: Call) -> CallEvent | None:
    """The latest check that corrected the marking, when no violation was recorded for it yet (one query)."""
    events = list(CallEvent.objects.filter(call=call, kind__in=[CallEvent.Kind.VALID_CHECK,
                                                                 CallEvent.Kind.MARKING_VIOLATION])
                  .order_by("-at", "-id"))
    recorded = {e.data.get("correction") for e in events if e.kind == CallEvent.Kind.MARKING_VIOLATION}
    for event in events:
        if event.kind == CallEvent.Kind.VALID_CHECK:
            return event if event.data.get("corrected") and event.pk not in recorded else None
    return None


def may_check_valid(user, call: Call) -> bool:
    """A supervisor checks the valid/invalid marking of an inbound call that is not void."""
    return (call.direction == Call.Direction.INBOUND and call.status != Call.Status.VOIDED
            and can(user, "tickets.check_valid"))


def marking_violation_offered(user, call: Call) -> bool:
    """After a correction, the page offers the violation in one click to a supervisor who may record it for the
    call's agent (their own team's, or a manager: anyone's), until it is recorded."""
    return (can(user, "tickets.check_valid") and call.valid_checked_at is not None
            and can_record_for(user, call.agent) and marking_correction(call) is not None)


def valid_calls_count(period) -> int:
    """有效电话 of a period (anything with ``start`` and ``end``, e.g. ``csmgmt.core.sheets.Period``): inbound calls
    received in it that are valid — as a supervisor checked them, else as the agent marked them; voided calls
    count nowhere."""
    return calls_for_statistics().filter(received_at__gte=period.start, received_at__lt=period.end,
                                         direction=Call.Direction.INBOUND, valid=True).count()


def complaint_url_for(call: Call, user) -> str:
    """The "Open as complaint" link, once the complaints app provides it and the user may register one."""
    if call.status == Call.Status.VOIDED or call.outcome == Call.Outcome.COMPLAINT:
        return ""
    if not can(user, "complaints.register"):
        return ""
    try:
        return reverse("complaints:create_from_call", args=[call.pk])
    except NoReverseMatch:
        return ""


def records_from_call(call: Call, user) -> list:
    """The records other apps opened from ``call`` that ``user`` may see (complaints: number, stage), oldest
    first: each registered provider's one query, whatever their number; empty without such an app."""
    rows = []
    for provider in records_from_call_providers():
        rows.extend(provider(call, user))
    return rows


def department_queue(user) -> QuerySet:
    """Calls transferred to the handler's department: those waiting for the department's reply first, soonest reply
    deadline first (csmgmt.core.deadlines: the reply promised to the customer, counted from the call); then the
    others, newest first."""
    employee = _employee(user)
    if employee is None or not can(user, "tickets.view_department_calls"):
        return Call.objects.none()
    waiting = Q(status=Call.Status.OPEN, department_replied_at__isnull=True)
    return (Call.objects.filter(department_id=employee.department_id)
            .exclude(status=Call.Status.VOIDED)
            .annotate(waiting=Case(When(waiting, then=0), default=1),
                      deadline_due=Case(When(waiting, then=F("reply_due_at"))),
                      deadline_started=F("received_at"))
            .select_related("agent", "owner", "department")
            .order_by("waiting", *by_deadline("-received_at", "-id")))


DEPARTMENT_BADGE_CAPTION = _("Calls transferred to your department that wait for its reply")
MY_CALLS_CAPTION = _("Your open calls, soonest reply first")


def department_waiting_count(user) -> int | None:
    employee = _employee(user)
    if employee is None:
        return None
    n = Call.objects.filter(department_id=employee.department_id, status=Call.Status.OPEN,
                            department_replied_at__isnull=True).count()
    return n or None


def my_open_calls(employee, limit: int = 10) -> list[Call]:
    """The agent's open calls (the home panel): soonest reply deadline first (csmgmt.core.deadlines), the calls
    without a promised reply after them, oldest first."""
    return list(Call.objects.filter(owner=employee, status=Call.Status.OPEN)
                .annotate(deadline_due=F("reply_due_at"), deadline_started=F("received_at"))
                .select_related("department").order_by(*by_deadline("received_at", "id"))[:limit])


# --- "called again" (issue 17) ------------------------------------------------------------------------


def again_url(call: Call) -> str:
    """The page of the call or complaint ``call`` came again about ("" when there is none)."""
    if not call.again_kind or call.again_pk is None:
        return ""
    name = {"call": "tickets:detail", "complaint": "complaints:detail"}.get(call.again_kind)
    try:
        return reverse(name, args=[call.again_pk]) if name else ""
    except NoReverseMatch:
        return ""


def calls_again_about(*, kind: str, pk: int, user) -> list[Call]:
    """The calls that came again about this call or complaint, oldest first, that ``user`` may see: one query
    (the index ``call_again_idx``)."""
    return list(calls_visible_to(user).filter(again_kind=kind, again_pk=pk)
                .only("pk", "number", "received_at", "summary", "status").order_by("received_at", "id"))


# --- the caller-history panel --------------------------------------------------------------------


HISTORY_LIMIT = 20


def calls_history_provider(phones, user) -> list[HistoryItem]:
    """Earlier calls from these numbers (one query)."""
    if not phones or not can(user, "tickets.view_all_calls"):
        return []
    calls = (Call.objects.filter(caller_phone__in=list(phones))
             .only("pk", "number", "summary", "received_at", "status", "category")
             .order_by("-received_at", "-id")[:HISTORY_LIMIT])
    return [
        HistoryItem(kind="call", kind_label=_("Call"), number=c.number,
                    title=f"{c.get_category_display()} · {c.summary}", when=c.received_at,
                    url=reverse("tickets:detail", args=[c.pk]), is_open=c.status == Call.Status.OPEN,
                    status_label=c.get_status_display(), pk=c.pk)
        for c in calls
    ]


@dataclass
class CallerHistory:
    phone: str
    customer: Customer | None
    items: list

    @property
    def again(self) -> HistoryItem | None:
        """The caller's newest open call or complaint: what "called again" (Alt+A) is about."""
        return next((i for i in self.items if i.is_open and i.kind in ("call", "complaint") and i.pk is not None),
                    None)


def caller_history(*, phone: str, user) -> CallerHistory:
    """The profile for ``phone`` and every provider's items, newest first. One query for the profile,
    then each registered provider's own (one each)."""
    number = normalize_phone(phone)
    if len(number) < 5:
        return CallerHistory(phone=number, customer=None, items=[])
    entry = CustomerPhone.objects.select_related("customer").filter(number=number).first()
    customer = entry.customer if entry else None
    items = []
    for provider in caller_history_providers():
        items.extend(provider([number], user))
    items.sort(key=lambda i: i.when, reverse=True)
    return CallerHistory(phone=number, customer=customer, items=items)


# --- customers ------------------------------------------------------------------------------------


def _customer_phone(digits: str, whole: bool) -> Q:
    numbers = CustomerPhone.objects.filter(**({"number": digits} if whole else {"number__startswith": digits}))
    return Q(pk__in=numbers.values("customer_id"))


# The customers' search box (csmgmt.core.search): name, organisation, address; a phone number or its start (any
# of the profile's numbers); a single character is a surname.
CUSTOMER_SEARCH = SearchSpec(order=("-updated_at", "-id"), name="name", phones=(_customer_phone,),
                             normalize_phone=normalize_phone)


def customers_search(q: str) -> QuerySet:
    qs = Customer.objects.filter(merged_into__isnull=True).prefetch_related("phones").order_by("-updated_at", "-id")
    q = (q or "").strip()
    if q:
        qs = search(qs, q, CUSTOMER_SEARCH)
    return qs


def customer_detail(pk: int) -> Customer | None:
    return Customer.objects.select_related("merged_into").prefetch_related("phones", "merged_from").filter(pk=pk).first()


def customer_timeline(*, customer: Customer, user) -> list[HistoryItem]:
    """Every contact of this customer: their calls (by profile or number) and the other apps' records."""
    phones = [p.number for p in customer.phones.all()]
    items = []
    for provider in caller_history_providers():
        items.extend(provider(phones, user))
    seen = {i.number for i in items if i.kind == "call"}
    extra = (Call.objects.filter(customer=customer).exclude(number__in=seen)
             .only("pk", "number", "summary", "received_at", "status", "category").order_by("-received_at")[:50])
    for c in extra:
        items.append(HistoryItem(kind="call", kind_label=_("Call"), number=c.number,
                                 title=f"{c.get_category_display()} · {c.summary}", when=c.received_at,
                                 url=reverse("tickets:detail", args=[c.pk]), is_open=c.status == Call.Status.OPEN,
                                 status_label=c.get_status_display()))
    items.sort(key=lambda i: i.when, reverse=True)
    return items


# --- scripts ---------------------------------------------------------------------------------------


def scripts_for(day: dt.date) -> list[dict]:
    """The scripts panel for ``day``: on a public holiday of the working calendar (REGULATIONS §2, §9) the
    answering script is that holiday's greeting (its own, else the latest one given to a holiday of that name)."""
    holiday = holiday_on(day)
    greeting = ""
    if holiday is not None:
        greeting = holiday.greeting or (PublicDay.objects.filter(kind=PublicDay.Kind.HOLIDAY, name=holiday.name,
                                                                 voided_at__isnull=True).exclude(greeting="")
                                        .order_by("-date").values_list("greeting", flat=True).first() or "")
    out = []
    for script in Script.objects.filter(active=True):
        text = script.text
        label = script.get_kind_display()
        if script.kind == Script.Kind.ANSWER and greeting:
            text = greeting
            label = f"{label} · {holiday.name}"
        lines = [line for line in text.splitlines() if line.strip()]
        out.append({"kind": script.kind, "label": label, "text": text, "lines": lines,
                    "forbidden": script.kind == Script.Kind.FORBIDDEN})
    return out


def calls_for_statistics() -> QuerySet:
    """Calls that count in statistics and reports: voided calls stay in the register but count nowhere."""
    return Call.objects.exclude(status=Call.Status.VOIDED)


def open_calls_for_duty_log() -> list[OpenItem]:
    """For the duty log (REGULATIONS §7): the promised replies (待回复, and calls sent to a department that await
    their answer) and the repair requests not yet done, oldest first (one query)."""
    calls = (Call.objects.filter(status=Call.Status.OPEN,
                                 outcome__in=[Call.Outcome.REPLY_PROMISED, Call.Outcome.TRANSFERRED])
             .select_related("owner", "department").order_by("received_at", "id")[:OPEN_ITEMS_LIMIT])
    items = []
    for call in calls:
        repair = call.category == Call.Category.REPAIR and call.outcome == Call.Outcome.TRANSFERRED
        if repair:
            step = (_("revisit due") if call.repair_finished_at else _("on site, not finished")
                    if call.repair_on_site_at else _("nobody on site yet"))
        else:
            step = call.department.name if call.department else call.get_outcome_display()
        items.append(OpenItem(kind="repair" if repair else "promised_reply", number=call.number, title=call.summary,
                              url=reverse("tickets:detail", args=[call.pk]), due=call.reply_due_at,
                              who=call.owner.name, state=str(step)))
    return items


# --- revisits (REGULATIONS §10, issue 20; the services are ``tickets.revisits``) ------------------------------

REVISIT_QUEUES = ("mine", "team", "unsatisfied")
MY_REVISITS_CAPTION = _("Your calls waiting for their revisit")
UNSATISFIED_CAPTION = _("Unsatisfied revisits of your team waiting for you")


def revisit_team_q(user) -> Q | None:
    """The revisits a supervisor sees as their team's: calls owned by the employees they supervise (or head); a
    manager sees every revisit. None: the user has no team."""
    employee = _employee(user)
    if employee is None or not can(user, "tickets.supervise_revisits"):
        return None
    if has_role(user, Role.MANAGER):  # a manager: everyone's
        return Q()
    return Q(call__owner__supervisor=employee) | Q(call__owner__department__head=employee)


def revisit_queue(user, queue: str, state: str = "") -> QuerySet:
    """One of the revisit lists, soonest due first for the pending ones (the deadline column:
    csmgmt.core.deadlines), newest answer first for the others; sorted in SQL, read a page at a time."""
    employee = _employee(user)
    if employee is None or queue not in REVISIT_QUEUES:
        return CallRevisit.objects.none()
    if queue == "mine":
        qs = CallRevisit.objects.filter(call__owner=employee)
    else:
        team = revisit_team_q(user)
        if team is None:
            return CallRevisit.objects.none()
        qs = CallRevisit.objects.filter(team)
    state = CallRevisit.State.UNSATISFIED if queue == "unsatisfied" else (state or CallRevisit.State.PENDING)
    qs = qs.filter(state=state).select_related("call", "call__owner", "by")
    if state == CallRevisit.State.PENDING:
        return qs.annotate(deadline_due=F("due_at"), deadline_started=F("due_from")).order_by(*by_deadline("id"))
    return qs.order_by("-revisited_at", "-id")


def call_revisits(call: Call) -> list:
    """The call page's revisits, oldest first, each with its trail (two queries)."""
    return list(CallRevisit.objects.filter(call=call).select_related("by", "call")
                .prefetch_related("events__by").order_by("created_at", "id"))


def revisit_visible(user, pk: int) -> CallRevisit | None:
    """A revisit ``user`` may open: customer service sees every call, so every revisit."""
    if not can(user, "tickets.log_call"):
        return None
    return CallRevisit.objects.select_related("call", "call__owner").filter(pk=pk).first()
