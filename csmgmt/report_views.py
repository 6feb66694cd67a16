import tempfile

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_celery_beat.models import PeriodicTask

from csmgmt.core.params import Param, reads
from csmgmt.core.permissions import require

from .core.registry import jobs
from .core.sheets import Period
from .dashboard import chart_json, panels_for, table_rows
from .forms import ReportRequestForm
from .models import JobRun, MonthlyReport
from .report_services import ReportError, report_request
from .reports import team_workbook_write
from .selectors import current_report


def _visible_reports():
    return (MonthlyReport.objects.exclude(status=MonthlyReport.Status.SUPERSEDED)
            .select_related("requested_by").order_by("-month", "language", "-created_at")[:60])


@require("reports.download")
def report_list(request):
    last = Period.previous(timezone.localdate())
    form = ReportRequestForm(initial={"month": str(last), "language": request.LANGUAGE_CODE})
    return render(request, "csmgmt/reports.html", {"form": form, "reports": _visible_reports()})


@require("reports.regenerate")
@require_POST
def report_regenerate(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "csmgmt/reports.html", {"form": form, "reports": _visible_reports()}, status=400)
    try:
        report, created = report_request(period=form.cleaned_data["period"], language=form.cleaned_data["language"],
                                         by=request.user.employee)
    except ReportError as exc:
        form.add_error(None, str(exc))
        return render(request, "csmgmt/reports.html", {"form": form, "reports": _visible_reports()}, status=400)
    if created:
        messages.success(request, _("The workbook for %(month)s is being generated.") % {"month": form.cleaned_data["month"]})
    else:
        messages.info(request, _("The workbook for %(month)s is already being generated.") % {"month": form.cleaned_data["month"]})
    return redirect("reports:list")


@require("reports.download")
def report_row(request, pk):
    """htmx: one row of the list, polled while its generation runs."""
    report = get_object_or_404(MonthlyReport.objects.select_related("requested_by"), pk=pk)
    return render(request, "csmgmt/partials/report_row.html", {"r": report})


@require("reports.download")
def report_download(request, pk):
    """The file of a finished generation. A superseded one (a page opened before the month was regenerated,
    an older notice) redirects to the current file of the same month and language."""
    report = get_object_or_404(MonthlyReport, pk=pk)
    if report.status == MonthlyReport.Status.SUPERSEDED:
        current = current_report(month=report.month, language=report.language)
        if current is not None:
            return redirect("reports:download", current.pk)
    if report.status != MonthlyReport.Status.DONE or not report.file or not default_storage.exists(report.file.name):
        raise Http404(_("This file is no longer available; download the current one from the reports page."))
    filename = f"csmgmt-{report.month:%Y-%m}-{report.language}.xlsx"
    response = FileResponse(default_storage.open(report.file.name, "rb"), as_attachment=True, filename=filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Cache-Control"] = "private, no-store"
    return response


def _last_month():
    return Period.previous(timezone.localdate())


@require("reports.team_download")
@require_GET
@reads(Param.month(default=_last_month))
def team_download(request):
    """A supervisor's workbook of a month (``?month=YYYY-MM``, default last month): the attendance and scores
    sheets for the people they roster and approve for (a manager: the department), in their language.
    Written while they wait (a team is small) and never stored."""
    from staff.attendance.selectors import managed_employees

    if request.params.messages:  # a bad month: no workbook of a month nobody asked for
        return redirect("staff:attendance_team")
    period = request.params["month"]
    employee_ids = list(managed_employees(request.user).values_list("pk", flat=True))
    stream = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    team_workbook_write(period=period, language=request.LANGUAGE_CODE, employee_ids=employee_ids, stream=stream)
    stream.seek(0)
    me = getattr(request.user, "employee", None)
    filename = f"csmgmt-team-{me.employee_no if me else request.user.pk}-{period}-{request.LANGUAGE_CODE}.xlsx"
    response = FileResponse(stream, as_attachment=True, filename=filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Cache-Control"] = "private, no-store"
    return response


@require("reports.view_jobs")
def job_list(request):
    tasks = {t.name: t for t in PeriodicTask.objects.select_related("interval", "crontab")}
    runs = {r.task: r for r in JobRun.objects.all()}
    rows = []
    for job in jobs():
        task = tasks.get(job.name)
        run = runs.get(job.task)
        rows.append({"job": job, "task": task, "run": run, "outcomes": job.outcome(run) if job.outcome else []})
    return render(request, "csmgmt/jobs.html", {"rows": rows})


@require("reports.dashboard")
def dashboard(request):
    panels = []
    for panel in panels_for(request.user):
        data = panel.data(request)
        panels.append({"panel": panel, "data": data, "json": chart_json(data), "rows": table_rows(data)})
    return render(request, "csmgmt/dashboard.html", {"panels": panels})
