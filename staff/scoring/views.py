"""Scoring pages: fetch, bind a form, call one service, turn a ScoringError into a message."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import refused, requires
from csmgmt.core.registry import manual_entry_origins
from csmgmt.core.sheets import Period
from csmgmt.core.workflow import available_actions, blocked_actions
from staff.files import stored_file_response
from staff.models import (Appeal, Department, Employee, ManualCategory, ManualEntry, PenaltyRecord, Rule, RuleSet,
                          ScoreMonth)

from . import selectors
from .forms import (AppealDecisionForm, AppealForm, BracketFormSet, CategoryForm, CategoryNewForm, FundAdjustForm,
                    ManualEntryForm, ReasonForm, RuleForm, RuleNewForm, RuleSetCopyForm, RuleSetForm, ThresholdFormSet,
                    TierFormSet)
from .services import appeals, manual_entries, materialise, months, rule_sets
from .workflow import APPEAL, PENALTY_RECORD, SCORE_MONTH, ScoringError


def _this_month():
    year, month = selectors.month_parse(None)
    return Period(year, month)


MONTH = Param.month(default=_this_month)


def _month(request) -> tuple[int, int, str]:
    """The month a page shows (``?month=``, parsed) or a POST acts on (its required ``month`` field)."""
    if request.method == "POST":
        period, _note = MONTH.parse(request.POST.get("month", ""))
    else:
        period = request.params["month"]
    return period.year, period.month, f"{period.year:04d}-{period.month:02d}"


def requires_month(view):
    """A POST that acts on a month must say which, as a real month: never "this month" by default."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _period, note = MONTH.parse(request.POST.get("month", "") or "x")
        if note:
            return refused(request, ["month"])
        return view(request, *args, **kwargs)

    return requires("month")(wrapped)


def _month_nav(year: int, month: int) -> dict:
    prev, nxt = selectors.month_shift(year, month, -1), selectors.month_shift(year, month, 1)
    return {"prev_month": f"{prev[0]:04d}-{prev[1]:02d}", "next_month": f"{nxt[0]:04d}-{nxt[1]:02d}"}


# --- scorecards ----------------------------------------------------------------------------------------


def _appeal_of(record):
    try:
        return record.appeal
    except Appeal.DoesNotExist:
        return None


def _card_page(request, employee: Employee):
    year, month, label = _month(request)
    score_month = selectors.score_month_find(year, month)
    records = list(selectors.card_records(employee, score_month)) if score_month else []
    manual = selectors.manual_entries_for(records)
    links = selectors.source_links(records)  # a manual entry's origin, e.g. the quality inspection it came from
    for record in records:
        record.source_label, record.source_url = links[record.pk]
        record.manual_entry = manual.get(record.source)
        record.flag_labels = selectors.flag_labels(record.flags)
        record.appeal_obj = _appeal_of(record)
        record.actions = available_actions(record, request.user, PENALTY_RECORD)  # the owner's appeal
    card = selectors.card_of(employee, score_month) if score_month else None
    return render(request, "staff/scoring/card.html", {
        "employee": employee, "card": card, "records": records, "score_month": score_month, "month": label,
        "flag_labels": selectors.flag_labels(card.flags) if card else [], "is_me": request.user.employee.pk == employee.pk,
        **_month_nav(year, month),
    })


@require("scoring.view_own")
@reads(MONTH)
def scoring_card(request):
    return _card_page(request, request.user.employee)


@require("scoring.view_own")
@reads(MONTH)
def scoring_employee_card(request, pk):
    employee = get_object_or_404(Employee.objects.select_related("department"), pk=pk)
    if not selectors.can_see_employee(request.user, employee):
        raise PermissionDenied("scoring card")
    return _card_page(request, employee)


# --- the month -----------------------------------------------------------------------------------------


@require("scoring.view_team")
@reads(MONTH)
def scoring_month(request):
    year, month, label = _month(request)
    score_month = selectors.score_month_find(year, month)
    cards = list(selectors.month_cards(request.user, score_month)) if score_month else []
    for c in cards:
        c.flag_labels = selectors.flag_labels(c.flags)
    is_manager = can(request.user, "scoring.close_month")
    fund_lines = list(selectors.department_month(score_month)) if score_month and is_manager else []
    for line in fund_lines:
        line.flag_labels = selectors.flag_labels(line.flags)
    departments = sorted({line.department for line in fund_lines}, key=lambda d: d.name)
    balances = selectors.fund_balances(departments) if departments else {}
    # A month never computed has no row yet: it is open, and its moves are those of an open month.
    actions = available_actions(score_month or ScoreMonth(year=year, month=month), request.user, SCORE_MONTH)
    return render(request, "staff/scoring/month.html", {
        "score_month": score_month, "month": label, "cards": cards, "fund_lines": fund_lines, "actions": actions,
        "departments": selectors.department_summary(request.user, score_month) if score_month else [],
        "balances": [(d, balances.get(d.pk)) for d in departments], "is_manager": is_manager,
        "trail": list(selectors.month_trail(score_month)[:20]) if score_month and is_manager else [],
        "reopen_form": ReasonForm(), "fund_form": FundAdjustForm(), **_month_nav(year, month),
    })


def _back_to_month(label: str):
    return redirect(reverse("staff:scoring_month") + f"?month={label}")


@require("scoring.close_month")
@require_POST
@requires_month
def scoring_month_materialise(request):
    year, month, label = _month(request)
    try:
        result = materialise.month_materialise(year=year, month=month, by=request.user.employee)
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Records computed: %(c)s new, %(u)s changed, %(w)s withdrawn.")
                         % {"c": result.created, "u": result.updated, "w": result.withdrawn})
    return _back_to_month(label)


@require("scoring.close_month")
@require_POST
@requires_month
def scoring_month_close(request):
    year, month, label = _month(request)
    try:
        months.month_close(year=year, month=month, by=request.user.employee)
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(month)s is closed; its records are frozen.") % {"month": label})
    return _back_to_month(label)


@require("scoring.close_month")
@require_POST
@requires_month
def scoring_month_reopen(request):
    year, month, label = _month(request)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for reopening the month."))
        return _back_to_month(label)
    try:
        months.month_reopen(year=year, month=month, by=request.user.employee,
                             reason=form.cleaned_data["reason"])
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(month)s is open again.") % {"month": label})
    return _back_to_month(label)


@require("scoring.close_month")
@require_POST
@requires_month
def scoring_fund_adjust(request):
    year, month, label = _month(request)
    form = FundAdjustForm(request.POST)
    if form.is_valid():
        try:
            months.fund_adjust(year=year, month=month, by=request.user.employee, **form.cleaned_data)
        except ScoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The fund entry is recorded."))
    else:
        messages.error(request, _("Fill in department, amount and note."))
    return _back_to_month(label)


@require("scoring.view_team")
def scoring_fund(request, pk):
    department = get_object_or_404(Department, pk=pk)
    if not can(request.user, "scoring.close_month") and request.user.employee.department_id != department.pk:
        raise PermissionDenied("fund")
    entries = list(selectors.fund_ledger(department))
    balance = selectors.fund_balances([department]).get(department.pk)
    return render(request, "staff/scoring/fund.html", {"department": department, "entries": entries,
                                                       "balance": balance})


# --- manual entries ------------------------------------------------------------------------------------


@require("scoring.record_manual")
@reads(Param.integer("before", label=gettext_lazy("before")))
def scoring_manual_list(request):
    rows = list(selectors.manual_entries_recent(request.user, before_id=request.params["before"]))
    has_more = len(rows) > 25
    rows = rows[:25]
    origins = manual_entry_origins(e.pk for e in rows)  # e.g. the quality inspection it came from
    for entry in rows:
        entry.origin_label, entry.origin_url = origins.get(entry.pk, ("", ""))
    return render(request, "staff/scoring/manual_list.html", {
        "entries": rows, "next_before": rows[-1].pk if has_more else None, "void_form": ReasonForm()})


@require("scoring.record_manual")
def scoring_manual_new(request):
    form = ManualEntryForm(request.POST or None, request.FILES or None,
                           employees=selectors.recordable_employees(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            once(form, by=request.user.employee,
                 create=lambda: manual_entries.manual_entry_create(by=request.user.employee, **form.cleaned_data),
                 url=lambda _e: reverse("staff:scoring_manual_list"), label=lambda e: e.pk)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded. The month's scores are updated in a moment."))
            return redirect("staff:scoring_manual_list")
    return render(request, "staff/scoring/manual_form.html", {"form": form})


@require("scoring.record_manual")
@require_POST
def scoring_manual_void(request, pk):
    entry = get_object_or_404(ManualEntry.objects.select_related("employee"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for voiding the entry."))
    else:
        try:
            manual_entries.manual_entry_void(entry=entry, by=request.user.employee,
                                             reason=form.cleaned_data["reason"])
        except ScoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The entry is voided."))
    return redirect("staff:scoring_manual_list")


@require("scoring.view_own")
def scoring_evidence(request, pk):
    entry = get_object_or_404(ManualEntry.objects.select_related("employee"), pk=pk)
    if not selectors.can_see_employee(request.user, entry.employee) and not selectors.can_record_for(
            request.user, entry.employee):
        raise PermissionDenied("evidence")
    if not entry.evidence:
        raise Http404
    return stored_file_response(entry.evidence, entry.evidence_display)


# --- appeals -------------------------------------------------------------------------------------------


@require("scoring.view_own")
def scoring_appeal_new(request, pk):
    records = PenaltyRecord.objects.select_related("rule", "score_month", "employee", "appeal")
    record = get_object_or_404(records, pk=pk)
    if record.employee_id != request.user.employee.pk:
        raise PermissionDenied("appeal")
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            once(form, by=request.user.employee,
                 create=lambda: appeals.appeal_file(record=record, by=request.user.employee,
                                                    reason=form.cleaned_data["reason"]),
                 url=lambda _a: reverse("staff:scoring_card") + f"?month={record.score_month}",
                 label=lambda _a: str(record.rule) if record.rule_id else record.pk)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except ScoringError as exc:
            form.add_error(None, str(exc))
            record = records.get(pk=pk)  # as it is now (appealed meanwhile?)
        else:
            messages.success(request, _("Your appeal is filed; a manager will decide."))
            return redirect(reverse("staff:scoring_card") + f"?month={record.score_month}")
    label, url = selectors.source_links([record])[record.pk]
    actions = available_actions(record, request.user, PENALTY_RECORD)
    return render(request, "staff/scoring/appeal_form.html", {
        "record": record, "form": form, "source_label": label, "source_url": url, "actions": actions,
        "refusal": "" if "appeal" in actions else _appeal_refusal(record, request.user),
        "trail": selectors.record_trail(record)})


def _appeal_refusal(record, user) -> str:
    """Why the record's employee may not appeal it (in the words the service would refuse with)."""
    blocked = dict(blocked_actions(record, user, PENALTY_RECORD))
    if "appeal" in blocked:
        return blocked["appeal"]
    return str(PENALTY_RECORD.refusal(record, "appeal")) if record.status != PenaltyRecord.Status.ACTIVE else ""


@require("scoring.decide_appeal")
def scoring_appeals(request):
    pending = list(selectors.appeals_pending())
    links = selectors.source_links([appeal.record for appeal in pending])
    for appeal in pending:
        appeal.source_label, appeal.source_url = links[appeal.record.pk]
        appeal.actions = available_actions(appeal, request.user, APPEAL)
        appeal.blocked = [reason for _action, reason in blocked_actions(appeal, request.user, APPEAL)]
    return render(request, "staff/scoring/appeals.html", {
        "pending": pending, "recent": list(selectors.appeals_recent()), "form": AppealDecisionForm()})


@require("scoring.decide_appeal")
@require_POST
def scoring_appeal_decide(request, pk):
    appeal = get_object_or_404(Appeal, pk=pk)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose uphold or reject and give a reason."))
        return redirect("staff:scoring_appeals")
    try:
        appeals.appeal_decide(appeal=appeal, by=request.user.employee,
                              uphold=form.cleaned_data["decision"] == "uphold", reason=form.cleaned_data["reason"])
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The appeal is decided."))
    return redirect("staff:scoring_appeals")


# --- rule sets -----------------------------------------------------------------------------------------


@require("scoring.configure")
def scoring_rule_sets(request):
    return render(request, "staff/scoring/rule_sets.html", {"rule_sets": list(selectors.rule_sets())})


@require("scoring.configure")
@require_POST
def scoring_rule_set_copy(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    form = RuleSetCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new rule set a name and a code (letters, digits, - and _)."))
        return redirect("staff:scoring_rule_sets")
    try:
        copy = rule_sets.rule_set_copy(rule_set=rule_set, by=request.user.employee, **form.cleaned_data)
    except ScoringError as exc:
        messages.error(request, str(exc))
        return redirect("staff:scoring_rule_sets")
    messages.success(request, _("Copied. The copy is not in force until you put it in force."))
    return redirect("staff:scoring_rule_set_edit", pk=copy.pk)


@require("scoring.configure")
@require_POST
@requires("confirm")
def scoring_rule_set_activate(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        rule_sets.rule_set_activate(rule_set=rule_set, by=request.user.employee)
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("“%(name)s” is now in force; open months are recomputed with it.")
                         % {"name": rule_set.name})
    return redirect("staff:scoring_rule_sets")


def _initial_rows(queryset, fields):
    return [{f: getattr(row, f) for f in fields} for row in queryset]


@require("scoring.configure")
def scoring_rule_set_edit(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    form = RuleSetForm(request.POST or None, instance=rule_set)
    brackets = BracketFormSet(request.POST or None, prefix="brackets",
                              initial=_initial_rows(rule_set.brackets.order_by("first"),
                                                    ("first", "last", "money", "flag")))
    if request.method == "POST" and form.is_valid() and brackets.is_valid():
        try:
            rule_sets.rule_set_update(rule_set=rule_set, by=request.user.employee, brackets=brackets.rows(),
                                      fields={f: form.cleaned_data[f] for f in RuleSetForm.Meta.fields})
        except ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule set saved."))
            return redirect("staff:scoring_rule_set_edit", pk=rule_set.pk)
    rule_set = selectors.rule_set_detail(rule_set.pk)
    return render(request, "staff/scoring/rule_set_form.html", {"rule_set": rule_set, "form": form,
                                                                "brackets": brackets})


@require("scoring.configure")
def scoring_rule_edit(request, pk, rule_pk=None):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    rule = get_object_or_404(Rule, pk=rule_pk, rule_set=rule_set) if rule_pk else None
    form = (RuleForm if rule else RuleNewForm)(request.POST or None, instance=rule)
    tiers = TierFormSet(request.POST or None, prefix="tiers",
                        initial=_initial_rows(rule.tiers.order_by("first"), ("first", "last", "points", "money", "exempt"))
                        if rule else [{"first": 1}])
    thresholds = ThresholdFormSet(request.POST or None, prefix="thresholds",
                                  initial=_initial_rows(rule.thresholds.order_by("at"), ("at", "points", "money", "flag"))
                                  if rule else [])
    if request.method == "POST" and form.is_valid() and tiers.is_valid() and thresholds.is_valid():
        def save():
            return rule_sets.rule_save(rule_set=rule_set, rule=rule, by=request.user.employee, tiers=tiers.rows(),
                                       thresholds=thresholds.rows(),
                                       fields={f: form.cleaned_data[f] for f in RuleForm.Meta.fields})

        try:
            if rule is None:
                once(form, by=request.user.employee, create=save,
                     url=lambda _r: reverse("staff:scoring_rule_set_edit", args=[rule_set.pk]), label=lambda r: r.code)
            else:
                save()
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule saved. Open months are recomputed with it."))
            return redirect("staff:scoring_rule_set_edit", pk=rule_set.pk)
    return render(request, "staff/scoring/rule_form.html", {"rule_set": rule_set, "rule": rule, "form": form,
                                                            "tiers": tiers, "thresholds": thresholds})


@require("scoring.configure")
def scoring_categories(request, pk=None):
    category = get_object_or_404(ManualCategory, pk=pk) if pk else None
    form = (CategoryForm if category else CategoryNewForm)(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        def save():
            return rule_sets.category_save(by=request.user.employee, category=category,
                                           fields={f: form.cleaned_data[f] for f in CategoryForm.Meta.fields})

        try:
            if category is None:
                once(form, by=request.user.employee, create=save,
                     url=lambda _c: reverse("staff:scoring_categories"), label=lambda c: c.code)
            else:
                save()
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Category saved."))
            return redirect("staff:scoring_categories")
    return render(request, "staff/scoring/categories.html", {
        "categories": list(ManualCategory.objects.order_by("kind", "name")), "form": form, "category": category})
