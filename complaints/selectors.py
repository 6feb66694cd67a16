"""Reads shared by pages, the navigation badges, the caller-history panel and statistics.

Object-level rule: customer-service staff see every complaint; a department handler sees only the
complaints assigned to their own department (and nothing else). Every view goes through
:func:`complaints_visible_to` / :func:`complaint_for`, the evidence download included."""

import datetime as dt
from typing import NamedTuple

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from csmgmt.core.deadlines import by_deadline
from csmgmt.core.permissions import can, has_role
from csmgmt.core.roles import Role
from csmgmt.core.search import SearchSpec, search
from tickets.phones import normalize_phone

from .models import (OPEN_STAGES, ClockKind, ClockState, Complaint, ComplaintClock, ComplaintEvent, Evidence,
                     FaultLevel, Stage)

LIST_RELATED = ("agent", "responsible_department", "against_department")

# The complaint queues' search box (csmgmt.core.search): number, complainant, content; a phone number or its start;
# a complaint number; a single character is the complainant's surname.
COMPLAINT_SEARCH = SearchSpec(order=("-received_at", "-id"), name="complainant_name", number="number",
                              phones=("complainant_phone",), normalize_phone=normalize_phone)


def complaints_visible_to(user):
    qs = Complaint.objects.all()
    if can(user, "complaints.view_all"):
        return qs
    if can(user, "complaints.view_department"):
        employee = getattr(user, "employee", None)
        if employee is not None:
            return qs.filter(responsible_department_id=employee.department_id)
    return qs.none()


def complaint_visible(user, complaint: Complaint) -> bool:
    if can(user, "complaints.view_all"):
        return True
    if can(user, "complaints.view_department"):
        employee = getattr(user, "employee", None)
        return employee is not None and complaint.responsible_department_id == employee.department_id
    return False


def complaint_for(user, pk: int) -> Complaint:
    """The complaint page's record (404 when missing or not visible to ``user``), with everything
    the page shows in a fixed number of queries."""
    qs = (complaints_visible_to(user)
          .select_related("agent", "responsible_department__head", "responsible_person", "against_department",
                          "source_call", "repeat_of", "responsible_employee", "customer", "plan_writer",
                          "against_employee")
          .prefetch_related(
              Prefetch("events", queryset=ComplaintEvent.objects.select_related("by").order_by("at", "id")),
              Prefetch("clocks", queryset=ComplaintClock.objects.select_related("calendar_department")
                       .order_by("started_at", "id")),
              Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "id")),
          ))
    try:
        return qs.get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


def earlier_from_same_phone(user, complaint: Complaint, limit: int = 5) -> list:
    """Earlier complaints from the complainant's number (a hint for the repeat flag): one query."""
    if not complaint.complainant_phone:
        return []
    return list(complaints_visible_to(user).filter(complainant_phone=complaint.complainant_phone,
                                                   received_at__lte=complaint.received_at)
                .exclude(pk=complaint.pk).order_by("-received_at", "-id")
                .only("pk", "number", "received_at", "content", "stage")[:limit])


def evidence_for(user, complaint_pk: int, evidence_pk: int) -> Evidence:
    try:
        evidence = Evidence.objects.select_related("complaint").get(pk=evidence_pk, complaint_id=complaint_pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    if not complaint_visible(user, evidence.complaint):
        raise Http404
    return evidence


# --- queues ------------------------------------------------------------------------------------------

QUEUES = ("mine", "approvals", "department", "revisits", "overdue", "all")


def _employee_id(user):
    employee = getattr(user, "employee", None)
    return employee.pk if employee is not None else None


def queue(user, name: str):
    """The complaints of one queue (unevaluated, unordered; :func:`queue_page` orders and slices it)."""
    qs = complaints_visible_to(user)
    now = timezone.now()
    if name == "mine":
        qs = qs.filter(agent_id=_employee_id(user), stage__in=OPEN_STAGES)
    elif name == "approvals":
        stages = []
        if can(user, "complaints.approve"):
            stages.append(Stage.APPROVE)
        if can(user, "complaints.approve_major"):
            stages.append(Stage.MANAGER_APPROVE)
        qs = qs.filter(stage__in=stages)
    elif name == "department":
        employee = getattr(user, "employee", None)
        qs = qs.filter(responsible_department_id=employee.department_id if employee else None,
                       stage__in=OPEN_STAGES)
    elif name == "revisits":
        qs = qs.filter(stage=Stage.REVISIT)
        if not has_role(user, Role.SUPERVISOR):
            qs = qs.filter(agent_id=_employee_id(user))
    elif name == "overdue":
        late = ComplaintClock.objects.filter(state=ClockState.RUNNING, due_at__lte=now).values("complaint_id")
        # a running clock belongs to an open complaint: saying so lets a department's count use its index
        qs = qs.filter(stage__in=OPEN_STAGES, pk__in=late)
    return qs


# What each queue's navigation badge counts (its tooltip, and the caption of the queue's page).
BADGE_CAPTIONS = {
    "mine": gettext_lazy("Open complaints you registered"),
    "approvals": gettext_lazy("Plans waiting for your approval"),
    "department": gettext_lazy("Open complaints assigned to your department"),
    "revisits": gettext_lazy("Complaints waiting for their revisit"),
    "overdue": gettext_lazy("Open complaints with a clock past its deadline"),
}

# Every queue but the register of all complaints is a work list: soonest deadline first (csmgmt.core.deadlines).
WORK_QUEUES = ("mine", "approvals", "department", "revisits", "overdue")


def with_deadline(qs, *, kind: str = ""):
    """Each complaint annotated with its next deadline (csmgmt.core.deadlines): the running clock due soonest —
    of ``kind`` only when given (the revisit queue shows when each revisit is due). Three correlated lookups on the
    running clocks' (complaint, due) index, in the list's one query."""
    clocks = ComplaintClock.objects.filter(complaint=OuterRef("pk"), state=ClockState.RUNNING)
    if kind:
        clocks = clocks.filter(kind=kind)
    clocks = clocks.order_by("due_at", "id")
    paused = ComplaintClock.objects.filter(complaint=OuterRef("pk"), state=ClockState.PAUSED)
    return qs.annotate(deadline_due=Subquery(clocks.values("due_at")[:1]),
                       deadline_started=Subquery(clocks.values("started_at")[:1]),
                       deadline_kind=Subquery(clocks.values("kind")[:1]),
                       deadline_paused=Exists(paused))


def queue_page(user, name: str, page: int, size: int = 25, stage: str = "", q: str = ""):
    """One page without COUNT(*): fetch size+1 rows, return (rows, has_next). A work queue is ordered by each
    complaint's next deadline (the earliest received first among equals); the register of all, newest first. Each
    row carries ``deadline_due``, ``deadline_started`` and ``deadline_label`` (the clock's name)."""
    qs = with_deadline(queue(user, name).select_related(*LIST_RELATED),
                       kind=ClockKind.REVISIT if name == "revisits" else "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if q:
        qs = search(qs, q, COMPLAINT_SEARCH)
    if name in WORK_QUEUES:
        qs = qs.order_by(*by_deadline("received_at", "id"))
    else:
        qs = qs.order_by("-received_at", "-id")
    start = (page - 1) * size
    rows = list(qs[start:start + size + 1])
    for row in rows:
        row.deadline_label = ClockKind(row.deadline_kind).label if row.deadline_kind else ""
    return rows[:size], len(rows) > size


def queue_count(user, name: str) -> int | None:
    """A navigation badge: one indexed COUNT (None when empty, so no badge is shown)."""
    if user is None or not user.is_authenticated:
        return None
    return queue(user, name).count() or None


# --- caller history (call intake's panel) ------------------------------------------------------------


def complaints_from_call(call, user) -> list:
    """The complaints opened from ``call`` that ``user`` may see (number, stage), oldest first: one query,
    whatever their number (the call page's list, through the caller-history registry)."""
    return list(complaints_visible_to(user).filter(source_call=call).only("pk", "number", "stage", "received_at")
                .order_by("received_at", "id"))


def caller_history(phones: list[str], user) -> list:
    """``HistoryItem`` s for complaints from these normalised numbers that ``user`` may see: one query."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from csmgmt.core.registry import HistoryItem

    phones = [p for p in phones if p]
    if not phones:
        return []
    rows = (complaints_visible_to(user).filter(complainant_phone__in=phones)
            .order_by("-received_at", "-id")
            .values("pk", "number", "content", "received_at", "stage", "paused_at")[:50])
    return [
        HistoryItem(kind="complaint", kind_label=_("Complaint"), number=r["number"], title=r["content"][:80],
                    when=r["received_at"], url=reverse("complaints:detail", args=[r["pk"]]),
                    is_open=r["stage"] in OPEN_STAGES, status_label=_history_status(r), pk=r["pk"])
        for r in rows
    ]


def _history_status(row) -> str:
    """The stage; for a complaint paused to wait on the customer, the prompt to resume it now that they call
    (REGULATIONS §9): the agent sees it in the caller's history as they type the number."""
    from django.utils.translation import gettext

    stage = Stage(row["stage"]).label
    if row["paused_at"] is None:
        return stage
    return gettext("%(stage)s · waiting on the customer: resume its clocks") % {"stage": stage}


# --- statistics (REGULATIONS §3 last paragraph) --------------------------------------------------------


def month_bounds(year: int, month: int):
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def month_as_of(year: int, month: int) -> dt.datetime:
    """The instant a month's figures are taken at (REGULATIONS §8: the month as it ended): its end, or now
    while it runs. Everything that happened later is left out, so regenerating a past month gives the same
    figures."""
    return min(timezone.now(), month_bounds(year, month)[1])


# A clock as it stood at an instant: met, missed (closed late, or still running past its due time),
# running (not due yet), not needed (set aside), or "" (not started yet).
MET, MISSED, RUNNING, NOT_NEEDED = ClockState.MET, ClockState.MISSED, ClockState.RUNNING, ClockState.CANCELLED


def clock_state_at(*, state: str, started_at, due_at, met_at, at) -> str:
    if started_at >= at:
        return ""
    if met_at is not None and met_at < at and state in (MET, MISSED):
        return state
    if state == ClockState.CANCELLED:
        return NOT_NEEDED
    if state == ClockState.PAUSED:
        return RUNNING
    return MISSED if due_at < at else RUNNING


def _clock_filters(at) -> dict:
    """The aggregate filters of :func:`clock_state_at` (the statistics count in SQL what the rows show)."""
    started = Q(started_at__lt=at)
    decided = Q(met_at__lt=at, state__in=[MET, MISSED])
    open_at = started & ~decided & ~Q(state=ClockState.CANCELLED)
    paused = Q(state=ClockState.PAUSED)  # waiting on the customer: its time stands still, it cannot run out
    return {"met": started & decided & Q(state=MET),
            "missed": (started & decided & Q(state=MISSED)) | (open_at & ~paused & Q(due_at__lt=at)),
            "running": open_at & (Q(due_at__gte=at) | paused)}


def revisited_by(at) -> Q:
    """Complaints whose revisit answers were given by ``at`` (an answer without a time — imported — counts)."""
    return Q(revisited_at__lt=at) | Q(revisited_at__isnull=True)


def _stage_at(at):
    """A subquery: the complaint's stage at ``at`` (the last move before it; its current stage when it has
    no trail, e.g. imported)."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    last = (ComplaintEvent.objects.filter(complaint=OuterRef("pk"), at__lt=at).exclude(to_stage="")
            .order_by("-at", "-id").values("to_stage")[:1])
    return Coalesce(Subquery(last), F("stage"))


class MonthClock(NamedTuple):
    """A clock of a complaint of :func:`complaints_of_month`, as plain values."""

    kind: str
    state: str
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None


def complaints_of_month(*, year: int, month: int, chunk_size: int = 1000):
    """The complaints received in a month with their clocks (the monthly sheet), oldest first, as pairs
    (complaint, [:class:`MonthClock`, oldest first]). Each complaint has ``stage_at_end``: its stage when the
    month ended, and its two departments. Streamed: the complaints and the clocks are two queries read side by
    side in the same order (received, complaint), ``chunk_size`` rows at a time, so memory stays flat whatever
    the month holds. (A prefetch per chunk gave every complaint a queryset of its clocks pointing back at it:
    reference cycles, so each chunk stayed in memory until a rare full garbage collection — ~3 MB per 1,000
    complaints; bench/README.md, "Monthly workbook".)"""
    start, end = month_bounds(year, month)
    complaints = (Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
                  .annotate(stage_at_end=_stage_at(month_as_of(year, month)))
                  .select_related("against_department", "responsible_department")
                  .order_by("received_at", "id"))
    clocks = (ComplaintClock.objects.filter(complaint__received_at__gte=start, complaint__received_at__lt=end)
              .order_by("complaint__received_at", "complaint_id", "started_at", "id")
              .values_list("complaint__received_at", "complaint_id", "kind", "state", "started_at", "due_at", "met_at")
              .iterator(chunk_size=chunk_size))
    clock = next(clocks, None)
    for complaint in complaints.iterator(chunk_size=chunk_size):
        key = (complaint.received_at, complaint.pk)
        while clock is not None and (clock[0], clock[1]) < key:  # a complaint received since the first query
            clock = next(clocks, None)
        own = []
        while clock is not None and clock[1] == complaint.pk:
            own.append(MonthClock(*clock[2:]))
            clock = next(clocks, None)
        yield complaint, own


def month_clock_states(clocks, at) -> dict:
    """{clock kind: state at ``at``} of a complaint's clocks (oldest first, as :func:`complaints_of_month` gives
    them): the latest clock of each kind started by then (one set aside for a restart gives way to its
    successor)."""
    states = {}
    for clock in clocks:  # oldest first
        state = clock_state_at(state=clock.state, started_at=clock.started_at, due_at=clock.due_at,
                               met_at=clock.met_at, at=at)
        if state and not (state == NOT_NEEDED and states.get(clock.kind) not in (None, NOT_NEEDED)):
            states[clock.kind] = state
    return states


def statistics(*, year: int, month: int, department_id: int | None = None) -> dict:
    """《客户投诉统计表》 for a month, as it ended (:func:`month_as_of`): the complaints received in it; each
    figure one aggregate query. The statistics page and the monthly workbook both read this."""
    start, end = month_bounds(year, month)
    at = month_as_of(year, month)
    qs = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    if department_id:
        qs = qs.filter(responsible_department_id=department_id)

    def by(field, label_field=None):
        rows = qs.values(field, *( [label_field] if label_field else [])).annotate(n=Count("id")).order_by("-n", field)
        return list(rows)

    revisited = revisited_by(at)
    totals = qs.aggregate(
        n_total=Count("id"),
        n_upheld=Count("id", filter=Q(upheld=True)),
        n_not_upheld=Count("id", filter=Q(upheld=False)),
        n_unanalysed=Count("id", filter=Q(upheld__isnull=True)),
        n_major=Count("id", filter=Q(severity="major")),
        n_repeats=Count("id", filter=Q(is_repeat=True)),
        n_closed=Count("id", filter=Q(stage=Stage.CLOSED, closed_at__lt=at)),
        n_withdrawn=Count("id", filter=Q(stage=Stage.WITHDRAWN, withdrawn_at__lt=at)),
        n_avg_attitude=Avg("satisfaction_attitude", filter=revisited),
        n_avg_result=Avg("satisfaction_result", filter=revisited),
    )
    filters = _clock_filters(at)
    clocks = (ComplaintClock.objects.filter(complaint__in=qs.values("pk"))
              .values("kind")
              .annotate(**{name: Count("id", filter=f) for name, f in filters.items()})
              .order_by("kind"))
    clock_rows = {r["kind"]: r for r in clocks}
    return {
        "as_of": at,
        "totals": totals,
        "by_demand": by("demand"),
        "by_department": by("responsible_department__name"),
        "by_severity": by("severity"),
        "by_upheld": by("upheld"),
        "by_cause": list(qs.exclude(cause="").values("cause").annotate(n=Count("id")).order_by("-n", "cause")[:20]),
        "clocks": [{"kind": k, "label": ClockKind(k).label, **clock_rows.get(k, {"met": 0, "missed": 0, "running": 0})}
                   for k in ClockKind.values],
        "repeats": list(qs.filter(is_repeat=True).select_related("responsible_department")
                        .order_by("-received_at")[:50]),
    }


def home_counts(user) -> dict:
    """The home panel's numbers, one query."""
    emp = _employee_id(user)
    qs = complaints_visible_to(user).filter(stage__in=OPEN_STAGES)  # every count is of open ones: no closed row read
    return qs.aggregate(
        n_mine=Count("id", filter=Q(agent_id=emp, stage__in=OPEN_STAGES)),
        n_to_approve=Count("id", filter=Q(stage=Stage.APPROVE) if can(user, "complaints.approve") else Q(pk=None)),
        n_to_approve_major=Count("id", filter=Q(stage=Stage.MANAGER_APPROVE)
                               if can(user, "complaints.approve_major") else Q(pk=None)),
        n_to_plan=Count("id", filter=Q(stage=Stage.PLAN)),
        n_revisits=Count("id", filter=Q(stage=Stage.REVISIT, agent_id=emp)),
        n_open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
    )


def complaint_score_events(*, year: int, month: int) -> list[dict]:
    """For scoring (REGULATIONS §5): one event per complaint closed in the month with a general or
    serious fault of its responsible employee; source ``complaint:<id>``. One query."""
    start, end = month_bounds(year, month)
    kinds = {FaultLevel.GENERAL: "complaint_general_fault", FaultLevel.SERIOUS: "complaint_serious_fault"}
    rows = (Complaint.objects.filter(stage=Stage.CLOSED, closed_at__gte=start, closed_at__lt=end,
                                     responsible_employee__isnull=False, fault_level__in=list(kinds))
            .values_list("pk", "responsible_employee_id", "closed_at", "fault_level").order_by("closed_at", "pk"))
    return [{"employee_id": employee_id, "date": timezone.localtime(closed_at).date(), "kind": kinds[level],
             "source": f"complaint:{pk}"} for pk, employee_id, closed_at, level in rows]


def open_complaints_for_duty_log() -> list:
    """For the duty log (REGULATIONS §7): the complaints in progress, oldest first (one query), with the deadline
    promised to the customer where there is one."""
    from django.urls import reverse

    from csmgmt.core.registry import OPEN_ITEMS_LIMIT, OpenItem

    rows = (Complaint.objects.filter(stage__in=OPEN_STAGES).select_related("agent", "responsible_department")
            .order_by("received_at", "id")[:OPEN_ITEMS_LIMIT])
    return [OpenItem(kind="complaint", number=c.number, title=f"{c.complainant_name} · {c.content[:80]}",
                     url=reverse("complaints:detail", args=[c.pk]), due=c.promised_by,
                     who=c.responsible_department.name if c.responsible_department else c.agent.name,
                     state=str(c.get_stage_display()))
            for c in rows]
