"""Reads of quality inspection that pages and the figures share. Who sees what (REGULATIONS §10, issue 20): an
agent their own inspections, a supervisor their team's (and their own), a manager all."""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from staff.models import ManualCategory

from .models import ChecklistItem, Inspection, InspectionEvent, ItemScore, SampleDraw, Swap


def _me(user):
    return getattr(user, "employee", None)


def visible_inspections(user):
    """The inspections ``user`` may see."""
    qs = Inspection.objects.all()
    me = _me(user)
    if me is None or not can(user, "quality.view_own"):
        return qs.none()
    if can(user, "quality.view_all"):
        return qs
    if can(user, "quality.inspect"):
        return qs.filter(Q(agent__supervisor_id=me.pk) | Q(agent_id=me.pk))
    return qs.filter(agent_id=me.pk)


def month_inspections(user, month: dt.date, *, own_only: bool = False):
    """The month's inspections the user sees (own only: theirs), one query, ready for the list page."""
    qs = visible_inspections(user).filter(month=month)
    if own_only:
        qs = qs.filter(agent_id=_me(user).pk)
    return (qs.select_related("agent", "call", "scored_by")
            .annotate(violations=Count("scores", filter=Q(scores__violation__isnull=False,
                                                          scores__violation__voided=False)))
            .order_by("agent__employee_no", "call__received_at", "pk"))


def own_inspections(user):
    """Every inspection of the user's own calls, newest month first."""
    me = _me(user)
    if me is None:
        return Inspection.objects.none()
    return (Inspection.objects.filter(agent_id=me.pk).select_related("call", "scored_by")
            .order_by("-month", "call__received_at", "pk"))


def month_swaps(user, month: dt.date):
    """The month's swaps of the agents the user sees (a manager: all), with their reasons."""
    qs = Swap.objects.filter(draw__month=month).select_related("agent", "old_call", "new_call", "by")
    if not can(user, "quality.view_all"):
        me = _me(user)
        qs = qs.filter(agent__supervisor_id=me.pk) if me is not None else qs.none()
    return qs.order_by("agent__employee_no", "number")


def draw_of(month: dt.date) -> SampleDraw | None:
    return SampleDraw.objects.select_related("drawn_by").filter(month=month).first()


def inspection_for(user, pk: int) -> Inspection | None:
    return (visible_inspections(user).select_related("agent", "call", "draw", "checklist", "scored_by")
            .filter(pk=pk).first())


def checklist_rows(inspection: Inspection) -> list:
    """The inspection's checklist items, each with its score (when scored) and the violation it became."""
    items = list(ChecklistItem.objects.filter(version_id=inspection.checklist_id).select_related("violation_category"))
    scores = {s.item_id: s for s in ItemScore.objects.filter(inspection=inspection).select_related("violation")}
    for item in items:
        item.score = scores.get(item.pk)
    return items


def trail(inspection: Inspection):
    return InspectionEvent.objects.filter(inspection=inspection).select_related("by").order_by("at", "pk")


def recording_of(call) -> str:
    """The exchange's recording reference of the call, when the telephony integration gave one (issue 21)."""
    related = getattr(call, "exchange_calls", None)  # the integration's reverse relation; absent without it
    if related is None:
        return ""
    return related.exclude(recording="").values_list("recording", flat=True).first() or ""


def violation_categories():
    return ManualCategory.objects.filter(kind=ManualCategory.Kind.VIOLATION, active=True).order_by("name")


def violation_origins(entry_ids) -> dict:
    """{manual entry id: (label, link)} of the violations recorded from an inspection (one query): scoring's pages
    show them beside the entry (``csmgmt.core.registry.register_manual_entry_origin``)."""
    rows = (ItemScore.objects.filter(violation_id__in=list(entry_ids))
            .values_list("violation_id", "inspection_id", "inspection__call__number"))
    return {entry: (_("Quality inspection of call %(call)s") % {"call": number},
                    reverse("quality:detail", args=[inspection]))
            for entry, inspection, number in rows}


# --- the QA score figure (REGULATIONS §10, issue 20: "mean inspection total") ------------------------------


def qa_score_per_employee(start, end) -> dict:
    """{agent id: (sum of totals, number of inspections)} of the inspections scored for the months in
    [start, end) — the inspection month — voided ones (an upheld appeal) and unscored ones left out. One query."""
    start, end = _as_date(start), _as_date(end)
    rows = (Inspection.objects.filter(month__gte=start, month__lt=end, total__isnull=False)
            .exclude(state__in=[Inspection.State.VOIDED, Inspection.State.DRAWN])
            .values("agent_id").annotate(total=Sum("total"), n=Count("pk")).order_by())
    return {r["agent_id"]: (r["total"], r["n"]) for r in rows}


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value
