"""Where a form sends the user afterwards. Every ``next`` a page is given goes through :func:`safe_next`: only a
path on this site is followed — never another host (``next=https://elsewhere``), never a scheme such as
``javascript:``, never a URL name to reverse — otherwise the page's own default."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default, *, field: str = "next") -> str:
    """The ``next`` of the POST (or, on a GET, the query) when it is a path on this site, else ``default`` (a URL
    name, a model or a path, as ``redirect()`` takes it)."""
    source = request.POST if request.method == "POST" else request.GET
    candidate = (source.get(field) or "").strip()
    if candidate.startswith("/") and not candidate.startswith("//") and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(default)


def redirect_next(request, default, *, field: str = "next") -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, default, field=field))
