"""Writes for monthly workbooks: request a generation, run it (idempotent), keep one current file."""

import datetime as dt
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core.sheets import Period
from .models import MonthlyReport
from .reports import workbook_write


class ReportError(Exception):
    pass


class ReportInterrupted(Exception):
    """Raised inside a generation whose row was meanwhile marked interrupted: stop, keep nothing."""


IN_PROGRESS = [MonthlyReport.Status.PENDING, MonthlyReport.Status.RUNNING]


def report_stale_fail(*, month: dt.date, language: str) -> int:
    """Mark the month's waiting or running generation failed ("interrupted") when it has shown no progress
    for ``REPORT_STALE_MINUTES`` (its worker died), which frees the month for a new one. A conditional
    update: a generation that makes progress meanwhile is left alone, and if its worker is still alive
    after all it stops at its next progress update and keeps nothing."""
    now = timezone.now()
    return MonthlyReport.objects.filter(
        month=month, language=language, status__in=IN_PROGRESS, updated_at__lt=MonthlyReport.stale_before(),
    ).update(status=MonthlyReport.Status.FAILED, error=MonthlyReport.INTERRUPTED, finished_at=now, updated_at=now)


def report_request(*, period: Period, language: str, by=None) -> tuple[MonthlyReport, bool]:
    """Queue a generation of ``period``'s workbook in ``language``. If one is already waiting or
    running for that month and language, that one is returned (``created`` False): the unique
    constraint, not a check, makes two requests at once produce one generation. One that shows no
    progress any more is marked interrupted first (:func:`report_stale_fail`), so a new one starts."""
    if language not in dict(settings.LANGUAGES):
        raise ReportError(_("Unknown language."))
    if period.first_day > timezone.localdate():
        raise ReportError(_("That month has not started yet."))
    report_stale_fail(month=period.first_day, language=language)
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(month=period.first_day, language=language, requested_by=by)
    except IntegrityError:
        report = MonthlyReport.objects.get(month=period.first_day, language=language, status__in=IN_PROGRESS)
        return report, False
    from .tasks import monthly_report_generate

    transaction.on_commit(lambda: monthly_report_generate.delay(report.pk))
    return report, True


def report_generate(*, report_id: int) -> MonthlyReport | None:
    """Run one generation. Safe to run twice: a finished or already-running row is left alone. Every
    write is conditional on the row still running, so a generation marked interrupted meanwhile (see
    :func:`report_stale_fail`) stops at its next progress update and neither finishes nor supersedes."""
    running = MonthlyReport.Status.RUNNING
    claimed = MonthlyReport.objects.filter(pk=report_id, status=MonthlyReport.Status.PENDING).update(
        status=running, started_at=timezone.now(), progress=0, updated_at=timezone.now()
    )
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if report is None or not claimed:
        return report
    period = Period(report.month.year, report.month.month)

    def progress(pct, stage):
        if not MonthlyReport.objects.filter(pk=report_id, status=running).update(
                progress=pct, stage=str(stage)[:100], updated_at=timezone.now()):
            raise ReportInterrupted

    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    stored = None
    try:
        report_scores_ensure(period=period)
        workbook_write(period=period, language=report.language, path=tmp, progress=progress)
        name = f"reports/{period}/csmgmt-{period}-{report.language}-{report.pk}.xlsx"
        with open(tmp, "rb") as fh:
            stored = default_storage.save(name, File(fh))
        size = default_storage.size(stored)
    except ReportInterrupted:
        report.refresh_from_db()
        return report
    except Exception as exc:
        MonthlyReport.objects.filter(pk=report_id, status=running).update(
            status=MonthlyReport.Status.FAILED, finished_at=timezone.now(), updated_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if stored:
            default_storage.delete(stored)
        raise
    finally:
        os.unlink(tmp)
    with transaction.atomic():
        finished = MonthlyReport.objects.filter(pk=report_id, status=running).update(
            status=MonthlyReport.Status.DONE, finished_at=timezone.now(), progress=100, file=stored, size=size,
            stage="", updated_at=timezone.now(),
        )
        if not finished:  # interrupted while the file was being stored
            transaction.on_commit(lambda: default_storage.delete(stored))
        else:
            older = list(
                MonthlyReport.objects.select_for_update()
                .filter(month=report.month, language=report.language, status=MonthlyReport.Status.DONE)
                .exclude(pk=report_id)
            )
            for old in older:
                old_file = old.file.name
                old.status = MonthlyReport.Status.SUPERSEDED
                old.save(update_fields=["status", "updated_at"])
                if old_file:
                    transaction.on_commit(lambda f=old_file: default_storage.delete(f))
    report.refresh_from_db()
    if finished:
        _notify_managers(report)
    return report


def _active_managers():
    from csmgmt.core.roles import Role
    from staff.models import Employee

    return Employee.objects.filter(active=True, user__is_active=True, user__groups__name=Role.MANAGER).distinct()


def report_languages() -> list[str]:
    """The languages the active managers read: each one's preferred language, the default language for
    those who chose none ("as the browser says"). The default language alone when there is no manager."""
    used = {code or settings.LANGUAGE_CODE for code in _active_managers().values_list("language", flat=True)}
    return [code for code, _name in settings.LANGUAGES if code in used] or [settings.LANGUAGE_CODE]


def _notify_managers(report: MonthlyReport) -> None:
    """Tell the managers who read this file's language (and whoever asked for it) that it is ready, with
    a link to it. Once per file and person (the notice key)."""
    from django.db.models import Q

    from csmgmt.core.notices import notification_send

    reads_it = Q(language=report.language)
    if report.language == settings.LANGUAGE_CODE:
        reads_it |= Q(language="")
    recipients = list(_active_managers().filter(reads_it).select_related("user"))
    requester = report.requested_by
    if requester is not None and requester.active and all(m.pk != requester.pk for m in recipients):
        recipients.append(requester)
    for manager in recipients:
        notification_send(
            recipient=manager,
            message=_("The monthly report for %(month)s is ready."),
            params={"month": f"{report.month:%Y-%m}"},
            link=reverse("reports:download", args=[report.pk]),
            key=f"monthly-report-ready-{report.pk}",
        )


def report_month_settle(*, period: Period) -> None:
    """Bring the month's attendance and scores up to date before its workbook is made. The nightly jobs
    come too late for the file made on the 1st at 01:00 (yesterday's attendance is judged at 06:30, scores are
    materialised at 01:30), and never ran for a month imported afterwards, so: judge every rostered day of the
    month that has no settled status yet (in bounded batches), then the month's last day for everyone
    rostered (as the attendance job does), then materialise the month's scores (an open month only; a closed
    month or no active rule set is left alone). All idempotent: the nightly jobs later write nothing new."""
    from django.db.models import Exists, OuterRef

    from staff.attendance.services.days import attendance_settle_day, day_status_recompute
    from staff.models import DayStatus, RosterEntry
    from staff.scoring.tasks import scoring_materialise

    settled = DayStatus.objects.filter(employee_id=OuterRef("employee_id"), date=OuterRef("date"), pending=False)
    before = min(period.last_day, timezone.localdate())  # the last day: attendance_settle_day below
    unjudged = (RosterEntry.objects.filter(date__gte=period.first_day, date__lt=before, shift__isnull=False)
                .exclude(Exists(settled)).order_by("employee_id", "date").values_list("employee_id", "date"))
    after = (0, period.first_day)
    while True:
        batch = list(unjudged.filter(Q(employee_id__gt=after[0]) | Q(employee_id=after[0], date__gt=after[1]))[:500])
        for employee_id, date in batch:
            with transaction.atomic():
                day_status_recompute(employee_id=employee_id, date=date)
        if len(batch) < 500:
            break
        after = batch[-1]
    last = 0
    while last is not None:
        last = attendance_settle_day(date=period.last_day, after_id=last)
    scoring_materialise(period.year, period.month)  # the task's own code, run here synchronously


def report_scores_ensure(*, period: Period) -> bool:
    """REGULATIONS §8: no silent empty sheet. A month whose scores were never computed (a new user imports
    last month's roster and punches, then asks for its workbook) is settled first (:func:`report_month_settle`),
    so the Scores sheet has every rostered employee's score. Returns whether it settled the month."""
    from staff.models import ScoreMonth

    if ScoreMonth.objects.filter(year=period.year, month=period.month, materialised_at__isnull=False).exists():
        return False
    report_month_settle(period=period)
    return True


def report_scheduled(*, today: dt.date | None = None) -> list[MonthlyReport]:
    """The 1st-of-the-month job: settle last month, then queue its workbook once per language the active
    managers read (:func:`report_languages`); each manager's notice links to their own language's file."""
    period = Period.previous(today or timezone.localdate())
    report_month_settle(period=period)
    return [report_request(period=period, language=language)[0] for language in report_languages()]
