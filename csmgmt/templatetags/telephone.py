"""``{% phone number %}``: every phone number a page shows (issue 21). The number formatted for reading
(``138 0013 8000``, ``010-8888 6666``) and, for a user who logs calls, has an extension and works where the
exchange's click-to-dial webhook is configured (``TELEPHONY_DIAL_URL``), a dial button beside it: one click makes
the call with its own call id (``csmgmt.api.telephony.dial``), which the exchange's events then update. Anywhere
else plain text. ``{% phone number default="—" %}`` shows the default for no number."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from tickets.phones import format_phone, normalize_phone

register = template.Library()


def _extension(request) -> str:
    """The extension the user dials from ("" when click-to-dial is not for them), worked out once a request."""
    if not settings.TELEPHONY_DIAL_URL or request is None:
        return ""
    cached = getattr(request, "_dial_extension", None)
    if cached is None:
        user = getattr(request, "user", None)
        employee = getattr(user, "employee", None) if user is not None and user.is_authenticated else None
        cached = (employee.extension or "") if employee is not None and can(user, "tickets.log_call") else ""
        request._dial_extension = cached
    return cached


@register.simple_tag(takes_context=True)
def phone(context, number, default=""):
    raw = (number or "").strip() if isinstance(number, str) else str(number or "")
    if not raw:
        return default
    digits = normalize_phone(raw)
    shown = format_phone(digits) if digits else raw
    request = context.get("request")
    if len(digits) < 3 or not _extension(request):
        return format_html('<span class="phone text-nowrap" data-phone="{}">{}</span>', digits, shown)
    label = _("Dial %(number)s") % {"number": shown}
    return format_html(
        '<span class="phone text-nowrap" data-phone="{}">{}<form method="post" action="{}" '
        'class="d-inline phone-dial d-print-none"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="number" value="{}"><input type="hidden" name="next" value="{}">'
        '<button type="submit" class="btn btn-link btn-sm py-0 px-1 align-baseline" title="{}" aria-label="{}">'
        '<i class="bi bi-telephone-outbound" aria-hidden="true"></i></button></form></span>',
        digits, shown, reverse("telephony:dial"), get_token(request), digits, _page_path(request), label, label)


def _page_path(request) -> str:
    """Where the dial sends the user back: the page, also when the number came in an htmx fragment."""
    if request.headers.get("HX-Request"):
        url = urlsplit(request.headers.get("HX-Current-URL", ""))
        return f"{url.path}?{url.query}" if url.query else url.path
    return request.get_full_path()


# --- the exchange's record of a logged call (recording, times) -------------------------------------------------


def recording_href(reference: str) -> str:
    """A link for a recording reference the exchange sent: only an http(s) address or a path on this site is
    followed; anything else is shown as text."""
    ref = (reference or "").strip()
    return ref if ref.startswith(("https://", "http://")) or (ref.startswith("/") and not ref.startswith("//")) \
        else ""


@register.inclusion_tag("api/partials/exchange_call.html")
def exchange_call(call):
    """The call page's panel: the exchange's record of this call (rang, answered, duration, recording), if any."""
    from csmgmt.api.models import ExchangeCall

    xcall = ExchangeCall.objects.filter(call=call).order_by("ringing_at", "id").first() if call.pk else None
    return {"xcall": xcall, "href": recording_href(xcall.recording) if xcall else ""}


@register.simple_tag
def recordings(items) -> dict:
    """{call id: (recording, href)} for the calls among caller-history items, in one query (none without calls)."""
    from csmgmt.api.models import ExchangeCall

    pks = [i.pk for i in items if getattr(i, "kind", "") == "call" and i.pk is not None]
    if not pks:
        return {}
    rows = ExchangeCall.objects.filter(call_id__in=pks).exclude(recording="").values_list("call_id", "recording")
    return {pk: (rec, recording_href(rec)) for pk, rec in rows}


@register.inclusion_tag("api/partials/recording.html")
def recording(found, pk):
    """One history item's recording link, from :func:`recordings`."""
    rec, href = found.get(pk, ("", "")) if found else ("", "")
    return {"recording": rec, "href": href}
