"""The pages of the telephone: my calls to log, the missed-call (call-back) queue."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from csmgmt.core.permissions import require
from csmgmt.core.posted import requires
from csmgmt.core.redirects import redirect_next
from tickets.models import Call

from . import telephony
from .models import ExchangeCall


class LinkForm(forms.Form):
    call = forms.CharField(label=gettext_lazy("Call number"), max_length=30)


@require("tickets.log_call")
def calls_to_log(request):
    rows = list(telephony.calls_to_log(request.user.employee))
    return render(request, "api/calls_to_log.html", {"rows": rows, "form": LinkForm()})


@require("tickets.log_call")
def missed_calls(request):
    rows = list(telephony.missed_calls()[:200])
    return render(request, "api/missed_calls.html", {"rows": rows, "form": LinkForm()})


def _xcall(pk):
    xcall = ExchangeCall.objects.filter(pk=pk).first()
    if xcall is None:
        raise Http404
    return xcall


@require("tickets.log_call")
@require_POST
@requires("confirm")
def missed_call_take(request, pk):
    try:
        telephony.missed_call_take(exchange_call=_xcall(pk), by=request.user.employee)
    except telephony.TelephonyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The call-back is yours."))
    return redirect("telephony:missed")


@require("tickets.log_call")
@require_POST
@requires("call")
def exchange_call_link(request, pk):
    xcall = _xcall(pk)
    back = "telephony:missed" if xcall.missed else "telephony:to_log"
    form = LinkForm(request.POST)
    call = Call.objects.filter(number=form.data.get("call", "").strip()).first() if form.is_valid() else None
    if call is None:
        messages.error(request, _("No call has the number %(number)s.") % {"number": form.data.get("call", "")})
        return redirect(back)
    try:
        telephony.exchange_call_link(exchange_call=xcall, by=request.user.employee, call=call)
    except telephony.TelephonyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Linked to call %(number)s.") % {"number": call.number})
    return redirect(back)


@require("tickets.log_call")
def ringing(request):
    """The pop-up (polled by htmx from every page of an agent with an extension): what rings at my desk now,
    with the caller's history and one key to the prefilled intake. Nothing ringing: one indexed query, empty."""
    from tickets.selectors import caller_history

    legs = list(telephony.ringing_for(request.user.employee)[:3])
    rings = [{"leg": leg, "xcall": leg.exchange_call,
              "history": caller_history(phone=leg.exchange_call.caller, user=request.user)}
             for leg in legs]
    return render(request, "api/partials/ringing.html", {"rings": rings})


@require("tickets.log_call")
@require_POST
@requires("number")
def dial(request):
    """Click-to-dial: the exchange rings my extension and dials the number."""
    try:
        xcall = telephony.dial(by=request.user.employee, number=request.POST["number"])
    except telephony.TelephonyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Dialling %(number)s from extension %(extension)s.")
                         % {"number": xcall.caller, "extension": xcall.called})
    return redirect_next(request, "telephony:missed")
