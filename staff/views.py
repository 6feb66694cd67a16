from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csmgmt.core.imports import import_or_queue
from csmgmt.core.models import ImportJob
from csmgmt.core.notices import notification_mark_read
from csmgmt.core.permissions import require
from csmgmt.core.redirects import redirect_next
from csmgmt.core.tabular import ImportRejected

from .forms import EmployeeImportForm
from .selectors import notifications_for


@require("staff.use_app")
def notifications(request):
    employee = request.user.employee
    page = Paginator(notifications_for(employee), 25).get_page(request.GET.get("page"))
    return render(request, "staff/notifications.html", {"page": page})


@require("staff.use_app")
@require_POST
def notification_read(request, pk=None):
    notification_mark_read(employee=request.user.employee, notification_id=pk)
    if pk is None:
        messages.success(request, _("All notifications marked read."))
    return redirect_next(request, "staff:notifications")


@require("staff.import_employees")
def import_employees(request):
    """Through the background-import machinery (csmgmt.core.imports): a small file at once, a big one queued
    on the imports queue with a progress page. The job keeps only the password's hash."""
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["initial_password"]
        options = {"create_departments": form.cleaned_data["create_departments"],
                   "initial_password_hash": make_password(password) if password else ""}
        try:
            outcome = import_or_queue(kind="employees", upload=form.cleaned_data["file"],
                                      by=getattr(request.user, "employee", None), options=options)
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
        else:
            if isinstance(outcome, ImportJob):
                messages.info(request, _("The file is being imported in the background."))
                return redirect("imports:detail", outcome.pk)
            messages.success(request, outcome)
            return redirect("staff:import_employees")
    return render(request, "staff/import_employees.html", {"form": form, "errors": errors})
