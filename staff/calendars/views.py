"""The managers' pages of the working calendars (REGULATIONS §9)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import require
from csmgmt.core.posted import requires

from ..models import CalendarException, Department, DepartmentCalendar, PublicDay
from . import selectors, services
from .forms import WEEKDAYS, ExceptionForm, NoticeForm, WeeklyHoursForm

ABILITY = services.ABILITY


def _recomputed(request, n):
    if n:
        messages.info(request, _("%(n)s running clocks were recomputed on the new calendar.") % {"n": n})


@require(ABILITY)
@reads(Param.integer("year", minimum=2000, maximum=2100))
def calendars(request):
    """Every department's hours, and the public holidays and make-up days of one year."""
    today = timezone.localdate()
    year = request.params["year"] or today.year
    departments = list(Department.objects.filter(active=True).order_by("name"))
    cals = {c.department_id: c for c in DepartmentCalendar.objects.filter(department__in=departments)}
    rows = []
    for dept in departments:
        weekly, observes, default = selectors.hours_of(dept, cals.get(dept.pk))
        rows.append({"department": dept, "days": [(WEEKDAYS[i], selectors.spans_text(weekly[i])) for i in range(7)],
                     "observes": observes, "default": default})
    form = NoticeForm(request.POST or None, initial={"year": today.year + 1})
    if request.method == "POST" and form.is_valid():
        by, year_entered = request.user.employee, form.cleaned_data["year"]
        try:
            n = once(form, by=by, create=lambda: services.public_notice_enter(by=by, **form.cleaned_data),
                     url=lambda _n: f"{request.path}?year={year_entered}", label=lambda _n: year_entered)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except services.CalendarRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The notice for %(year)s is saved.") % {"year": form.cleaned_data["year"]})
            _recomputed(request, n)
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    return render(request, "staff/calendars/calendars.html", {
        "rows": rows, "year": year, "years": selectors.years_known(), "days": selectors.days_of_year(year),
        "form": form, "missing": selectors.next_year_missing(today),
    })


@require(ABILITY)
def department_calendar(request, pk):
    dept = get_object_or_404(Department, pk=pk)
    row = DepartmentCalendar.objects.filter(department=dept).first()
    weekly, observes, _default = selectors.hours_of(dept, row)
    initial = {f"day{i}": selectors.spans_text(weekly[i]).replace("–", "-") for i in range(7)}
    initial["observes_holidays"] = observes
    is_hours = request.POST.get("form") == "hours"
    form = WeeklyHoursForm(request.POST if is_hours else None, initial=initial)
    exception_form = ExceptionForm(request.POST if request.method == "POST" and not is_hours else None)
    if request.method == "POST":
        try:
            if is_hours and form.is_valid():
                week = [services.parse_spans(form.cleaned_data[f"day{i}"]) for i in range(7)]
                n = services.calendar_hours_save(by=request.user.employee, department=dept, weekly=week,
                                                 observes_holidays=form.cleaned_data["observes_holidays"])
            elif not is_hours and exception_form.is_valid():
                data, by = exception_form.cleaned_data, request.user.employee
                spans = services.parse_spans(data["hours"])
                n = once(exception_form, by=by, url=lambda _n: request.path, label=lambda _n: data["date"],
                         create=lambda: services.calendar_exception_add(by=by, department=dept, date=data["date"],
                                                                        spans=spans, note=data["note"]))
            else:
                n = None
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except services.CalendarRefused as exc:
            messages.error(request, str(exc))
        else:
            if n is not None:
                messages.success(request, _("Calendar saved."))
                _recomputed(request, n)
                return redirect("staff:calendar_department", dept.pk)
    exceptions = CalendarException.objects.filter(department=dept, voided_at__isnull=True).order_by("-date")[:100]
    return render(request, "staff/calendars/department.html", {
        "department": dept, "form": form, "exception_form": exception_form, "exceptions": exceptions,
        "history": DepartmentCalendar.history.filter(department_id=dept.pk).select_related("history_user")[:20],
    })


@require(ABILITY)
@require_POST
@requires("reason")
def exception_void(request, pk):
    row = get_object_or_404(CalendarException, pk=pk)
    try:
        n = services.calendar_exception_void(by=request.user.employee, exception=row, reason=request.POST["reason"])
    except services.CalendarRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Exception voided."))
        _recomputed(request, n)
    return redirect("staff:calendar_department", row.department_id)


@require(ABILITY)
@require_POST
@requires("reason")
def public_day_void(request, pk):
    row = get_object_or_404(PublicDay, pk=pk)
    try:
        n = services.public_day_void(by=request.user.employee, day=row, reason=request.POST["reason"])
    except services.CalendarRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Day voided."))
        _recomputed(request, n)
    return redirect(f"{redirect('staff:calendars').url}?year={row.date.year}")


@require(ABILITY)
@require_POST
@requires("year", "name")
def holiday_greeting(request):
    try:
        year = int(request.POST["year"])
    except ValueError:
        year = timezone.localdate().year
    try:
        services.holiday_greeting_set(by=request.user.employee, year=year, name=request.POST["name"],
                                      greeting=request.POST.get("greeting", ""))
    except services.CalendarRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Holiday answering script saved."))
    return redirect(f"{redirect('staff:calendars').url}?year={year}")
