import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from csmgmt.core.models import Notification
from csmgmt.core.sheets import Period
from csmgmt.models import MonthlyReport
from csmgmt.report_services import report_generate, report_request, report_scheduled
from csmgmt.reports import workbook_write
from tickets.models import Call

TZ = ZoneInfo("Asia/Shanghai")
CALL_HEADERS = ["Number", "Received at", "Channel", "Direction", "Category", "Caller phone", "Caller name",
                "Summary", "Outcome", "Department", "Agent", "Closed at"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"


def make_call(agent, when, n, **kw):
    fields = dict(number=f"LD-{when:%Y%m%d}-{n:04d}", received_at=when, agent=agent, owner=agent,
                  summary=f"咨询 {n}", caller_phone="13800138000", caller_name="王先生")
    fields.update(kw)
    return Call.objects.create(**fields)


@pytest.fixture
def october(make_employee):
    agent = make_employee("agent", name="张伟")
    calls = [
        make_call(agent, dt.datetime(2026, 10, 1, 9, 30, tzinfo=TZ), 1),
        make_call(agent, dt.datetime(2026, 10, 1, 10, 0, tzinfo=TZ), 2, outcome=Call.Outcome.REPLY_PROMISED,
                  reply_due_at=dt.datetime(2026, 10, 1, 12, 0, tzinfo=TZ)),
        make_call(agent, dt.datetime(2026, 10, 31, 23, 59, tzinfo=TZ), 3, summary="=HYPERLINK(\"http://x\")"),
        make_call(agent, dt.datetime(2026, 10, 15, 12, 0, tzinfo=TZ), 4, status=Call.Status.VOIDED, void_reason="重复登记"),
        make_call(agent, dt.datetime(2026, 11, 1, 0, 0, tzinfo=TZ), 5),  # November: not in October's sheet
        make_call(agent, dt.datetime(2026, 9, 30, 23, 59, tzinfo=TZ), 6),  # September
    ]
    return agent, calls


def test_the_workbook_has_the_sheets_headers_and_the_months_numbers(october, tmp_path):
    path = tmp_path / "oct.xlsx"
    workbook_write(period=Period(2026, 10), language="en", path=path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Summary", "Calls"]
    calls = wb["Calls"]
    rows = list(calls.values)
    assert list(rows[0]) == CALL_HEADERS
    assert [r[0] for r in rows[1:]] == ["LD-20261001-0001", "LD-20261001-0002", "LD-20261031-0003"]
    assert rows[1][1] == dt.datetime(2026, 10, 1, 9, 30)
    assert rows[1][2:7] == ("Phone (电话)", "Inbound (呼入)", "Enquiry (咨询)", "138 0013 8000", "王先生")
    assert rows[2][8] == "Reply promised (待回复)"
    assert rows[1][10] == "张伟"
    assert calls.freeze_panes == "A2"
    assert calls.auto_filter.ref == "A1:L4"
    summary = {r[0]: r[1] for r in wb["Summary"].values if r[0]}
    assert summary["Calls"] == 3
    assert summary["First-contact resolution rate"] == pytest.approx(2 / 3)


def test_cell_text_that_looks_like_a_formula_is_written_as_text(october, tmp_path):
    path = tmp_path / "oct.xlsx"
    workbook_write(period=Period(2026, 10), language="en", path=path)
    cell = load_workbook(path)["Calls"]["H4"]
    assert cell.value == '\'=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def test_the_workbook_in_chinese(october, tmp_path):
    path = tmp_path / "oct.xlsx"
    workbook_write(period=Period(2026, 10), language="zh-hans", path=path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["汇总", "来电"]
    assert list(wb["来电"].values)[0][0] == "编号"


def test_regenerating_a_month_twice_leaves_one_current_file(october, media, make_employee,
                                                            django_capture_on_commit_callbacks):
    manager = make_employee("manager")
    with django_capture_on_commit_callbacks(execute=True):
        first, created = report_request(period=Period(2026, 10), language="en", by=manager)
    assert created
    assert report_generate(report_id=first.pk).status == "done"  # already ran (eager task): a no-op
    first.refresh_from_db()
    assert first.status == MonthlyReport.Status.DONE and first.progress == 100 and first.size > 0
    first_file = first.file.name
    assert default_storage.exists(first_file)
    with django_capture_on_commit_callbacks(execute=True):
        second, _ = report_request(period=Period(2026, 10), language="en", by=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (MonthlyReport.Status.SUPERSEDED, MonthlyReport.Status.DONE)
    assert MonthlyReport.objects.filter(month=dt.date(2026, 10, 1), language="en", status="done").count() == 1
    assert not default_storage.exists(first_file)
    assert default_storage.exists(second.file.name)
    assert Notification.objects.filter(recipient=manager, key=f"monthly-report-ready-{second.pk}").count() == 1


def test_a_second_request_while_one_waits_returns_the_waiting_one(db):
    # Inside this test's transaction nothing is committed, so the queued generation never starts.
    first, created1 = report_request(period=Period(2026, 10), language="en")
    second, created2 = report_request(period=Period(2026, 10), language="en")
    assert (created1, created2, first.pk) == (True, False, second.pk)
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.PENDING


def test_generating_a_report_that_no_longer_exists_does_nothing(db):
    assert report_generate(report_id=987654) is None


def test_the_future_cannot_be_reported(db):
    from csmgmt.report_services import ReportError

    with pytest.raises(ReportError):
        report_request(period=Period(2099, 1), language="en")
    assert MonthlyReport.objects.count() == 0


def test_the_scheduled_job_makes_last_months_workbook(october, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [report] = report_scheduled(today=dt.date(2026, 11, 1))  # no manager: the default language
    report.refresh_from_db()
    assert (report.month, report.status) == (dt.date(2026, 10, 1), MonthlyReport.Status.DONE)


def test_monthly_report_command_writes_the_file(october, tmp_path):
    out = tmp_path / "x.xlsx"
    call_command("monthly_report", "--month", "2026-10", "--lang", "en", "--output", str(out),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert len(list(load_workbook(out)["Calls"].values)) == 4
    with pytest.raises(CommandError):
        call_command("monthly_report", "--month", "2026-13", stdout=io.StringIO())


def test_a_manager_regenerates_and_downloads_and_others_are_refused(october, media, client_for,
                                                                   django_capture_on_commit_callbacks):
    manager = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post("/reports/generate/", {"month": "2026-10", "language": "en"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.status == MonthlyReport.Status.DONE
    download = manager.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="csmgmt-2026-10-en.xlsx"'
    assert b"".join(download.streaming_content)[:2] == b"PK"
    for role in ("agent", "supervisor", "handler", "custodian", "admin"):
        other = client_for(role)
        assert other.get(f"/reports/{report.pk}/download/").status_code == 403
        assert other.post("/reports/generate/", {"month": "2026-09", "language": "en"}).status_code == 403
        assert other.get("/reports/").status_code == 403
    assert MonthlyReport.objects.count() == 1


def test_a_bad_month_is_a_form_message(client_for, db):
    response = client_for("manager").post("/reports/generate/", {"month": "October", "language": "en"},
                                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Enter a month as YYYY-MM" in response.content.decode()
    assert MonthlyReport.objects.count() == 0


def test_the_row_partial_polls_while_running_and_stops_when_done(client_for, db):
    manager = client_for("manager")
    running = MonthlyReport.objects.create(month=dt.date(2026, 10, 1), language="en", status="running", progress=40)
    html = manager.get(f"/reports/{running.pk}/row/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "40%" in html
    running.status, running.progress = "done", 100
    running.save()
    assert "hx-trigger" not in manager.get(f"/reports/{running.pk}/row/").content.decode()


def test_the_jobs_page_lists_every_job_for_managers_only(client_for, db):
    html = client_for("manager").get("/reports/jobs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "heartbeat" in html and "monthly-report" in html
    assert client_for("agent").get("/reports/jobs/").status_code == 403


def test_the_dashboard_counts_todays_calls_by_hour(client_for, django_assert_max_num_queries):
    from django.utils import timezone

    supervisor = client_for("supervisor")
    now = timezone.localtime()
    for i in range(3):
        make_call(supervisor.employee, now.replace(hour=9, minute=i), i + 1)
    response = supervisor.get("/reports/dashboard/")
    assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p["panel"].key == "calls_today")
    assert panel["json"]["series"][0]["values"][9] == 3
    assert sum(panel["json"]["series"][0]["values"]) == 3
    assert client_for("agent").get("/reports/dashboard/").status_code == 403
