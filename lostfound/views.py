import base64
import io
import mimetypes
import qrcode
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from csmgmt.core.models import FormSubmission
from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import requires
from csmgmt.core.sheets import Period
from csmgmt.core.workflow import available_actions
from staff.models import Employee

from . import selectors, services
from .forms import (ClaimForm, FoundItemForm, HandoverConfirmForm, LostReportForm, PhotoForm, ReasonForm, SearchForm,
                    SettingsForm, StoreForm)
from .models import Category, CategoryRetention, Claim, FoundItem, FoundItemPhoto, HandoverBatch, LostReport

# the match levels' cut-offs, written under every list of suggestions
MATCH_CUTOFFS = {"high": selectors.MATCH_HIGH, "medium": selectors.MATCH_MEDIUM}


def _employee(request) -> Employee:
    return request.user.employee


def _search_params(statuses):
    return (Param.text("q"), Param.choice("category", lambda: Category.values, label=gettext_lazy("category")),
            Param.choice("status", statuses, label=gettext_lazy("status")),
            Param.date("date_from", label=gettext_lazy("from")), Param.date("date_to", label=gettext_lazy("to")),
            Param.page())


def _search_form(request, statuses):
    """The search form bound to the parsed query (the good values only: a bad one was said in a message)."""
    return SearchForm(request.params.form_data() or None, statuses=statuses)


def _item_or_404(pk):
    try:
        return selectors.found_item_detail(pk)
    except FoundItem.DoesNotExist:
        raise Http404 from None


def _report_or_404(pk):
    try:
        return selectors.lost_report_detail(pk)
    except LostReport.DoesNotExist:
        raise Http404 from None


# --- found items --------------------------------------------------------------------------------------


@require("lostfound.view")
@reads(*_search_params(lambda: FoundItem.Status.values))
def items(request):
    form = _search_form(request, FoundItem.Status.choices)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.page_of(selectors.found_items_search(**{k: v for k, v in filters.items() if v}),
                             request.params["page"])
    return render(request, "lostfound/item_list.html",
                  {"form": form, "page": page, "query": request.params.query(), "tab": "items"})


@require("lostfound.register")
def item_new(request):
    form = FoundItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = once(form, by=_employee(request), create=lambda: services.found_item_register(
                by=_employee(request), source=data["source"], category=data["category"],
                description=data["description"], features=data["features"], found_place=data["found_place"],
                found_at=data["found_at"], finder_name=data["finder_name"], finder_phone=data["finder_phone"],
                finder_employee=data["finder_employee"], valuable=form.valuable_value(),
                team_lead=data["team_lead"], witness=data["witness"], photo=data.get("photo"),
            ), url=lambda i: reverse("lostfound:item", args=[i.pk]), label=lambda i: i.number)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except (services.LostfoundError, ValidationError) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Found item %(number)s registered.") % {"number": item.number})
            return redirect("lostfound:item", item.pk)
    return render(request, "lostfound/item_form.html", {"form": form})


@require("lostfound.view")
def item(request, pk):
    obj = _item_or_404(pk)
    candidates = selectors.lost_report_candidates(obj) if obj.is_open else []
    contacted = list(obj.lost_reports.select_related("contacted_by").order_by("-contacted_at"))
    return render(request, "lostfound/item_detail.html", {
        "item": obj, "candidates": candidates, "contacted": contacted, "photo_form": PhotoForm(),
        "cutoffs": MATCH_CUTOFFS,
        "store_form": StoreForm(), "reason_form": ReasonForm(),
        "can_register": can(request.user, "lostfound.register"),
        "actions": available_actions(obj, request.user),  # claim, store, dispose (finance: the handover's)
    })


@require("lostfound.register")
@require_POST
def item_photo_add(request, pk):
    obj = get_object_or_404(FoundItem, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            once(form, by=_employee(request),
                 create=lambda: services.found_item_add_photo(item=obj, photo=form.cleaned_data["photo"],
                                                              by=_employee(request)),
                 url=lambda _p: reverse("lostfound:item", args=[obj.pk]), label=lambda _p: obj.number)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("lostfound:item", obj.pk)


def _serve(name: str):
    if not name or not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require("lostfound.view")
def photo(request, pk, size):
    obj = get_object_or_404(FoundItemPhoto, pk=pk)
    name = {"thumb": obj.thumbnail, "display": obj.display, "original": obj.original}.get(size)
    if name is None:
        raise Http404
    return _serve(name)


def _qr_data_url(url: str) -> str:
    img = qrcode.make(url, box_size=6, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@require("lostfound.view")
def item_receipt(request, pk):
    return render(request, "lostfound/print_receipt.html", {"item": _item_or_404(pk), "now": timezone.now()})


@require("lostfound.view")
def item_card(request, pk):
    obj = _item_or_404(pk)
    url = request.build_absolute_uri(reverse("lostfound:item", args=[obj.pk]))
    return render(request, "lostfound/print_card.html", {"item": obj, "qr": _qr_data_url(url), "url": url})


# --- claims -------------------------------------------------------------------------------------------


@require("lostfound.release_claim")
def claim_new(request, pk):
    obj = _item_or_404(pk)
    if not obj.is_open and request.method != "POST":  # a POST goes to the service, which says why
        messages.error(request, _("Item %(number)s is already claimed.") % {"number": obj.number}
                       if obj.status == FoundItem.Status.CLAIMED else
                       _("Item %(number)s is no longer held.") % {"number": obj.number})
        return redirect("lostfound:item", obj.pk)
    verifiers = Employee.objects.filter(active=True, department=_employee(request).department).order_by("name")
    reports = LostReport.objects.filter(status=LostReport.Status.OPEN, category=obj.category).order_by("-lost_at")[:50]
    reports = LostReport.objects.filter(pk__in=[r.pk for r in reports] + [r.pk for r in obj.lost_reports.all()])
    initial = {"verified_by": _employee(request).pk}
    contacted = obj.lost_reports.filter(status=LostReport.Status.OPEN).order_by("-contacted_at").first()
    if contacted:
        initial.update(lost_report=contacted.pk, claimant_name=contacted.owner_name, phone=contacted.owner_phone)
    form = ClaimForm(request.POST or None, verifiers=verifiers, reports=reports, initial=initial, item=obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.claim_release(
                item_id=obj.pk, by=_employee(request), claimant_name=data["claimant_name"], id_type=data["id_type"],
                id_number=data["id_number"], phone=data["phone"], description_given=data["description_given"],
                verified_by=data["verified_by"], witness=data["witness"], signature_data=data["signature_data"],
                signed_on_paper=data["signed_on_paper"], lost_report=data["lost_report"],
            )
        except services.LostfoundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Item %(number)s released to its owner.") % {"number": obj.number})
            return redirect("lostfound:claim", obj.pk)
    return render(request, "lostfound/claim_form.html", {"item": obj, "form": form})


@require("lostfound.view")
def claim(request, pk):
    """The printed claim form: the ID number masked as on every screen (issue 17)."""
    try:
        obj = selectors.claim_for_item(pk)
    except Claim.DoesNotExist:
        raise Http404 from None
    return render(request, "lostfound/print_claim.html", {
        "claim": obj, "item": obj.item,
    })


@require("lostfound.view")
def claim_signature(request, pk):
    obj = get_object_or_404(Claim, item_id=pk)
    return _serve(obj.signature)


# --- lost reports ---------------------------------------------------------------------------------------


@require("lostfound.view")
@reads(*_search_params(lambda: LostReport.Status.values))
def reports(request):
    form = _search_form(request, LostReport.Status.choices)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.page_of(selectors.lost_reports_search(**{k: v for k, v in filters.items() if v}),
                             request.params["page"])
    return render(request, "lostfound/report_list.html",
                  {"form": form, "page": page, "query": request.params.query(), "tab": "reports"})


@require("lostfound.register")
def report_new(request):
    form = LostReportForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        resubmitted = FormSubmission.objects.filter(token=form.cleaned_data["form_token"]).exists()
        duplicates = [] if resubmitted else selectors.open_reports_for_phone(form.cleaned_data["owner_phone"])
        if duplicates and form.cleaned_data["duplicate_ok"] != form.cleaned_data["owner_phone"]:
            # the same owner may already have reported it: say which, and let the agent save anyway (same token)
            data = form.data.copy()
            data["duplicate_ok"] = form.cleaned_data["owner_phone"]
            form = LostReportForm(data)
            return render(request, "lostfound/report_form.html", {"form": form, "duplicates": duplicates})
        try:
            report = once(form, by=_employee(request),
                          create=lambda: services.lost_report_register(by=_employee(request), **form.service_data()),
                          url=lambda r: reverse("lostfound:report", args=[r.pk]), label=lambda r: r.number)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except services.LostfoundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Lost report %(number)s registered.") % {"number": report.number})
            return redirect("lostfound:report", report.pk)
    return render(request, "lostfound/report_form.html", {"form": form, "duplicates": duplicates})


@require("lostfound.view")
def report(request, pk):
    obj = _report_or_404(pk)
    candidates = selectors.found_item_candidates(obj) if obj.is_open else []
    return render(request, "lostfound/report_detail.html", {
        "report": obj, "candidates": candidates, "reason_form": ReasonForm(), "cutoffs": MATCH_CUTOFFS,
        "can_register": can(request.user, "lostfound.register"),
        "actions": available_actions(obj, request.user),  # withdraw (claim: the product's, with its item)
    })


@require("lostfound.register")
@require_POST
def report_contacted(request, pk):
    report_obj = get_object_or_404(LostReport, pk=pk)
    item_obj = get_object_or_404(FoundItem, pk=request.POST.get("item"))
    try:
        services.lost_report_mark_contacted(report=report_obj, item=item_obj, by=_employee(request))
    except services.LostfoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Owner of %(report)s marked contacted about %(item)s.")
                         % {"report": report_obj.number, "item": item_obj.number})
    if request.POST.get("back") == "item":
        return redirect("lostfound:item", item_obj.pk)
    return redirect("lostfound:report", report_obj.pk)


@require("lostfound.register")
@require_POST
def report_withdraw(request, pk):
    report_obj = get_object_or_404(LostReport, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.LostfoundError(_("Give a reason."))
        services.lost_report_withdraw(report=report_obj, by=_employee(request), reason=form.cleaned_data["reason"])
    except services.LostfoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Lost report %(number)s withdrawn.") % {"number": report_obj.number})
    return redirect("lostfound:report", report_obj.pk)


# --- custody ----------------------------------------------------------------------------------------------


@require("lostfound.custody")
@reads(Param.date("day", label=gettext_lazy("day")), Param.page())
def custody(request):
    day = request.params["day"]
    rows = selectors.awaiting_custody(day=day) if day else selectors.custody_queue()
    page = selectors.page_of(rows, request.params["page"], size=50)
    return render(request, "lostfound/custody.html", {
        "page": page, "day": day, "store_form": StoreForm(), "query": request.params.query(),
    })


@require("lostfound.custody")
@require_POST
def item_store(request, pk):
    obj = get_object_or_404(FoundItem, pk=pk)
    form = StoreForm(request.POST)
    try:
        if not form.is_valid():
            raise services.LostfoundError(_("Record the storage place and the person who handed the item over."))
        services.found_item_store(item=obj, by=_employee(request), storage_place=form.cleaned_data["storage_place"],
                                  handover_person=form.cleaned_data["handover_person"])
    except services.LostfoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Item %(number)s is in custody.") % {"number": obj.number})
    if request.POST.get("back") == "custody":
        return redirect("lostfound:custody")
    return redirect("lostfound:item", obj.pk)


@require("lostfound.custody")
@require_POST
def item_dispose(request, pk):
    obj = get_object_or_404(FoundItem, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.LostfoundError(_("Give a reason."))
        services.found_item_dispose(item=obj, by=_employee(request), reason=form.cleaned_data["reason"])
    except services.LostfoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Item %(number)s marked disposed.") % {"number": obj.number})
    return redirect("lostfound:item", obj.pk)


# --- finance handover ---------------------------------------------------------------------------------------


@require("lostfound.finance_handover")
@reads(Param.page())
def handovers(request):
    page = selectors.page_of(selectors.handover_batches(), request.params["page"])
    due = selectors.handover_due_items().count()
    return render(request, "lostfound/handover_list.html", {"page": page, "due": due, "query": ""})


@require("lostfound.finance_handover")
@require_POST
@requires("confirm")
def handover_prepare(request):
    period = timezone.localdate().strftime("%Y%m")
    batch = services.handover_prepare(period=period, by=_employee(request))
    if batch is None:
        messages.info(request, _("No item is past retention: nothing to hand over."))
        return redirect("lostfound:handovers")
    if batch.status != HandoverBatch.Status.PREPARED:
        messages.info(request, _("This month's handover %(number)s is already confirmed: items due now go on "
                                 "next month's list.") % {"number": batch.number})
    return redirect("lostfound:handover", batch.pk)


@require("lostfound.finance_handover")
@reads(Param.flag("print", label=gettext_lazy("print")))
def handover(request, pk):
    try:
        batch = selectors.handover_detail(pk)
    except HandoverBatch.DoesNotExist:
        raise Http404 from None
    form = HandoverConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_confirm(batch=batch, by=_employee(request), **form.cleaned_data)
        except services.LostfoundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Handover %(number)s confirmed: the items are with finance.")
                             % {"number": batch.number})
            return redirect("lostfound:handover", batch.pk)
    return render(request, "lostfound/handover_detail.html",
                  {"batch": batch, "items": list(selectors.handover_items(batch)), "form": form,
                   "actions": available_actions(batch, request.user), "printing": request.params["print"]})


# --- summary and settings -------------------------------------------------------------------------------------


def _this_month():
    today = timezone.localdate()
    return Period(today.year, today.month)


@require("lostfound.view")
@reads(Param.month(default=_this_month))
def summary(request):
    year, month = request.params["month"].year, request.params["month"].month
    data = selectors.monthly_summary(year=year, month=month)
    return render(request, "lostfound/summary.html", {**data, "month": f"{year:04d}-{month:02d}"})


@require("lostfound.configure")
def settings_edit(request):
    conf = selectors.lostfound_settings()
    initial = {"custody_time": conf.custody_time, "default_retention_days": conf.default_retention_days,
               "match_window_days": conf.match_window_days}
    own = CategoryRetention.objects.filter(retention_days__isnull=False).values_list("category", "retention_days")
    for category, days in own:
        initial[f"retention_{category}"] = days
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_update(by=_employee(request), custody_time=data["custody_time"],
                                     default_retention_days=data["default_retention_days"],
                                     match_window_days=data["match_window_days"], retentions=form.retentions())
        except services.LostfoundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Settings saved."))
            return redirect("lostfound:settings")
    return render(request, "lostfound/settings.html", {"form": form})
