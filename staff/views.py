from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csmgmt.core.notices import notification_mark_read
from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import require
from csmgmt.core.posted import requires
from csmgmt.core.redirects import redirect_next
from csmgmt.core.tabular import ImportRejected

from .forms import EmployeeImportForm
from .selectors import notifications_for
from .services import employees_import


@require("staff.use_app")
@reads(Param.page())
def notifications(request):
    employee = request.user.employee
    page = Paginator(notifications_for(employee), 25).get_page(request.params["page"])
    return render(request, "staff/notifications.html", {"page": page})


@require("staff.use_app")
@require_POST
@requires("confirm")
def notification_read(request, pk=None):
    notification_mark_read(employee=request.user.employee, notification_id=pk)
    if pk is None:
        messages.success(request, _("All notifications marked read."))
    return redirect_next(request, "staff:notifications")


@require("staff.import_employees")
def import_employees(request):
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = employees_import(
                file=form.cleaned_data["file"],
                create_departments=form.cleaned_data["create_departments"],
                initial_password=form.cleaned_data["initial_password"] or None,
                by=getattr(request.user, "employee", None),
            )
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
        else:
            messages.success(
                request,
                _("Imported: %(c)s employees created, %(u)s updated, %(d)s departments created.")
                % {"c": result.created, "u": result.updated, "d": result.departments_created},
            )
            return redirect("staff:import_employees")
    return render(request, "staff/import_employees.html", {"form": form, "errors": errors})
