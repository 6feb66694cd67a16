"""The managers' pages of integrations: the list, a new one (its token shown once), revoking one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.permissions import require
from csmgmt.core.posted import requires

from . import services
from .forms import IntegrationForm, RevokeForm
from .models import Integration
from .selectors import integrations_list, lookups_recent


@require("api.manage_integrations")
def integration_list(request):
    return render(request, "api/integration_list.html", {"integrations": integrations_list()})


@require("api.manage_integrations")
def integration_new(request):
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        by = request.user.employee
        data = form.cleaned_data
        try:
            made = once(form, by=by,
                        create=lambda: services.integration_create(by=by, name=data["name"],
                                                                   abilities=data["abilities"],
                                                                   rate_per_minute=data["rate_per_minute"]),
                        url=lambda n: reverse("integrations:detail", args=[n.integration.pk]),
                        label=lambda n: n.integration.name)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except services.IntegrationError as exc:
            messages.error(request, str(exc))
        else:
            # the token, once: kept in the session only until the integration's page shows it (after the redirect,
            # so a reload or the same form posted again never makes a second token), never stored, never again
            request.session[_shown_once(made.integration.pk)] = made.token
            return redirect("integrations:detail", made.integration.pk)
    return render(request, "api/integration_new.html", {"form": form})


def _shown_once(pk) -> str:
    return f"integration-token-{pk}"


@require("api.manage_integrations")
def integration_detail(request, pk):
    integration = integrations_list().filter(pk=pk).first()
    if integration is None:
        raise Http404
    token = request.session.pop(_shown_once(pk), None)
    if token:
        return render(request, "api/integration_token.html", {"integration": integration, "token": token})
    return render(request, "api/integration_detail.html", {
        "integration": integration, "lookups": lookups_recent(integration), "revoke_form": RevokeForm(),
        "trail": integration.history.select_related("history_user__employee").order_by("-history_date")[:50]})


@require("api.manage_integrations")
@require_POST
@requires("reason")
def integration_revoke(request, pk):
    integration = Integration.objects.filter(pk=pk).first()
    if integration is None:
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the integration is revoked."))
        return redirect("integrations:detail", pk)
    try:
        services.integration_revoke(integration=integration, by=request.user.employee,
                                    reason=form.cleaned_data["reason"])
    except services.IntegrationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Integration %(name)s revoked: its token is refused from now on.")
                         % {"name": integration.name})
    return redirect("integrations:detail", pk)
