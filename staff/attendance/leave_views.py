"""The pages of the leave rules of REGULATIONS §4 (issue 15): recording a phoned-in leave, the certificate that
follows and the decision on a late one, and the managers' settings page (the long-leave threshold, deputies)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csmgmt.core.onetime import AlreadySubmitted, once
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import require
from csmgmt.core.posted import requires
from staff.models import Employee, LeaveDeputy, LeaveRequest

from . import selectors as sel
from .forms import CertificateForm, DeputyForm, LateCertificateForm, LeaveSettingsForm, PhoneInForm
from .services import leave as leave_services
from .services import leave_levels as level_services
from .views import _leave_visible
from .workflow import AttendanceError


@require("attendance.approve_team")
@reads(Param.integer("employee", label=_("employee")))
def leave_phone_in(request):
    """The supervisor records a same-day sick call (REGULATIONS §4) at once, with the time of the call."""
    employees = sel.first_level_employees(request.user).select_related("department").order_by("employee_no")
    initial = {"called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "start_date": timezone.localdate(),
               "end_date": timezone.localdate()}
    if request.params["employee"]:
        initial["employee"] = request.params["employee"]
    form = PhoneInForm(request.POST or None, request.FILES or None, employees=employees, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            leave = once(form, by=request.user.employee, create=lambda: leave_services.leave_phone_in(
                by=request.user.employee, employee=d["employee"], kind=d["kind"], start_date=d["start_date"],
                end_date=d["end_date"], part=d["part"], reason=d["reason"], called_at=d["called_at"],
                certificate=d["certificate"]),
                url=lambda leave: reverse("staff:attendance_leave_detail", args=[leave.pk]),
                label=lambda leave: f"{leave.employee.name} {leave}")
        except AlreadySubmitted as done:
            messages.info(request, done.message)
            return redirect(done.url)
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Leave recorded for %(name)s: %(state)s.")
                             % {"name": leave.employee.name, "state": leave.get_state_display()})
            return redirect("staff:attendance_leave_detail", pk=leave.pk)
    return render(request, "staff/attendance/form.html", {"form": form, "title": _("Record a phoned-in leave"),
                                                          "multipart": True})


@require("attendance.request_leave")
@require_POST
def leave_certificate_add(request, pk):
    leave = get_object_or_404(LeaveRequest.objects.select_related("employee"), pk=pk)
    if not _leave_visible(request, leave):
        raise PermissionDenied
    form = CertificateForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the certificate file."))
    else:
        try:
            leave_services.leave_certificate_add(leave=leave, by=request.user.employee,
                                                 certificate=form.cleaned_data["certificate"])
        except AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Certificate added."))
    return redirect("staff:attendance_leave_detail", pk=leave.pk)


@require("attendance.approve_team")
@require_POST
def leave_certificate_decide(request, pk):
    leave = get_object_or_404(LeaveRequest.objects.select_related("employee"), pk=pk)
    if not sel.may_see_leave_of(request.user, leave.employee):
        raise PermissionDenied
    form = LateCertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give a reason."))
    else:
        try:
            leave_services.leave_certificate_late_decide(leave=leave, by=request.user.employee,
                                                         keep=form.cleaned_data["decision"] == "keep",
                                                         reason=form.cleaned_data["reason"])
        except AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("staff:attendance_leave_detail", pk=leave.pk)


def _department_supervisors(request):
    me = request.user.employee
    return (Employee.objects.filter(active=True, department_id=me.department_id, user__groups__name__in=[
        "supervisor", "manager"]).distinct().order_by("employee_no"))


@require("attendance.configure_leave")
def leave_settings(request):
    """A manager edits the long-leave threshold and names deputies (REGULATIONS §4); both keep their history."""
    conf = sel.attendance_settings()
    form = LeaveSettingsForm(request.POST or None, initial={"long_leave_days": conf.long_leave_days})
    if request.method == "POST" and form.is_valid():
        try:
            level_services.leave_settings_update(by=request.user.employee,
                                                 long_leave_days=form.cleaned_data["long_leave_days"])
        except AttendanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Settings saved."))
            return redirect("staff:attendance_leave_settings")
    department = request.user.employee.department_id
    return render(request, "staff/attendance/leave_settings.html", {
        "form": form, "deputy_form": DeputyForm(supervisors=_department_supervisors(request)),
        "deputies": sel.deputies_list().filter(supervisor__department_id=department)[:50],
        "history": conf.history.select_related("history_user")[:10] if conf.pk and conf.history.exists() else [],
    })


@require("attendance.configure_leave")
@require_POST
def deputy_new(request):
    form = DeputyForm(request.POST, supervisors=_department_supervisors(request))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("staff:attendance_leave_settings")
    d = form.cleaned_data
    try:
        once(form, by=request.user.employee, create=lambda: level_services.deputy_name(
            by=request.user.employee, supervisor=d["supervisor"], deputy=d["deputy"], start_date=d["start_date"],
            end_date=d["end_date"]), url=lambda _d: reverse("staff:attendance_leave_settings"),
            label=lambda named: f"{named.deputy.name} → {named.supervisor.name}")
    except AlreadySubmitted as done:
        messages.info(request, done.message)
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Deputy named."))
    return redirect("staff:attendance_leave_settings")


@require("attendance.configure_leave")
@require_POST
@requires("confirm")
def deputy_withdraw(request, pk):
    deputy = get_object_or_404(LeaveDeputy, pk=pk)
    try:
        level_services.deputy_withdraw(by=request.user.employee, deputy=deputy)
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Deputy withdrawn."))
    return redirect("staff:attendance_leave_settings")
