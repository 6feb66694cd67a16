"""Thin views: fetch through selectors, bind a form, call one service, show the domain error."""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import requires
from csmgmt.core.redirects import redirect_next
from csmgmt.core.sheets import Period
from staff.models import Department
from tickets.models import Call
from tickets.selectors import calls_again_about
from tickets.services import CallError, call_complaint_refusal

from . import selectors
from .forms import FORM_FOR_ACTION, ClockLengthsForm, ComplaintCreateForm, EvidenceForm
from .clocks import LIVE, Calendars, pauses_of, rule_text, why_due
from .models import ClockState, ClockUnit, Demand, Severity, Stage
from .services import (ComplaintError, ComplaintForbidden, clock_lengths, clock_lengths_set, clock_units, complaint_create,
                       complaint_record_revisit, complaint_submit_plan, complaint_transition, evidence_add)
from .workflow import (ACTION_LABELS, PLAN_SUBMIT_ACTIONS, REVISIT_ACTIONS, available_actions, blocked_actions,
                       nobody_may, revisit_action)

VIEW = ("complaints.view_all", "complaints.view_department")
PAGE_SIZE = 25


# --- create --------------------------------------------------------------------------------------------


def _create(request, call=None):
    initial = {}
    if call is not None:
        initial = {"received_at": timezone.localtime(call.received_at).strftime("%Y-%m-%dT%H:%M"),
                   "channel": call.channel if call.channel in dict(ComplaintCreateForm.base_fields["channel"].choices)
                   else "other",
                   "complainant_name": call.caller_name or (call.customer.name if call.customer else ""),
                   "complainant_phone": call.caller_phone,
                   "content": "\n".join(x for x in (call.summary, call.details) if x)}
    form = ComplaintCreateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        try:
            complaint = once(form, by=request.user.employee,
                             create=lambda: complaint_create(by=request.user.employee, data=form.cleaned_data,
                                                             call=call, files=files),
                             url=lambda c: reverse("complaints:detail", args=[c.pk]), label=lambda c: c.number)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Complaint %(number)s registered.") % {"number": complaint.number})
            return redirect("complaints:detail", complaint.pk)
    earlier = list(call.complaints.only("pk", "number")) if call is not None else []
    return render(request, "complaints/complaint_form.html", {"form": form, "call": call, "earlier": earlier})


@require("complaints.register")
def create(request):
    return _create(request)


@require("complaints.register")
def create_from_call(request, call_id: int):
    call = get_object_or_404(Call.objects.select_related("customer"), pk=call_id)
    try:
        call_complaint_refusal(call)  # the service checks again, under a lock
        return _create(request, call)
    except CallError as exc:
        messages.error(request, str(exc))
        return redirect("tickets:detail", call.pk)


@require("complaints.register")
@require_POST
@requires("confirm")
def from_revisit(request, revisit_id: int):
    """One step: the complaint of an unsatisfied call revisit (REGULATIONS §10; ``complaints.from_revisit``)."""
    from tickets.selectors import revisit_visible

    from .from_revisit import complaint_from_revisit

    revisit = revisit_visible(request.user, revisit_id)
    if revisit is None:
        raise Http404
    try:
        complaint = complaint_from_revisit(revisit=revisit, by=request.user.employee)
    except (CallError, ComplaintError) as exc:
        messages.error(request, str(exc))
        return redirect_next(request, reverse("tickets:detail", args=[revisit.call_id]))
    messages.success(request, _("Complaint %(number)s opened from the revisit of call %(call)s.") % {
        "number": complaint.number, "call": revisit.call.number})
    return redirect("complaints:detail", complaint.pk)


# --- the complaint page ----------------------------------------------------------------------------------


def _clock_rows(complaint, now):
    """Each clock with its state, the rule it runs on and — running — why it is due then (REGULATIONS §9)."""
    rows = []
    clocks = list(complaint.clocks.all())
    live = [c for c in clocks if c.state in LIVE]
    pauses = [(a, b) for a, b in pauses_of(complaint.pk) if b is not None] if live else []
    explained = [c for c in live if c.unit != ClockUnit.CALENDAR or pauses]
    calendars = Calendars() if explained else None  # built once: the public days read once
    for clock in clocks:
        rule = rule_text(clock)
        why = why_due(clock, calendars=calendars, pauses=pauses) if clock in explained else ""
        if clock.state == ClockState.PAUSED:
            status, css = "paused", "secondary"
        elif clock.state == ClockState.RUNNING:
            if clock.due_at <= now:
                status, css = "overdue", "danger"
            elif clock.due_at - now <= dt.timedelta(minutes=30):
                status, css = "due_soon", "warning"
            else:
                status, css = "running", "primary"
        else:
            status = clock.state
            css = {"met": "success", "missed": "danger"}.get(clock.state, "secondary")
        rows.append({"clock": clock, "status": status, "css": css, "rule": rule, "why": why})
    return rows


def _calls_since_pause(complaint):
    """While the complaint waits on the customer: the calls logged from the customer's number since the pause
    (the page prompts to resume, REGULATIONS §9)."""
    if complaint.paused_at is None or not complaint.complainant_phone:
        return []
    from tickets.models import Call

    return list(Call.objects.filter(caller_phone=complaint.complainant_phone, received_at__gte=complaint.paused_at)
                .exclude(status=Call.Status.VOIDED).order_by("-received_at")[:5])


def _action_cards(complaint, user, bound=None):
    """One card per form, holding the buttons for the actions this user may make now."""
    cards = {}
    for action in available_actions(complaint, user):
        key, form_class = FORM_FOR_ACTION[action]
        if key not in cards:
            form = bound[1] if bound and bound[0] == key else form_class(prefix=key, initial=_initial(complaint, key))
            cards[key] = {"key": key, "form": form, "actions": []}
        if action in REVISIT_ACTIONS:  # the revisit form's one button: the answers pick the move
            button = next((b for b in cards[key]["actions"] if b["action"] == "revisit"), None)
            if button is None:
                button = {"action": "revisit", "label": ACTION_LABELS["revisit"], "covers": []}
                cards[key]["actions"].append(button)
            button["covers"].append(action)
            continue
        cards[key]["actions"].append({"action": action, "label": ACTION_LABELS[action], "covers": [action]})
    return list(cards.values())


def _initial(complaint, key):
    if key == "analyse":
        # REGULATIONS §3: major = involves compensation; a first analysis of a demand for compensation
        # starts at major (a reopened analysis keeps what was decided before).
        if complaint.upheld is None and complaint.demand == Demand.COMPENSATION:
            return {"severity": Severity.MAJOR}
        return {"severity": complaint.severity}
    if key == "assign" and complaint.against_department_id:
        return {"responsible_department": complaint.against_department_id}
    if key == "plan":
        return {f: getattr(complaint, f) for f in ("findings", "root_cause", "action_immediate",
                                                     "action_corrective", "action_preventive", "compensation")}
    return {}


def _call_visible(user, call_id) -> bool:
    """May ``user`` open the call page of ``call_id``? (one query, only when there is a call)"""
    from tickets.selectors import calls_visible_to

    return call_id is not None and calls_visible_to(user).filter(pk=call_id).exists()


def _render_detail(request, complaint, bound=None, status=200):
    now = timezone.now()
    events = list(complaint.events.all())
    for event in events:
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.reopened = event.action in REOPEN_ACTIONS
    cards = _action_cards(complaint, request.user, bound)
    context = {
        "c": complaint,
        "events": events,
        "clocks": _clock_rows(complaint, now),
        "calls_since_pause": _calls_since_pause(complaint),
        "evidence": list(complaint.evidence.all()),
        "cards": cards,
        # the next-step panel: what this user may do now, withdraw apart as a small secondary action
        "steps": [card for card in cards if card["key"] != "withdraw"],
        "withdraw": next((card for card in cards if card["key"] == "withdraw"), None),
        "blocked": [(action, ACTION_LABELS.get(action, action), reason)
                    for action, reason in blocked_actions(complaint, request.user)],
        "nobody": nobody_may(complaint),
        "reopen_stage": "plan" if revisit_action(complaint, {"satisfaction_result": 1}) == "reopen" else "analyse",
        "evidence_form": EvidenceForm(),
        "earlier": selectors.earlier_from_same_phone(request.user, complaint),
        "source_call_visible": _call_visible(request.user, complaint.source_call_id),
        "again_calls": calls_again_about(kind="complaint", pk=complaint.pk, user=request.user),
        "stages": Stage,
        "action_labels": ACTION_LABELS,
    }
    return render(request, "complaints/complaint_detail.html", context, status=status)


REOPEN_ACTIONS = frozenset({"reopen", "reopen_analysis"})


@require(*VIEW)
def detail(request, pk: int):
    return _render_detail(request, selectors.complaint_for(request.user, pk))


@require(*VIEW)
@require_POST
def act(request, pk: int):
    complaint = selectors.complaint_for(request.user, pk)
    action = request.POST.get("action", "")
    if action not in FORM_FOR_ACTION:
        messages.error(request, _("Unknown action."))
        return redirect("complaints:detail", pk)
    key, form_class = FORM_FOR_ACTION[action]
    form = form_class(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_detail(request, complaint, bound=(key, form))
    data = form.data_for_service()
    comment = form.cleaned_data.get("comment", "")
    try:
        if action in REVISIT_ACTIONS:  # the answers choose between closing and reopening
            complaint_record_revisit(complaint=complaint, by=request.user.employee, comment=comment, data=data)
        elif action in PLAN_SUBMIT_ACTIONS:  # the plan's compensation chooses who approves it first
            complaint_submit_plan(complaint=complaint, by=request.user.employee, comment=comment, data=data)
        else:
            complaint_transition(complaint=complaint, action=action, by=request.user.employee, comment=comment,
                                 data=data)
    except ComplaintForbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ComplaintError as exc:
        messages.error(request, exc.message)
        fresh = selectors.complaint_for(request.user, pk)
        if fresh.stage != complaint.stage:  # someone else moved it meanwhile
            return redirect("complaints:detail", pk)
        return _render_detail(request, fresh, bound=(key, form))
    messages.success(request, _("%(action)s: done.") % {"action": ACTION_LABELS[action]})
    if not selectors.complaints_visible_to(request.user).filter(pk=pk).exists():
        return redirect("complaints:department")
    return redirect("complaints:detail", pk)


@require(*VIEW)
def print_form(request, pk: int):
    complaint = selectors.complaint_for(request.user, pk)
    events = list(complaint.events.all())
    for event in events:
        event.action_label = ACTION_LABELS.get(event.action, event.action)
    return render(request, "complaints/complaint_print.html", {"c": complaint, "events": events})


# --- evidence ---------------------------------------------------------------------------------------------


@require(*VIEW)
@require_POST
def evidence_upload(request, pk: int):
    complaint = selectors.complaint_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("complaints:detail", pk)
    try:
        evidence = once(form, by=request.user.employee,
                        create=lambda: evidence_add(complaint=complaint, by=request.user.employee,
                                                    upload=form.cleaned_data["file"]),
                        url=lambda e: reverse("complaints:detail", args=[pk]), label=lambda e: e.original_name)
    except AlreadySubmitted as done:
        return already_saved(request, done)
    except ComplaintForbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ComplaintError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("File “%(name)s” attached.") % {"name": evidence.original_name})
    return redirect("complaints:detail", pk)


@require(*VIEW)
def evidence_download(request, pk: int, evidence_id: int):
    evidence = selectors.evidence_for(request.user, pk, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require(*VIEW)
def evidence_image(request, pk: int, evidence_id: int):
    """The re-encoded copy of an image shown on the page (never the uploaded original)."""
    evidence = selectors.evidence_for(request.user, pk, evidence_id)
    if not evidence.display:
        raise Http404
    try:
        handle = evidence.display.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "image/jpeg" if evidence.display.name.endswith(".jpg") else "image/png"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- queues -----------------------------------------------------------------------------------------------

QUEUE_PARAMS = (Param.page(), Param.choice("stage", lambda: Stage.values, label=gettext_lazy("stage")),
                Param.text("q", max_length=50))


def _queue(request, name):
    page, stage, q = request.params["page"], request.params["stage"], request.params["q"]
    rows, has_next = selectors.queue_page(request.user, name, page, PAGE_SIZE, stage=stage, q=q)
    query = urlencode({k: v for k, v in (("stage", stage), ("q", q)) if v})
    return render(request, "complaints/complaint_list.html", {
        "rows": rows, "page": page, "has_next": has_next, "has_previous": page > 1, "queue": name,
        "title": str(QUEUE_TITLES_LAZY[name]), "stage": stage, "q": q, "stages": _stage_choices(name),
        "query": query, "may_register": can(request.user, "complaints.register"), "now": timezone.now(),
        "caption": selectors.BADGE_CAPTIONS.get(name, ""), "by_deadline": name in selectors.WORK_QUEUES,
    })


def _stage_choices(name):
    """The stage filter's choices: none for the revisit queue (one stage only), the two approval stages for the
    approvals queue, every stage elsewhere."""
    if name == "revisits":
        return []
    if name == "approvals":
        return [(s.value, s.label) for s in (Stage.APPROVE, Stage.MANAGER_APPROVE)]
    return Stage.choices


QUEUE_TITLES_LAZY = {
    "mine": gettext_lazy("My complaints"), "approvals": gettext_lazy("Awaiting my approval"),
    "department": gettext_lazy("My department's complaints"), "revisits": gettext_lazy("Revisits due"),
    "overdue": gettext_lazy("Overdue complaints"), "all": gettext_lazy("All complaints"),
}


@require("complaints.register")
@reads(*QUEUE_PARAMS)
def mine(request):
    return _queue(request, "mine")


@require("complaints.approve")
@reads(*QUEUE_PARAMS)
def approvals(request):
    return _queue(request, "approvals")


@require("complaints.view_department")
@reads(*QUEUE_PARAMS)
def department(request):
    return _queue(request, "department")


@require("complaints.register")
@reads(*QUEUE_PARAMS)
def revisits(request):
    return _queue(request, "revisits")


@require("complaints.view_overdue")
@reads(*QUEUE_PARAMS)
def overdue(request):
    return _queue(request, "overdue")


@require("complaints.view_all")
@reads(*QUEUE_PARAMS)
def all_complaints(request):
    return _queue(request, "all")


# --- statistics and settings --------------------------------------------------------------------------------


def _this_month():
    today = timezone.localdate()
    return Period(today.year, today.month)


STATISTICS_PARAMS = (Param.month(default=_this_month),
                     Param.integer("department", label=gettext_lazy("department")))


@require("complaints.statistics")
@reads(*STATISTICS_PARAMS)
def statistics(request):
    year, month = request.params["month"].year, request.params["month"].month
    dept_id = request.params["department"]
    stats = selectors.statistics(year=year, month=month, department_id=dept_id)
    demand_labels = dict(Demand.choices)
    severity_labels = dict(Severity.choices)
    chart = {
        "demand": {"labels": [str(demand_labels.get(r["demand"], r["demand"])) for r in stats["by_demand"]],
                   "values": [r["n"] for r in stats["by_demand"]]},
        "department": {"labels": [r["responsible_department__name"] or str(_("Not assigned"))
                                  for r in stats["by_department"]],
                       "values": [r["n"] for r in stats["by_department"]]},
        "clocks": {"labels": [str(r["label"]) for r in stats["clocks"]],
                   "met": [r["met"] for r in stats["clocks"]], "missed": [r["missed"] for r in stats["clocks"]],
                   "met_label": str(_("Met")), "missed_label": str(_("Missed"))},
    }
    return render(request, "complaints/statistics.html", {
        "stats": stats, "chart": chart, "month": f"{year:04d}-{month:02d}", "department_id": dept_id,
        "departments": Department.objects.filter(active=True).order_by("name"),
        "demand_labels": demand_labels, "severity_labels": severity_labels,
    })


@require("complaints.statistics")
@reads(Param.month(default=_this_month))
def statistics_xlsx(request):
    from openpyxl import Workbook

    from .reports import complaints_sheet_write

    year, month = request.params["month"].year, request.params["month"].month
    workbook = Workbook()
    complaints_sheet_write(workbook.active, year=year, month=month)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"complaints-{year:04d}-{month:02d}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@require("reports.download")
@reads(Param.date("week", label=gettext_lazy("week")), Param.choice("format", ("xlsx",), label=gettext_lazy("format")))
def revisit_week(request):
    """The weekly revisit analysis (managers; the Tuesday notice links here). ``?week=YYYY-MM-DD`` (any day
    of the week; default the past week), ``&format=xlsx`` for the download."""
    from .weekly import previous_week, revisit_week_analysis, revisit_week_workbook, week_of

    default = previous_week(timezone.localdate())
    week = request.params["week"]
    week_start = week_of(week) if week else default
    analysis = revisit_week_analysis(week_start=week_start)
    if request.params["format"] == "xlsx":
        buffer = io.BytesIO()
        revisit_week_workbook(analysis, buffer)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename=f"revisits-{week_start:%Y-%m-%d}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return render(request, "complaints/revisit_week.html", {
        "a": analysis, "previous": week_start - dt.timedelta(days=7),
        "next": week_start + dt.timedelta(days=7) if week_start < default else None,
        "chart": {"labels": [str(label) for label, _a, _r in analysis.distribution()],
                  "attitude": [a for _l, a, _r in analysis.distribution()],
                  "result": [r for _l, _a, r in analysis.distribution()],
                  "attitude_label": str(_("Attitude")), "result_label": str(_("Result"))},
    })


@require("complaints.configure")
def clock_settings(request):
    form = ClockLengthsForm(request.POST or None, lengths=clock_lengths(), units=clock_units())
    if request.method == "POST" and form.is_valid():
        try:
            changed = clock_lengths_set(by=request.user.employee, hours=form.hours(), units=form.units())
        except ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Clock lengths saved (%(n)s changed). New clocks use them.") % {"n": changed})
            return redirect("complaints:settings")
    return render(request, "complaints/settings.html", {"form": form})
