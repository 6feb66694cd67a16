"""Every state-changing POST names the fields it acts on: a POST without them (an empty POST, a form cut short)
changes nothing and is answered 400 with a message saying what was missing, never read as "the default"::

    @require("scoring.close_month")
    @require_POST
    @requires("month")
    def scoring_month_close(request): ...

The declaration is kept on the view (``view.post_fields``) so ``tests/security/test_empty_post.py`` can see it.
A form page (``Form(request.POST or None)``) needs no declaration: its form refuses missing fields itself."""

from functools import wraps

from django.shortcuts import render
from django.utils.translation import gettext as _


def missing_fields(request, fields) -> list[str]:
    return [f for f in fields if not (request.POST.get(f) or "").strip() and f not in request.FILES]


def refused(request, missing) -> object:
    """The 400 page: what was missing, nothing done."""
    message = _("Nothing was changed: the form did not send %(fields)s. Go back, reload the page and try again.") % {
        "fields": ", ".join(missing)}
    return render(request, "400.html", {"message": message}, status=400)


def requires(*fields: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                missing = missing_fields(request, fields)
                if missing:
                    return refused(request, missing)
            return view(request, *args, **kwargs)

        wrapped.post_fields = fields
        return wrapped

    return decorator
