import datetime as dt
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from csmgmt.core.imports import import_or_queue
from csmgmt.core.models import ImportJob
from csmgmt.core.onetime import AlreadySubmitted, already_saved, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import can, require
from csmgmt.core.posted import missing_fields, refused, requires
from csmgmt.core.redirects import redirect_next
from csmgmt.core.sheets import Period
from csmgmt.core.tabular import ImportRejected
from csmgmt.core.workflow import available_actions
from staff.files import stored_file_response
from staff.models import Correction, DutyLogEntry, Employee, LeaveRequest, Shift

from . import selectors as sel
from .forms import (CertificateForm, CorrectionForm, DecisionForm, DutyEntryForm, DutyNewForm, DutySignForm,
                    LateCertificateForm, LeaveForm, ManualPunchForm, ShiftForm, ShiftNewForm,
                    UploadForm)
from ..calendars.selectors import holidays_between
from .roster_html import RosterCells
from .services import corrections as correction_services
from .duty_open import open_groups, open_items_now
from .services import duty_log as duty_services
from .services import leave as leave_services
from .services import punches as punch_services
from .services import roster as roster_services
from .workflow import LEAVE_APPROVALS, AttendanceError

PAGE_SIZE = 25


def requires_decision(view):
    """A decision names itself: ``action`` is approve or refuse — an empty POST refuses nothing."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.POST.get("action") not in ("approve", "refuse"):
            return refused(request, ["action"])
        return view(request, *args, **kwargs)

    return requires("action")(wrapped)


def _this_month():
    today = timezone.localdate()
    return Period(today.year, today.month)


MONTH = Param.month(default=_this_month)


def _month(request) -> tuple[int, int]:
    period = request.params["month"]
    return period.year, period.month


def _month_nav(year, month):
    first = dt.date(year, month, 1)
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return {"month_first": first, "prev_month": f"{prev:%Y-%m}", "next_month": f"{nxt:%Y-%m}",
            "this_month": f"{first:%Y-%m}"}


def _page(qs, request):
    """page_size+1 rows: next/previous without COUNT(*)."""
    number = request.params["page"]
    rows = list(qs[(number - 1) * PAGE_SIZE: number * PAGE_SIZE + 1])
    return {"rows": rows[:PAGE_SIZE], "number": number, "has_next": len(rows) > PAGE_SIZE,
            "has_previous": number > 1}


# --- my attendance and the clock ------------------------------------------------------------------


@require("attendance.punch")
@reads(MONTH, Param.choice("clocked", ("in", "out"), label=gettext_lazy("clocked")))
def my_attendance(request):
    employee = request.user.employee
    year, month = _month(request)
    context = {
        "weeks": sel.my_month(employee, year, month),
        "last_duty": (sel.duty_last_entry() if request.params["clocked"] == "in"
                      and can(request.user, "attendance.duty_log") else None),
        "today": timezone.localdate(),
        **_month_nav(year, month),
    }
    return render(request, "staff/attendance/my.html", context)


@require("attendance.punch")
@require_http_methods(["GET", "HEAD", "POST"])
@requires("direction")
def clock(request):
    if request.method != "POST":  # a bookmarked or reloaded clock address: the page with the buttons
        return redirect("staff:attendance_my")
    direction = request.POST.get("direction", "")
    try:
        punch, created = punch_services.punch_clock(by=request.user.employee, direction=direction,
                                                    address=request.META.get("REMOTE_ADDR"))
    except AttendanceError as exc:
        messages.error(request, str(exc))
        return redirect("staff:attendance_my")
    at = timezone.localtime(punch.at).strftime("%H:%M:%S")
    if not created:
        messages.info(request, _("Already recorded at %(t)s.") % {"t": at})
    elif direction == "in":
        messages.success(request, _("Clocked in at %(t)s.") % {"t": at})
    else:
        messages.success(request, _("Clocked out at %(t)s.") % {"t": at})
    url = redirect("staff:attendance_my").url
    return redirect(f"{url}?clocked={direction}" if direction == "in" else url)


# --- team grid ------------------------------------------------------------------------------------


@require("attendance.approve_team")
@reads(MONTH)
def team_month(request):
    year, month = _month(request)
    days = len(sel.month_dates(year, month))
    rows = sel.attendance_month(year=year, month=month, employees=sel.managed_employees(request.user))
    return render(request, "staff/attendance/team.html", {
        "rows": [(r.employee, r.code_list(days), r.total_list()) for r in rows],
        "days": range(1, days + 1), "total_columns": sel.TOTAL_COLUMNS, "legend": sel.CODES.choices,
        "may_download": can(request.user, "reports.team_download"), **_month_nav(year, month),
    })


# --- roster -----------------------------------------------------------------------------------------


ROSTER_PARAMS = (Param.choice("view", ("week", "month"), label=gettext_lazy("view"), default="week"),
                 Param.date("start", label=gettext_lazy("start")))


def _roster_range(request):
    view = request.params["view"]
    anchor = request.params["start"] or timezone.localdate()
    if view == "month":
        first = anchor.replace(day=1)
        dates = sel.month_dates(first.year, first.month)
        prev = (first - dt.timedelta(days=1)).replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
    else:
        first = sel.week_start(anchor)
        dates = [first + dt.timedelta(days=i) for i in range(7)]
        prev, nxt = first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    return view, dates, prev, nxt


@require("attendance.roster")
@reads(*ROSTER_PARAMS)
def roster(request):
    view, dates, prev, nxt = _roster_range(request)
    employees = list(sel.managed_employees(request.user))
    shifts = list(sel.shifts_active())
    if request.method == "POST":
        by_id = {e.pk: e for e in employees}
        by_code = {s.pk: s for s in shifts}
        changed = 0
        try:
            cells = sel.roster_shift_ids(employees, dates) if employees else {}
            for key, value in request.POST.items():
                if not key.startswith("cell-"):
                    continue
                _c, emp_id, day = key.split("-", 2)
                employee = by_id.get(int(emp_id))
                if employee is None:
                    raise PermissionDenied
                day = dt.date.fromisoformat(day)
                shift = by_code.get(int(value)) if value else None
                if cells.get((employee.pk, day)) == (shift.pk if shift else None):
                    continue
                roster_services.roster_set(employee=employee, date=day, shift=shift, by=request.user.employee)
                changed += 1
        except (ValueError, AttendanceError) as exc:
            messages.error(request, str(exc) or _("The roster could not be saved."))
        else:
            messages.success(request, _("Roster saved (%(n)s cells changed).") % {"n": changed})
        return redirect(f"{request.path}?view={view}&start={dates[0].isoformat()}")
    cells = sel.roster_shift_ids(employees, dates) if employees else {}
    html = RosterCells(shifts)
    holidays = holidays_between(min(dates), max(dates))  # the W shift proposed on them (REGULATIONS §4, §9)
    holiday_shift = next((s.pk for s in shifts if s.code == "W"), None)
    grid = [(e, html.row(e, dates, cells, holidays=holidays, holiday_shift=holiday_shift)) for e in employees]
    return render(request, "staff/attendance/roster.html", {
        "view": view, "dates": dates, "prev": prev, "next": nxt, "grid": grid, "shifts": shifts, "holidays": holidays,
        "today": timezone.localdate(),
    })


@require("attendance.roster")
@require_POST
def roster_cell(request):
    """htmx: set one cell (posted as ``cell-<employee id>-<YYYY-MM-DD>=<shift id>``), answer the cell."""
    try:
        key, value = next((k, v) for k, v in request.POST.items() if k.startswith("cell-"))
        _c, emp_id, day = key.split("-", 2)
        employee = get_object_or_404(Employee, pk=int(emp_id))
        day = dt.date.fromisoformat(day)
        shift = get_object_or_404(Shift, pk=int(value), active=True) if value else None
    except (StopIteration, ValueError):
        return render(request, "staff/attendance/partials/roster_cell_error.html",
                      {"message": _("Bad cell.")}, status=400)
    if not sel.can_manage(request.user, employee):
        raise PermissionDenied
    entry = roster_services.roster_set(employee=employee, date=day, shift=shift, by=request.user.employee)
    return HttpResponse(RosterCells(sel.shifts_active()).cell(employee, day, entry.shift_id, saved=True))


@require("attendance.roster")
@require_POST
@requires("start")
def roster_copy_week(request):
    try:
        start = sel.week_start(dt.date.fromisoformat(request.POST.get("start", "")))
    except ValueError:
        messages.error(request, _("Choose a week."))
        return redirect("staff:attendance_roster")
    swap = request.POST.get("swap") == "1"
    try:
        n = roster_services.roster_copy_week(employees=sel.managed_employees(request.user), week_start=start,
                                 by=request.user.employee, swap_ab=swap)
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        if swap:
            messages.success(request, _("Last week copied with A and B swapped (%(n)s cells).") % {"n": n})
        else:
            messages.success(request, _("Last week copied (%(n)s cells).") % {"n": n})
    return redirect(f"{redirect('staff:attendance_roster').url}?start={start.isoformat()}")


# --- uploads ----------------------------------------------------------------------------------------


def _upload(request, *, kind, title, columns):
    """An upload page over the background-import machinery (csmgmt.imports): small files at once,
    big ones queued with a progress page."""
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = import_or_queue(kind=kind, upload=form.cleaned_data["file"], by=request.user.employee)
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
        else:
            if isinstance(outcome, ImportJob):
                messages.info(request, _("The file is being imported in the background."))
                return redirect("imports:detail", outcome.pk)
            messages.success(request, outcome)
            return redirect(request.path)
    return render(request, "staff/attendance/upload.html",
                  {"form": form, "errors": errors, "title": title, "columns": columns})


@require("attendance.import")
def punch_upload(request):
    return _upload(request, kind="punches", title=_("Import punches"),
                   columns="employee_no, timestamp (YYYY-MM-DD HH:MM[:SS]), direction (in/out, optional)")


@require("attendance.import")
def roster_upload(request):
    return _upload(request, kind="roster", title=_("Import roster"), columns="employee_no, date (YYYY-MM-DD), shift_code")


@require("attendance.manual_punch")
def manual_punch(request):
    form = ManualPunchForm(request.POST or None, employees=sel.managed_employees(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            once(form, by=request.user.employee,
                 create=lambda: punch_services.punch_manual(employee=d["employee"], by=request.user.employee,
                                                            at=d["at"], direction=d["direction"], reason=d["reason"]),
                 url=lambda _p: reverse("staff:attendance_manual_punch"), label=lambda _p: d["employee"])
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Punch recorded."))
            return redirect("staff:attendance_manual_punch")
    return render(request, "staff/attendance/form.html", {"form": form, "title": _("Manual punch")})


# --- leave and corrections ---------------------------------------------------------------------------


@require("attendance.request_leave")
@reads(Param.page())
def my_leave(request):
    employee = request.user.employee
    return render(request, "staff/attendance/leave_list.html", {
        "leave": _page(sel.leave_of(employee), request),
        "corrections": sel.corrections_of(employee)[:10],
    })


@require("attendance.request_leave")
def leave_new(request):
    form = LeaveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            once(form, by=request.user.employee,
                 create=lambda: leave_services.leave_request(
                     by=request.user.employee, kind=d["kind"], start_date=d["start_date"], end_date=d["end_date"],
                     part=d["part"], reason=d["reason"], emergency=d["emergency"], certificate=d["certificate"]),
                 url=lambda leave: reverse("staff:attendance_leave_detail", args=[leave.pk]),
                 label=lambda leave: f"{leave.get_kind_display()} {leave.start_date:%Y-%m-%d}")
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Leave requested; your supervisor has been notified."))
            return redirect("staff:attendance_leave")
    return render(request, "staff/attendance/form.html", {"form": form, "title": _("Request leave"),
                                                          "multipart": True})


def _leave_visible(request, leave):
    return leave.employee_id == request.user.employee.pk or sel.may_see_leave_of(request.user, leave.employee)


@require("attendance.request_leave")
def leave_detail(request, pk):
    leave = get_object_or_404(LeaveRequest.objects.select_related("employee__department", "employee__user"), pk=pk)
    if not _leave_visible(request, leave):
        raise PermissionDenied
    actions = available_actions(leave, request.user)
    due_by = sel.certificate_due_by(leave) if leave.needs_certificate() else None
    return render(request, "staff/attendance/leave_detail.html", {
        "leave": leave, "events": sel.leave_trail(leave), "decision": DecisionForm(),
        "actions": actions, "certificate_form": CertificateForm(), "late_form": LateCertificateForm(),
        "certificate_due": leave.needs_certificate(), "certificate_due_by": due_by,
        "approvals": " ".join(a for a in actions if a in LEAVE_APPROVALS),
    })


@require("attendance.request_leave")
def leave_certificate(request, pk):
    leave = get_object_or_404(LeaveRequest, pk=pk)
    if not _leave_visible(request, leave):
        raise PermissionDenied
    if not leave.certificate:
        raise Http404
    return stored_file_response(leave.certificate, leave.certificate_display)


@require("attendance.approve_team", "attendance.approve_long_leave")
@require_POST
@requires_decision
def leave_decide(request, pk):
    leave = get_object_or_404(LeaveRequest.objects.select_related("employee"), pk=pk)
    if not sel.may_see_leave_of(request.user, leave.employee):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "approve":
            leave = leave_services.leave_approve(leave=leave, by=request.user.employee, comment=comment)
            if leave.state == LeaveRequest.State.APPROVED:
                messages.success(request, _("Leave approved."))
            else:  # a long leave goes on to the manager (REGULATIONS §8)
                messages.success(request, _("You approved; the request is now: %(state)s.")
                                 % {"state": leave.get_state_display()})
        else:
            leave_services.leave_refuse(leave=leave, by=request.user.employee, comment=comment)
            messages.success(request, _("Refused."))
    except AttendanceError as exc:
        messages.error(request, str(exc))
    return redirect_next(request, "staff:attendance_approvals")


@require("attendance.request_leave")
@require_POST
def leave_cancel(request, pk):
    leave = get_object_or_404(LeaveRequest, pk=pk)
    if leave.employee_id != request.user.employee.pk:
        raise PermissionDenied
    if missing_fields(request, ["confirm"]):  # after the refusal: another's leave is 403, not "incomplete"
        return refused(request, ["confirm"])
    try:
        leave_services.leave_cancel(leave=leave, by=request.user.employee, reason=request.POST.get("reason", ""))
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Leave cancelled."))
    return redirect("staff:attendance_leave")


@require("attendance.punch")
@reads(Param.date("date", label=gettext_lazy("date")))
def correction_new(request):
    initial = {"date": request.params["date"]} if request.params["date"] else None
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            once(form, by=request.user.employee,
                 create=lambda: correction_services.correction_request(
                     by=request.user.employee, date=d["date"], kind=d["kind"], reason=d["reason"],
                     punch_at=d["punch_at"], direction=d["direction"], requested_code=d["requested_code"]),
                 url=lambda _c: reverse("staff:attendance_leave"), label=lambda c: f"{c.date:%Y-%m-%d}")
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction requested; your supervisor has been notified."))
            return redirect("staff:attendance_leave")
    return render(request, "staff/attendance/form.html", {"form": form, "title": _("Ask for a correction")})


@require("attendance.approve_team")
@require_POST
@requires_decision
def correction_decide(request, pk):
    correction = get_object_or_404(Correction.objects.select_related("employee"), pk=pk)
    if not sel.can_manage(request.user, correction.employee):
        raise PermissionDenied
    try:
        correction_services.correction_decide(correction=correction, by=request.user.employee,
                              approve=request.POST.get("action") == "approve",
                              comment=request.POST.get("comment", ""))
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("staff:attendance_approvals")


@require("attendance.approve_team", "attendance.approve_long_leave")
def approvals(request):
    leave = []
    for row in sel.leave_rows_prime(sel.pending_leave_rows(request.user), request.user):
        actions = available_actions(row, request.user)
        leave.append((row, " ".join(a for a in actions if a in LEAVE_APPROVALS), "refuse" in actions))
    corrections = []
    for row in sel.pending_correction_rows(request.user):
        actions = available_actions(row, request.user)
        corrections.append((row, "approve" in actions, "refuse" in actions))
    return render(request, "staff/attendance/approvals.html", {"leave": leave, "corrections": corrections,
                                                               "now": timezone.now(),
                                                               "caption": sel.APPROVALS_BADGE_CAPTION})


# --- shifts -------------------------------------------------------------------------------------------


@require("attendance.configure_shifts")
def shifts(request):
    return render(request, "staff/attendance/shifts.html", {"shifts": Shift.objects.order_by("is_rest", "start",
                                                                                              "code")})


@require("attendance.configure_shifts")
def shift_edit(request, pk=None):
    shift = get_object_or_404(Shift, pk=pk) if pk else None
    form = (ShiftForm if shift else ShiftNewForm)(request.POST or None, instance=shift)
    if request.method == "POST" and form.is_valid():
        try:
            if shift is None:
                once(form, by=request.user.employee,
                     create=lambda: roster_services.shift_save(form=form, by=request.user.employee),
                     url=lambda _s: reverse("staff:attendance_shifts"), label=lambda s: s.code)
            else:
                roster_services.shift_save(form=form, by=request.user.employee)
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Shift saved."))
            return redirect("staff:attendance_shifts")
    return render(request, "staff/attendance/form.html", {
        "form": form, "title": _("Edit shift %(code)s") % {"code": shift.code} if shift else _("New shift")})


# --- duty log -------------------------------------------------------------------------------------------


@require("attendance.duty_log")
@reads(Param.page())
def duty_log(request):
    page = _page(sel.duty_entries(), request)
    signoffs = sel.duty_signoffs({e.date for e in page["rows"]})
    for entry in page["rows"]:
        entry.day_signoff = signoffs.get(entry.date)
    return render(request, "staff/attendance/duty_list.html", {
        "page": page, "can_sign_day": can(request.user, "attendance.approve_team"),
    })


@require("attendance.duty_log")
def duty_new(request, addendum_to=None):
    parent = get_object_or_404(DutyLogEntry.objects.select_related("shift"), pk=addendum_to) if addendum_to else None
    initial = {"date": timezone.localdate()} if parent is None else {"date": parent.date, "shift": parent.shift}
    form = DutyNewForm(request.POST or None, initial=initial)
    if parent is not None:
        form.fields["date"].disabled = form.fields["shift"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = once(form, by=request.user.employee,
                         create=lambda: duty_services.duty_entry_create(by=request.user.employee, date=d["date"],
                                                                        shift=d["shift"], data=d, addendum_to=parent),
                         url=lambda e: reverse("staff:attendance_duty_detail", args=[e.pk]),
                         label=lambda e: f"{e.date:%Y-%m-%d}")
        except AlreadySubmitted as done:
            return already_saved(request, done)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Entry saved. Sign it when the handover is ready."))
            return redirect("staff:attendance_duty_detail", pk=entry.pk)
    title = _("Addendum") if parent else _("New duty log entry")
    return render(request, "staff/attendance/form.html", {"form": form, "title": title})


@require("attendance.duty_log")
def duty_detail(request, pk):
    entry = get_object_or_404(sel.duty_entries(), pk=pk)
    return render(request, "staff/attendance/duty_detail.html", {
        "entry": entry, "sign_form": DutySignForm(), "addenda": sel.duty_entries().filter(addendum_to=entry),
        "actions": available_actions(entry, request.user),
        "trail": entry.trail.select_related("by"),
        # §7: what is open now, listed in the entry when the outgoing employee signs
        "open_preview": open_groups(open_items_now()) if entry.state == DutyLogEntry.State.DRAFT else None,
    })


@require("attendance.duty_log")
def duty_edit(request, pk):
    entry = get_object_or_404(DutyLogEntry, pk=pk)
    if "edit" not in available_actions(entry, request.user):  # the outgoing employee, until they sign
        raise PermissionDenied
    form = DutyEntryForm(request.POST or None, instance=entry)
    form.fields["date"].disabled = form.fields["shift"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            duty_services.duty_entry_update(entry=entry, by=request.user.employee, data=form.cleaned_data)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Entry saved."))
            return redirect("staff:attendance_duty_detail", pk=entry.pk)
    return render(request, "staff/attendance/form.html", {"form": form, "title": _("Edit duty log entry")})


@require("attendance.duty_log")
@require_POST
@requires("confirm")
def duty_sign(request, pk):
    entry = get_object_or_404(DutyLogEntry, pk=pk)
    form = DutySignForm(request.POST)
    problems = form.cleaned_data["problems_found"] if form.is_valid() else ""
    try:
        duty_services.duty_entry_sign(entry=entry, by=request.user.employee, problems_found=problems)
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Signed."))
    return redirect("staff:attendance_duty_detail", pk=entry.pk)


@require("attendance.approve_team")
@require_POST
@requires("date")
def duty_day_sign(request):
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
        duty_services.duty_day_sign(date=day, by=request.user.employee, comment=request.POST.get("comment", ""))
    except ValueError:
        messages.error(request, _("Choose a day."))
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The day's log is signed."))
    return redirect("staff:attendance_duty")
