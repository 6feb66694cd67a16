from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.models import Notification
from csmgmt.core.permissions import roles_of

from .core.registry import JobOutcome
from .core.sheets import Period
from .models import MonthlyReport


def my_work_summary(user) -> dict:
    """What every home page shows, whatever the role: roles and the latest unread notices."""
    employee = getattr(user, "employee", None)
    latest = []
    if employee is not None:
        latest = list(
            Notification.objects.filter(recipient=employee, read_at__isnull=True).order_by("-created", "-id")[:5]
        )
    return {"employee": employee, "roles": sorted(roles_of(user)), "latest_notices": latest}


def current_report(*, month, language) -> MonthlyReport | None:
    """The current file of a month and language: its newest finished generation (one at most is ``done``)."""
    return (MonthlyReport.objects.filter(month=month, language=language, status=MonthlyReport.Status.DONE)
            .order_by("-finished_at", "-id").first())


def report_job_outcome(run) -> list[JobOutcome]:
    """The jobs page's result for ``monthly-report``: the task only queues the workbooks, so its own
    success says nothing. For the month its last run made (the month before the run's day), the newest
    workbook of each language that is not superseded: done, failed with its error, or waiting / running
    with its progress. One query."""
    if run is None or run.last_started is None:
        return []
    period = Period.previous(timezone.localtime(run.last_started).date())
    latest = {}
    for report in (MonthlyReport.objects.filter(month=period.first_day)
                   .exclude(status=MonthlyReport.Status.SUPERSEDED).order_by("language", "-created_at", "-id")):
        latest.setdefault(report.language, report)
    names = dict(settings.LANGUAGES)
    order = list(names)
    outcomes = []
    for language in sorted(latest, key=lambda code: order.index(code) if code in order else len(order)):
        report = latest[language]
        label = f"{period} {names.get(language, language)}"
        status = report.get_status_display()
        if report.status == MonthlyReport.Status.DONE:
            outcomes.append(JobOutcome(label, "ok", status))
        elif report.status == MonthlyReport.Status.FAILED:
            detail = _("Interrupted: it made no progress for too long (the worker stopped). Generate it again.") \
                if report.was_interrupted else report.error
            outcomes.append(JobOutcome(label, "failed", status, detail))
        else:
            outcomes.append(JobOutcome(label, "running", f"{status} {report.progress}%"))
    return outcomes
