"""Quality inspection pages: fetch, bind a form, call one service, turn a QualityError into a message."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import refused, requires
from csmgmt.core.sheets import Period
from csmgmt.core.workflow import available_actions, blocked_actions

from . import selectors
from .forms import ChecklistNoteForm, DecisionForm, ItemFormSet, ReasonForm, ScoreForm, SettingsForm
from .models import ItemScore
from .services import config, draws, inspections
from .workflow import INSPECTION, QualityError, may_inspect


MONTH = Param.month(default=lambda: Period.previous(timezone.localdate()))


def _month_nav(month: dt.date) -> dict:
    prev = (month - dt.timedelta(days=1)).replace(day=1)
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    return {"month": month, "month_value": f"{month:%Y-%m}", "prev_month": f"{prev:%Y-%m}",
            "next_month": f"{nxt:%Y-%m}"}


@require("quality.view_own")
@reads(MONTH)
def inspection_mine(request):
    month = request.params["month"].first_day
    rows = list(selectors.month_inspections(request.user, month, own_only=True))
    return render(request, "quality/mine.html", {"inspections": rows, **_month_nav(month)})


@require("quality.inspect")
@reads(MONTH)
def inspection_month(request):
    month = request.params["month"].first_day
    rows = list(selectors.month_inspections(request.user, month))
    return render(request, "quality/month.html", {
        "inspections": rows, "draw": selectors.draw_of(month),
        "swaps": list(selectors.month_swaps(request.user, month)),
        "settings": config.settings_get(), "can_configure": can(request.user, "quality.configure"),
        **_month_nav(month)})


@require("quality.inspect")
@require_POST
@requires("month")
def inspection_draw(request):
    try:
        period = Period.parse(request.POST["month"])
    except ValueError:
        return refused(request, ["month"])
    month = period.first_day
    try:
        draw = draws.draw_month(month=month, by=request.user.employee)
    except QualityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(month)s is drawn: %(count)s calls to inspect.")
                         % {"month": f"{month:%Y-%m}", "count": draw.inspections.count()})
    return redirect(reverse("quality:month") + f"?month={month:%Y-%m}")


def _inspection_or_404(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    if inspection is None:
        raise Http404
    return inspection


def _back(inspection):
    return redirect("quality:detail", pk=inspection.pk)


@require("quality.view_own")
def inspection_detail(request, pk, score_form=None):
    inspection = _inspection_or_404(request, pk)
    items = selectors.checklist_rows(inspection)
    actions = available_actions(inspection, request.user, INSPECTION)
    inspector = may_inspect(inspection, request.user.employee)
    return render(request, "quality/detail.html", {
        "inspection": inspection, "items": items, "actions": actions,
        "blocked": [reason for _a, reason in blocked_actions(inspection, request.user, INSPECTION)],
        "score_form": score_form or (ScoreForm(items=items) if "score" in actions else None),
        "reason_form": ReasonForm(), "decision_form": DecisionForm(),
        "can_swap": inspector and inspection.state == inspection.State.DRAWN,
        "can_record": inspector and inspection.state == inspection.State.SCORED,
        "recording": selectors.recording_of(inspection.call), "trail": _trail(inspection),
        "swaps": inspection.swaps.select_related("old_call", "new_call", "by") if inspector else [],
        **_month_nav(inspection.month)})


def _trail(inspection):
    events = list(selectors.trail(inspection))
    for event in events:
        event.label = INSPECTION.label(event.action)
    return events


@require("quality.inspect")
@require_POST
def inspection_score(request, pk):
    inspection = _inspection_or_404(request, pk)
    form = ScoreForm(request.POST, items=inspection.checklist.items.all())
    if not form.is_valid():
        messages.error(request, _("Score every item between 0 and its points."))
        return inspection_detail_with(request, pk, form)
    try:
        inspections.inspection_score(inspection=inspection, by=request.user.employee, scores=form.scores(),
                                     comment=form.cleaned_data["comment"])
    except QualityError as exc:
        form.add_error(None, str(exc))
        return inspection_detail_with(request, pk, form)
    messages.success(request, _("The inspection is scored; the agent is told."))
    return _back(inspection)


def inspection_detail_with(request, pk, form):
    """The detail page again, with the score form as posted (its errors shown)."""
    request.method = "GET"
    return inspection_detail.__wrapped__(request, pk, score_form=form)


@require("quality.inspect")
@require_POST
@requires("reason")
def inspection_swap(request, pk):
    inspection = _inspection_or_404(request, pk)
    try:
        swap = draws.swap_call(inspection=inspection, by=request.user.employee, reason=request.POST["reason"])
    except QualityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Call %(old)s swapped for %(new)s.") % {"old": swap.old_call.number,
                                                                          "new": swap.new_call.number})
    return _back(inspection)


@require("quality.inspect")
@require_POST
@requires("confirm")
def inspection_violation(request, pk):
    score = get_object_or_404(ItemScore.objects.select_related("inspection"), pk=pk)
    inspection = _inspection_or_404(request, score.inspection_id)
    try:
        inspections.violation_record(score=score, by=request.user.employee)
    except QualityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded as a violation; the month's scores are updated in a moment."))
    return _back(inspection)


@require("quality.view_own")
@require_POST
@requires("reason")
def inspection_appeal(request, pk):
    inspection = _inspection_or_404(request, pk)
    try:
        inspections.inspection_appeal(inspection=inspection, by=request.user.employee, reason=request.POST["reason"])
    except QualityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your appeal is filed; your supervisor or a manager will decide."))
    return _back(inspection)


@require("quality.inspect")
@require_POST
@requires("decision", "reason")
def inspection_decide(request, pk):
    inspection = _inspection_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, pgettext("inspection", "Choose uphold or reject and give a reason."))
        return _back(inspection)
    try:
        inspections.appeal_decide(inspection=inspection, by=request.user.employee,
                                  uphold=form.cleaned_data["decision"] == "uphold", reason=form.cleaned_data["reason"])
    except QualityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The appeal is decided; the agent is told."))
    return _back(inspection)


# --- the manager's settings ------------------------------------------------------------------------------


def _item_initial(version):
    if version is None:
        return []
    return [{"name": i.name, "points": i.points, "violation_category": i.violation_category_id}
            for i in version.items.all()]


@require("quality.configure")
def quality_settings(request, checklist_forms=None):
    current = config.settings_get()
    form = SettingsForm(request.POST if request.method == "POST" and checklist_forms is None else None,
                        initial={"sample_size": current.sample_size, "swaps_per_agent": current.swaps_per_agent})
    if request.method == "POST" and checklist_forms is None:
        if form.is_valid():
            try:
                config.settings_save(by=request.user.employee, **form.cleaned_data)
            except QualityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Settings saved."))
                return redirect("quality:settings")
    version = config.checklist_current()
    formset, note = checklist_forms or (ItemFormSet(initial=_item_initial(version), prefix="items"),
                                        ChecklistNoteForm())
    return render(request, "quality/settings.html", {
        "form": form, "formset": formset, "note_form": note, "version": version,
        "versions": version.__class__.objects.order_by("-number")[:10] if version else []})


@require("quality.configure")
@require_POST
def quality_checklist(request):
    formset = ItemFormSet(request.POST, initial=_item_initial(config.checklist_current()), prefix="items")
    note = ChecklistNoteForm(request.POST)
    if formset.is_valid() and note.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("name")]
        try:
            once(note, by=request.user.employee,
                 create=lambda: config.checklist_save(by=request.user.employee, items=items,
                                                      note=note.cleaned_data["note"]),
                 url=lambda _v: reverse("quality:settings"), label=lambda v: f"v{v.number}")
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except QualityError as exc:
            note.add_error(None, str(exc))
        else:
            messages.success(request, _("A new version of the checklist is saved; inspections already drawn keep "
                                        "theirs."))
            return redirect("quality:settings")
    request.method = "GET"
    return quality_settings.__wrapped__(request, checklist_forms=(formset, note))
