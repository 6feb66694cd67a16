"""The scheduled-jobs page: every job's last run and result; for monthly-report, the result is the
workbooks its last run queued (the task itself only queues them, so its own "OK" says nothing)."""

import datetime as dt
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from csmgmt.models import JobRun, MonthlyReport

TZ = ZoneInfo("Asia/Shanghai")
OCT = dt.date(2026, 10, 1)


def run(task, status, finished, error="", runs=1):
    return JobRun.objects.create(task=task, last_started=finished - dt.timedelta(seconds=2), last_finished=finished,
                                 last_status=status, last_error=error, runs=runs, failures=int(status != "SUCCESS"))


def cells(html, job):
    """(last run, result) of a job's row, as whitespace-normalised text."""
    [row] = lxml.html.fromstring(html).xpath(f'//tr[@id="job-{job}"]')
    text = [" ".join(" ".join(cell.itertext()).split()) for cell in row.xpath("./td")]
    return text[4], text[5]


@pytest.fixture
def runs(db):
    run("csmgmt.tasks.heartbeat", "SUCCESS", dt.datetime(2026, 11, 30, 10, 0, 5, tzinfo=TZ), runs=1440)
    run("staff.attendance.tasks.attendance_settle_yesterday", "FAILURE", dt.datetime(2026, 11, 30, 6, 30, 9, tzinfo=TZ),
        error="OperationalError: could not connect to server", runs=30)
    # The 1 November run queued October's workbooks; the task itself succeeded.
    run("csmgmt.tasks.monthly_report_scheduled", "SUCCESS", dt.datetime(2026, 11, 1, 1, 0, 3, tzinfo=TZ))


def test_each_job_shows_its_last_run_and_result(runs, client_for):
    MonthlyReport.objects.create(month=OCT, language="zh-hans", status="failed", error="ValueError: bad cell")
    MonthlyReport.objects.create(month=OCT, language="en", status="done", progress=100)
    manager = client_for("manager", language="en")
    html = manager.get("/reports/jobs/").content.decode()
    assert cells(html, "heartbeat") == ("2026-11-30 10:00:05 1440 runs", "OK")
    assert cells(html, "attendance-settle-yesterday") == (
        "2026-11-30 06:30:09 30 runs", "FAILURE OperationalError: could not connect to server")
    assert cells(html, "monthly-report") == (
        "2026-11-01 01:00:03 1 runs", "2026-10 简体中文 Failed ValueError: bad cell 2026-10 English Done")
    assert cells(html, "ticketscall_reply_reminders") == ("—", "—")  # never ran


def test_the_monthly_report_row_follows_its_months_newest_workbook(runs, client_for):
    manager = client_for("manager", language="en")
    old = MonthlyReport.objects.create(month=OCT, language="en", status="superseded", progress=100)
    MonthlyReport.objects.create(month=OCT, language="en", status="done", progress=100)
    MonthlyReport.objects.create(month=OCT, language="en", status="running", progress=40)
    MonthlyReport.objects.create(month=dt.date(2026, 9, 1), language="zh-hans", status="failed", error="x")
    assert cells(manager.get("/reports/jobs/").content.decode(), "monthly-report")[1] == "2026-10 English Running 40%"
    MonthlyReport.objects.filter(status="running").update(status="failed", error="interrupted")
    assert cells(manager.get("/reports/jobs/").content.decode(), "monthly-report")[1] == (
        "2026-10 English Failed Interrupted: it made no progress for too long (the worker stopped). Generate it again.")
    assert old.pk  # a superseded row never counts


def test_a_failed_run_of_the_monthly_job_itself_is_shown(client_for, db):
    run("csmgmt.tasks.monthly_report_scheduled", "FAILURE", dt.datetime(2026, 11, 1, 1, 0, 3, tzinfo=TZ),
        error="ScoringError: no active rule set")
    html = client_for("manager", language="en").get("/reports/jobs/").content.decode()
    assert cells(html, "monthly-report")[1] == "FAILURE ScoringError: no active rule set"


def test_the_jobs_page_costs_the_same_queries_whatever_the_data(runs, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = client_for("manager", language="en")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get("/reports/jobs/").status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for month in range(1, 11):
        for language in ("en", "zh-hans"):
            MonthlyReport.objects.create(month=dt.date(2026, month, 1), language=language, status="done")
    run("tickets.tasks.call_reply_reminders", "SUCCESS", dt.datetime(2026, 11, 30, 9, tzinfo=TZ))
    assert queries() == before
