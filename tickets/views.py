import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from csmgmt.core.imports import import_or_queue
from csmgmt.core.models import ImportJob
from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import missing_fields, refused
from csmgmt.core.registry import call_panels_for, intake_panels_for
from csmgmt.core.tabular import ImportRejected

from . import clocks, revisit_views, revisits, selectors, services
from .exports import calls_export_response
from .forms import (CallFilterForm, CallForm, CloseForm, CustomerForm, HandOverForm, 
                    ImportForm, IntakeForm, IntakeSettingsForm, MarkingViolationForm, MergeForm, NoteForm,
                    RepairTimeForm, ReplyForm, RevisitForm, RevisitSettingsForm, ScriptForm, ValidCheckForm, VoidForm)
from .models import Call, IntakeSettings, RevisitSettings, Script
from .workflow import available_actions, follows_repair

PAGE_SIZE = 25


def _page(qs, request, size=PAGE_SIZE):
    """Fetch one row more than a page: next/previous without COUNT(*) over the table."""
    number = request.params["page"]
    rows = list(qs[(number - 1) * size: number * size + 1])
    return {"rows": rows[:size], "number": number, "has_next": len(rows) > size, "has_previous": number > 1,
            "next": number + 1, "previous": number - 1}


CALL_FILTERS = (
    Param.text("q"), Param.date("date_from", label=gettext_lazy("from")), Param.date("date_to", label=gettext_lazy("to")),
    Param.choice("category", lambda: Call.Category.values, label=gettext_lazy("category")),
    Param.choice("channel", lambda: Call.Channel.values, label=gettext_lazy("channel")),
    Param.choice("outcome", lambda: Call.Outcome.values, label=gettext_lazy("outcome")),
    Param.integer("agent", label=gettext_lazy("agent")), Param.integer("department", label=gettext_lazy("department")),
    Param.choice("state", ("open", "overdue", "closed", "voided"), label=gettext_lazy("state")),
    Param.page(),
)
PHONE = Param.text("phone", label=gettext_lazy("phone"), max_length=30)


# --- intake -----------------------------------------------------------------------------------------


AGAIN = Param.text("again", label=gettext_lazy("called again about"), max_length=30)
# the pop-up's one key (issue 21): the exchange's call id, the direction and the time the call rang
EXCHANGE = (Param.text("exchange_call_id", label=gettext_lazy("exchange's call id"), max_length=100),
            Param.choice("direction", lambda: Call.Direction.values, label=gettext_lazy("direction")),
            Param.text("at", label=gettext_lazy("time it rang"), max_length=40))


def _exchange_initial(request) -> dict:
    """The intake's fields from the pop-up's link; a time that is not one is left out, with a message."""
    initial = {"exchange_call_id": request.params["exchange_call_id"]}
    if request.params["direction"]:
        initial["direction"] = request.params["direction"]
    raw = request.params["at"]
    if raw:
        try:
            at = dt.datetime.fromisoformat(raw.replace(" ", "+") if "T" in raw else raw)
        except ValueError:
            at = None
        if at is None or not 2000 <= at.year <= 2100:
            messages.warning(request, _("“%(value)s” is not a time: it was ignored.") % {"value": raw[:20]})
        else:
            at = timezone.make_aware(at) if timezone.is_naive(at) else at
            initial["received_at"] = timezone.localtime(at).replace(microsecond=0)
    return {k: v for k, v in initial.items() if v}


def _again_item(history, number: str):
    """The caller's open call or complaint numbered ``number`` in their history (None when it is not one)."""
    if not history or not number:
        return None
    return next((i for i in history.items if i.number == number and i.is_open and i.kind in ("call", "complaint")
                 and i.pk is not None), None)


def _customer_initial(history) -> dict:
    customer = history.customer if history else None
    if customer is None:
        return {}
    return {"caller_name": customer.name, "address_form": customer.address_form,
            "organisation": customer.organisation}


@require("tickets.log_call")
@reads(PHONE, AGAIN, *EXCHANGE)
def intake(request):
    """The intake page: phone first, the caller's history right under it (beside the form on a wide screen),
    scripts below. A recognised number fills name, form of address and organisation; Alt+A (the history panel's
    "called again" link) starts the call as a new contact about the caller's newest open call or complaint."""
    user = request.user
    panels = intake_panels_for(user)
    may_set_received_at = can(user, "tickets.edit_received_at")
    now_local = timezone.localtime().replace(second=0, microsecond=0)
    if request.method == "POST":
        form = IntakeForm(request.POST, may_set_received_at=may_set_received_at, initial={"received_at": now_local})
        phone = request.POST.get("caller_phone", "")
        history = selectors.caller_history(phone=phone, user=user) if phone and form.data.get("again") else None
        again = _again_item(history, form.data.get("again", ""))
        if form.is_valid():
            def create():
                call = services.call_create(
                    by=user.employee, data=form.service_data(),
                    received_at=form.cleaned_data.get("received_at") if may_set_received_at else None,
                    hand_to=form.cleaned_data["hand_to"], hand_reason=form.cleaned_data["hand_reason"], again=again,
                    exchange_call_id=form.cleaned_data["exchange_call_id"])
                for panel in panels:  # the side panels' inputs (e.g. the article that answered), same transaction
                    if panel.on_saved is not None:
                        panel.on_saved(call=call, data=request.POST, by=user.employee)
                return call
            try:
                call = once(form, by=user.employee, create=create,
                            url=lambda c: reverse("tickets:detail", args=[c.pk]), label=lambda c: c.number)
            except AlreadySubmitted as done:
                return already_saved(request, done)
            except services.CallError as exc:
                messages.error(request, str(exc))
            else:
                url = reverse("tickets:detail", args=[call.pk])
                messages.success(request, format_html(
                    '{} <a href="{}" class="alert-link">{}</a>', _("Call saved:"), url, call.number))
                complaint_url = selectors.complaint_url_for(call, user) if call.category == Call.Category.COMPLAINT \
                    else ""
                if complaint_url:
                    messages.warning(request, format_html(
                        '{} <a href="{}" class="btn btn-sm btn-warning ms-2" id="open-as-complaint">{}</a>',
                        _("This call is a complaint."), complaint_url, _("Open as complaint")))
                return redirect("tickets:intake")
        form.focus_first_error()
        if history is None and phone:
            history = selectors.caller_history(phone=phone, user=user)
    else:
        phone = request.params["phone"]
        history = selectors.caller_history(phone=phone, user=user) if phone else None
        again = _again_item(history, request.params["again"])
        initial = {"caller_phone": phone, "received_at": now_local, **_customer_initial(history),
                   **_exchange_initial(request)}
        if again is not None:
            note = _("Called again about %(number)s: %(title)s") % {"number": again.number, "title": again.title}
            initial.update(again=again.number, summary=note[:200])
        form = IntakeForm(initial=initial, may_set_received_at=may_set_received_at)
    return render(request, "tickets/intake.html", {
        "form": form, "history": history, "again": again, "scripts": selectors.scripts_for(timezone.localdate()),
        "focus_phone": not form.errors or "caller_phone" in form.errors,
        "more_open": form.more_has_errors() if form.is_bound else False,
        "side_panels": [(p.template, p.context(request, form) if p.context else {}) for p in panels],
    })


@require("tickets.log_call")
@reads(Param.text("caller_phone", label=gettext_lazy("phone"), max_length=30), PHONE, announce=False)
def history_panel(request):
    """The htmx fragment beside the phone field."""
    phone = request.params["caller_phone"] or request.params["phone"]
    history = selectors.caller_history(phone=phone, user=request.user)
    return render(request, "tickets/partials/history_panel.html", {"history": history})


# --- lists ------------------------------------------------------------------------------------------


def _filtered_calls(request):
    form = CallFilterForm(request.params.form_data() or None)
    qs = selectors.call_list_qs(request.user)
    if form.is_bound and form.is_valid():
        qs = selectors.apply_call_filters(qs, form.cleaned_data)
    return form, qs


@require("tickets.view_all_calls", "tickets.view_department_calls")
@reads(*CALL_FILTERS)
def call_list(request):
    form, qs = _filtered_calls(request)
    page = _page(qs, request)
    return render(request, "tickets/call_list.html", {
        "form": form, "page": page, "query": request.params.query(), "now": timezone.now(),
    })


@require("tickets.view_all_calls", "tickets.view_department_calls")
@reads(*CALL_FILTERS)
def call_export(request):
    form, qs = _filtered_calls(request)
    return calls_export_response(qs)


@require("tickets.view_department_calls")
@reads(Param.page())
def department_queue(request):
    qs = selectors.department_queue(request.user)
    page = _page(qs, request)
    return render(request, "tickets/department_queue.html", {
        "page": page, "query": "", "now": timezone.now(), "reply_form": ReplyForm(),
        "department": request.user.employee.department, "caption": selectors.DEPARTMENT_BADGE_CAPTION,
    })


# --- one call ----------------------------------------------------------------------------------------


def _call_or_404(request, pk) -> Call:
    call = selectors.call_detail(user=request.user, pk=pk)
    if call is None:
        raise Http404
    return call


@require("tickets.view_all_calls", "tickets.view_department_calls")
def call_detail(request, pk):
    call = _call_or_404(request, pk)
    user = request.user
    actions = available_actions(call, user)  # the buttons: close, void, hand over, reply
    return render(request, "tickets/call_detail.html", {
        "call": call, "events": selectors.call_events(call), "trail": selectors.call_history_rows(call),
        "may_edit": selectors.call_may_edit(user, call), "actions": actions,
        "complaint_url": selectors.complaint_url_for(call, user),
        "complaints": selectors.records_from_call(call, user),
        "panels": call_panels_for(call, user),  # other apps' records about the call (e.g. the articles used)
        "again_url": selectors.again_url(call),
        "again_calls": selectors.calls_again_about(kind="call", pk=call.pk, user=user),
        "may_view_customer": can(user, "tickets.view_customers"),
        "note_form": NoteForm(), "close_form": CloseForm(), "void_form": VoidForm(),
        "handover_form": HandOverForm() if "hand_over" in actions else None,
        "reply_form": ReplyForm(), "now": timezone.now(),
        "valid_form": ValidCheckForm(initial={"valid": call.valid}) if selectors.may_check_valid(user, call)
        else None,
        "violation_form": MarkingViolationForm() if selectors.marking_violation_offered(user, call) else None,
        "repair": follows_repair(call),
        "reply_rule": clocks.rule_text(call.reply_due_minutes, call.reply_due_unit, call.reply_due_calendar)
        if call.reply_due_at else "",
        "callback_rule": clocks.rule_text(call.repair_callback_length, call.repair_callback_unit,
                                          call.repair_callback_calendar) if call.repair_callback_due_at else "",
        "repair_actions": [a for a in actions if a in ("on_site", "finished", "revisit")],
        "repair_time_form": RepairTimeForm(), "revisit_form": RevisitForm(),
        **revisit_views.call_page_context(call, user),
    })


@require("tickets.log_call")
def call_edit(request, pk):
    call = _call_or_404(request, pk)
    user = request.user
    if not selectors.call_may_edit(user, call):
        messages.error(request, _("Only the call's owner or a supervisor edits it."))
        return redirect("tickets:detail", call.pk)
    may_set_received_at = can(user, "tickets.edit_received_at")
    allow_complaint = call.outcome == Call.Outcome.COMPLAINT
    form = CallForm(request.POST or None, instance=call, may_set_received_at=may_set_received_at,
                    allow_complaint_outcome=allow_complaint,
                    initial={"received_at": timezone.localtime(call.received_at)})
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, by=user.employee, data=form.service_data(),
                                 received_at=form.cleaned_data.get("received_at") if may_set_received_at else None)
        except services.CallError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Call %(number)s saved.") % {"number": call.number})
            return redirect("tickets:detail", call.pk)
    return render(request, "tickets/call_edit.html", {"form": form, "call": call})


def _call_action(request, pk, form_class, action, success):
    call = _call_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(call, request.user.employee, form.cleaned_data)
        except services.CallError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("tickets:detail", call.pk)


@require("tickets.log_call")
@require_POST
def call_note(request, pk):
    return _call_action(request, pk, NoteForm,
                        lambda call, by, d: services.call_add_note(call=call, by=by, text=d["text"]),
                        _("Note added."))


@require("tickets.log_call")
@require_POST
def call_close(request, pk):
    return _call_action(request, pk, CloseForm,
                        lambda call, by, d: services.call_close_checked(call=call, by=by, note=d["note"]),
                        _("Call closed."))


@require("tickets.log_call")
@require_POST
def call_hand_over(request, pk):
    return _call_action(request, pk, HandOverForm,
                        lambda call, by, d: services.call_hand_over(call=call, by=by, to=d["to"], reason=d["reason"]),
                        _("Call handed over."))


@require("tickets.void_call")
@require_POST
def call_void(request, pk):
    return _call_action(request, pk, VoidForm,
                        lambda call, by, d: services.call_void(call=call, by=by, reason=d["reason"]),
                        _("Call voided."))


@require("tickets.view_department_calls")
@require_POST
def call_reply(request, pk):
    response = _call_action(request, pk, ReplyForm,
                            lambda call, by, d: services.call_department_reply(call=call, by=by, text=d["text"]),
                            _("Reply recorded; the call's owner has been told."))
    if request.POST.get("next") == "queue":
        return HttpResponseRedirect(reverse("tickets:department_queue"))
    return response


@require("tickets.check_valid")
@require_POST
def call_valid_check(request, pk):
    return _call_action(request, pk, ValidCheckForm,
                        lambda call, by, d: services.call_valid_check(call=call, by=by, valid=d["valid"],
                                                                      note=d["note"]),
                        _("Valid/invalid marking checked."))


@require("tickets.check_valid")
@require_POST
def call_marking_violation(request, pk):
    """One click after a correction: the violation "wrong valid/invalid marking" for the call's agent."""
    call = _call_or_404(request, pk)
    form = MarkingViolationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("tickets:detail", call.pk)
    try:
        once(form, by=request.user.employee,
             create=lambda: services.call_marking_violation_record(call=call, by=request.user.employee),
             url=lambda event: reverse("tickets:detail", args=[call.pk]), label=lambda event: call.number)
    except AlreadySubmitted as done:
        messages.info(request, done.message)
    except services.CallError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Violation recorded for %(name)s.") % {"name": call.agent.name})
    return redirect("tickets:detail", call.pk)


def _repair_action(request, pk, form_class, action, success):
    _call_or_404(request, pk)  # a call the user may not see is not found, whatever the POST holds
    missing = missing_fields(request, ("confirm",))  # an empty POST records nothing (both fields are optional)
    if missing:
        return refused(request, missing)
    response = _call_action(request, pk, form_class, action, success)
    if request.POST.get("next") == "queue":
        return HttpResponseRedirect(reverse("tickets:department_queue"))
    return response


@require("tickets.log_call", "tickets.view_department_calls")
@require_POST
def call_repair_on_site(request, pk):
    return _repair_action(request, pk, RepairTimeForm,
                          lambda call, by, d: services.call_repair_on_site(call=call, by=by, at=d["at"],
                                                                           note=d["note"]),
                          _("On-site time recorded."))


@require("tickets.log_call", "tickets.view_department_calls")
@require_POST
def call_repair_finished(request, pk):
    return _repair_action(request, pk, RepairTimeForm,
                          lambda call, by, d: services.call_repair_finished(call=call, by=by, at=d["at"],
                                                                            note=d["note"]),
                          _("Repair finish recorded."))


@require("tickets.log_call")
@require_POST
def call_repair_revisit(request, pk):
    return _call_action(request, pk, RevisitForm,
                        lambda call, by, d: services.call_repair_revisit(call=call, by=by,
                                                                         satisfaction=d["satisfaction"],
                                                                         note=d["note"]),
                        _("Revisit recorded; the repair request is done."))


# --- customers ---------------------------------------------------------------------------------------


@require("tickets.view_customers")
@reads(Param.text("q"), Param.page())
def customer_list(request):
    q = request.params["q"]
    page = _page(selectors.customers_search(q), request)
    return render(request, "tickets/customer_list.html", {"page": page, "q": q, "query": request.params.query()})


@require("tickets.view_customers")
def customer_detail(request, pk):
    customer = selectors.customer_detail(pk)
    if customer is None:
        raise Http404
    if customer.merged_into_id:
        messages.info(request, _("This profile was merged into %(name)s.") % {"name": customer.merged_into})
    return render(request, "tickets/customer_detail.html", {
        "customer": customer, "timeline": selectors.customer_timeline(customer=customer, user=request.user),
        "may_edit": can(request.user, "tickets.edit_customers") and not customer.merged_into_id,
        "may_merge": can(request.user, "tickets.merge_customers") and not customer.merged_into_id,
        "merge_form": MergeForm(), "now": timezone.now(),
        "trail": customer.history.select_related("history_user__employee")[:20],
    })


@require("tickets.edit_customers")
def customer_edit(request, pk):
    customer = selectors.customer_detail(pk)
    if customer is None:
        raise Http404
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(customer=customer, by=request.user.employee, data=form.service_data(),
                                     add_phone=form.cleaned_data["add_phone"])
        except services.CallError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Customer profile saved."))
            return redirect("tickets:customer_detail", customer.pk)
    return render(request, "tickets/customer_edit.html", {"form": form, "customer": customer})


@require("tickets.merge_customers")
@require_POST
def customer_merge(request, pk):
    target = selectors.customer_detail(pk)
    if target is None:
        raise Http404
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an existing, not yet merged profile to merge into this one."))
        return redirect("tickets:customer_detail", target.pk)
    try:
        services.customer_merge(source=form.cleaned_data["other"], target=target, by=request.user.employee)
    except services.CallError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Profiles merged; all history is kept on this one."))
    return redirect("tickets:customer_detail", target.pk)


# --- scripts, holidays, settings (managers) ---------------------------------------------------------


@require("tickets.manage_scripts")
def scripts_manage(request):
    settings_form = IntakeSettingsForm(instance=IntakeSettings.current())
    revisit_form = RevisitSettingsForm(instance=RevisitSettings.current())
    if request.method == "POST" and request.POST.get("form") == "settings":
        settings_form = IntakeSettingsForm(request.POST, instance=IntakeSettings.current())
        if settings_form.is_valid():
            services.intake_settings_save(by=request.user.employee, data=settings_form.cleaned_data)
            messages.success(request, _("Settings saved."))
            return redirect("tickets:scripts")
    if request.method == "POST" and request.POST.get("form") == "revisit_settings":  # REGULATIONS §10
        revisit_form = RevisitSettingsForm(request.POST, instance=RevisitSettings.current())
        if revisit_form.is_valid():
            revisits.revisit_settings_save(by=request.user.employee, data=revisit_form.cleaned_data)
            messages.success(request, _("Settings saved."))
            return redirect("tickets:scripts")
    return render(request, "tickets/scripts_manage.html", {
        "scripts": Script.objects.all(), "revisit_settings_form": revisit_form,
        "settings_form": settings_form, "today_scripts": selectors.scripts_for(timezone.localdate()),
    })


@require("tickets.manage_scripts")
def script_edit(request, pk):
    script = Script.objects.filter(pk=pk).first()
    if script is None:
        raise Http404
    form = ScriptForm(request.POST or None, instance=script)
    if request.method == "POST" and form.is_valid():
        try:
            services.script_update(script=script, by=request.user.employee, text=form.cleaned_data["text"],
                                   active=form.cleaned_data["active"])
        except services.CallError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Script saved."))
            return redirect("tickets:scripts")
    return render(request, "tickets/script_edit.html", {"form": form, "script": script})


@require("tickets.import_calls")
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = import_or_queue(kind="calls", upload=form.cleaned_data["file"], by=request.user.employee)
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
        else:
            if isinstance(outcome, ImportJob):  # a big file: imported in the background
                messages.info(request, _("The file is being imported in the background."))
                return redirect("imports:detail", outcome.pk)
            messages.success(request, outcome)
            return redirect("tickets:import")
    return render(request, "tickets/import.html", {"form": form, "errors": errors})


