import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staff.models import Employee
from staff.services import employee_set_language

from .core.redirects import safe_next
from .core.registry import home_widgets_for
from .models import Heartbeat
from .selectors import my_work_summary


def home(request):
    widgets = []
    for widget in home_widgets_for(request.user):
        context = widget.context(request) if widget.context else {}
        widgets.append({"template": widget.template, "context": context})
    return render(request, "home.html", {"widgets": widgets, "summary": my_work_summary(request.user)})


@login_not_required
@require_POST
def set_language(request):
    """Switch the UI language; for a logged-in employee the choice is saved on the employee."""
    lang = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, "/"))
    if lang not in dict(settings.LANGUAGES):
        return response
    employee = getattr(request.user, "employee", None) if request.user.is_authenticated else None
    if isinstance(employee, Employee):
        employee_set_language(employee=employee, language=lang)
    translation.activate(lang)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax",
        secure=not settings.DEBUG, httponly=True,
    )
    return response


def _check_broker() -> tuple[bool, str]:
    from .celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # any broker failure means "down"
        return False, type(exc).__name__


@login_not_required
@never_cache
def healthz(request):
    """Liveness for load balancers and people: database, broker and the worker's last heartbeat."""
    body = {"database": "ok", "broker": "ok", "heartbeat": None, "heartbeat_fresh": False}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = Heartbeat.objects.filter(name="worker").first()
        if beat:
            age = (timezone.now() - beat.last_seen).total_seconds()
            body["heartbeat"] = beat.last_seen.isoformat()
            body["heartbeat_age_seconds"] = int(age)
            body["heartbeat_fresh"] = age <= settings.HEARTBEAT_STALE_SECONDS
    except Exception as exc:
        body["database"] = f"down: {type(exc).__name__}"
        status = 503
    ok, detail = _check_broker()
    if not ok:
        body["broker"] = f"down: {detail}"
        status = 503
    # Before the first worker heartbeat the app answers (200) but cannot yet say its worker runs: "starting".
    if status != 200:
        body["status"] = "error"
    else:
        body["status"] = "ok" if body["heartbeat"] is not None else "starting"
    body["time"] = dt.datetime.now(dt.timezone.utc).isoformat()
    return JsonResponse(body, status=status)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)
