"""The revisit pages (REGULATIONS §10, issue 20): the queues (the agent's own, the supervisor's team, the team's
unsatisfied answers), recording a revisit, ticking "needs a revisit" on a call, settling an unsatisfied answer.
Thin views over ``tickets.selectors`` and ``tickets.revisits``. The one-step complaint from an unsatisfied revisit is
the complaints app's page (``complaints:from_revisit``): tickets does not import complaints."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import requires
from csmgmt.core.redirects import redirect_next
from csmgmt.core.workflow import available_actions

from . import revisits, selectors
from .forms import RevisitForm, RevisitNeedForm, RevisitSettleForm
from .models import CallRevisit
from .workflow import REVISIT, CallError

PAGE_SIZE = 25
STATES = Param.choice("state", lambda: CallRevisit.State.values, label=gettext_lazy("state"))

TITLES = {"mine": gettext_lazy("My revisits"), "team": gettext_lazy("My team's revisits"),
          "unsatisfied": gettext_lazy("Unsatisfied revisits")}
CAPTIONS = {"mine": selectors.MY_REVISITS_CAPTION, "team": gettext_lazy("Your team's calls waiting for their revisit"),
            "unsatisfied": selectors.UNSATISFIED_CAPTION}


def _page(qs, request, size=PAGE_SIZE):
    """One row more than a page: next/previous without COUNT(*) over the table."""
    number = request.params["page"]
    rows = list(qs[(number - 1) * size: number * size + 1])
    return {"rows": rows[:size], "number": number, "has_next": len(rows) > size, "has_previous": number > 1,
            "next": number + 1, "previous": number - 1}


def _complaint_url(revisit) -> str:
    try:
        return reverse("complaints:from_revisit", args=[revisit.pk])
    except NoReverseMatch:  # without the complaints app
        return ""


def _queue(request, queue):
    state = "" if queue == "unsatisfied" else request.params["state"]
    page = _page(selectors.revisit_queue(request.user, queue, state), request)
    user = request.user
    for row in page["rows"]:
        row.actions = available_actions(row, user)
        row.complaint_url = _complaint_url(row) if "open_complaint" in row.actions else ""
    return render(request, "tickets/revisit_queue.html", {
        "page": page, "queue": queue, "title": TITLES[queue], "caption": CAPTIONS[queue],
        "state": state or CallRevisit.State.PENDING, "states": CallRevisit.State.choices,
        "query": request.params.query(), "now": timezone.now(), "revisit_form": RevisitForm(),
        "settle_form": RevisitSettleForm(), "may_supervise": can(user, "tickets.supervise_revisits"),
    })


@require("tickets.log_call")
@reads(STATES, Param.page())
def revisit_queue(request):
    return _queue(request, "mine")


@require("tickets.supervise_revisits")
@reads(STATES, Param.page())
def revisit_team(request):
    return _queue(request, "team")


@require("tickets.supervise_revisits")
@reads(Param.page())
def revisit_unsatisfied(request):
    return _queue(request, "unsatisfied")


def _revisit_or_404(request, pk) -> CallRevisit:
    revisit = selectors.revisit_visible(request.user, pk)
    if revisit is None:
        raise Http404
    return revisit


def _back(request, revisit):
    return redirect_next(request, reverse("tickets:detail", args=[revisit.call_id]))


@require("tickets.log_call")
@require_POST
@requires("satisfaction")
def revisit_record(request, pk):
    revisit = _revisit_or_404(request, pk)
    form = RevisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the customer's satisfaction."))
        return _back(request, revisit)
    try:
        revisits.revisit_record(revisit=revisit, by=request.user.employee, satisfaction=form.cleaned_data["satisfaction"],
                                note=form.cleaned_data["note"])
    except CallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Revisit of call %(number)s recorded.") % {"number": revisit.call.number})
    return _back(request, revisit)


@require("tickets.supervise_revisits")
@require_POST
@requires("comment")
def revisit_settle(request, pk):
    revisit = _revisit_or_404(request, pk)
    form = RevisitSettleForm(request.POST)
    if form.is_valid():
        try:
            revisits.revisit_settle(revisit=revisit, by=request.user.employee, comment=form.cleaned_data["comment"])
        except CallError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Revisit of call %(number)s settled.") % {"number": revisit.call.number})
    return _back(request, revisit)


@require("tickets.log_call")
@require_POST
@requires("needs")
def revisit_need(request, pk):
    call = selectors.call_detail(user=request.user, pk=pk)
    if call is None:
        raise Http404
    form = RevisitNeedForm(request.POST)
    if form.is_valid():
        try:
            revisits.call_revisit_need(call=call, by=request.user.employee, needs=form.cleaned_data["needs"],
                                       note=form.cleaned_data["note"])
        except CallError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Call %(number)s needs a revisit.") % {"number": call.number}
                             if form.cleaned_data["needs"] else
                             _("Call %(number)s needs no revisit.") % {"number": call.number})
    return redirect_next(request, reverse("tickets:detail", args=[call.pk]))


def call_page_context(call, user) -> dict:
    """The call page's revisit card: its revisits with their trail and the moves the user may make on each, and
    whether the user may tick or untick "needs a revisit"."""
    from .workflow import follows_repair

    rows = selectors.call_revisits(call)
    pending = None
    for row in rows:
        row.trail = list(row.events.all())
        for event in row.trail:
            event.label, event.state_label = REVISIT.label(event.action), REVISIT.state_label(event.to_state)
        row.actions = available_actions(row, user)
        row.complaint_url = _complaint_url(row) if "open_complaint" in row.actions else ""
        if row.state == CallRevisit.State.PENDING:
            pending = row
    may_edit = selectors.call_may_edit(user, call) and call.status != call.Status.VOIDED
    return {"revisits": rows, "repair_revisit_pending": follows_repair(call),
            "may_tick_revisit": may_edit and pending is None and not follows_repair(call),
            "may_untick_revisit": pending is not None and "cancel" in pending.actions,
            "settle_form": RevisitSettleForm(), "revisit_need_form": RevisitNeedForm()}
