"""The scheduled monthly workbook: it settles the month first (the last day's attendance, the month's
scores), and makes one file per language the managers read, each manager told about their own."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from openpyxl import load_workbook

from csmgmt.core.models import Notification
from csmgmt.models import MonthlyReport
from csmgmt.report_services import report_scheduled
from staff.attendance.services.days import day_status_recompute
from staff.models import DayStatus, Punch, ScoreCard, ScoreMonth
from staff.scoring.presets import presets_install
from staff.scoring.services.materialise import month_materialise
from tests.factories import EmployeeFactory, RosterEntryFactory, shift

TZ = ZoneInfo("Asia/Shanghai")
NOV_1 = dt.date(2026, 11, 1)  # the job's day: it makes October's file


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"


@pytest.fixture
def absent_on_the_last_day(db):
    """李娜 works shift A (08:00–17:00) on 30 and 31 October. The 30th was judged by the nightly job and the
    month's scores were materialised at 01:30 on the 31st; on the 31st nothing came (no punch at all), and
    the workbook job runs at 01:00 on 1 November, before the 06:30 attendance job and the 01:30 scores."""
    presets_install()
    agent = EmployeeFactory(roles=["agent"], employee_no="CS-031", name="李娜")
    for day in (30, 31):
        RosterEntryFactory(employee=agent, date=dt.date(2026, 10, day), shift=shift("A"))
    for stamp in (dt.datetime(2026, 10, 30, 7, 55, tzinfo=TZ), dt.datetime(2026, 10, 30, 17, 5, tzinfo=TZ)):
        Punch.objects.create(employee=agent, at=stamp, source="import")
    day_status_recompute(employee_id=agent.pk, date=dt.date(2026, 10, 30), now=dt.datetime(2026, 10, 31, 6, 30, tzinfo=TZ))
    month_materialise(year=2026, month=10)
    return agent


def _workbook(report):
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DONE, report.error
    with default_storage.open(report.file.name, "rb") as fh:
        return load_workbook(fh)


def test_the_scheduled_file_judges_the_months_last_day_and_counts_it_in_the_scores(
        absent_on_the_last_day, media, django_capture_on_commit_callbacks):
    agent = absent_on_the_last_day
    assert not DayStatus.objects.filter(employee=agent, date=dt.date(2026, 10, 31)).exists()
    assert ScoreCard.objects.get(employee=agent, score_month__year=2026, score_month__month=10).deductions == 0
    with django_capture_on_commit_callbacks(execute=True):
        [report] = report_scheduled(today=NOV_1)
    wb = _workbook(report)
    header, row = [list(r) for r in wb["考勤"].values]  # Attendance
    assert row[:2] == ["CS-031", "李娜"]
    assert (header[3 + 29], header[3 + 30]) == ("30", "31")
    assert (row[3 + 29], row[3 + 30]) == ("P", "A")
    # Working days, On time, Late, Late > 30, Early, Early > 30, Missed punch, Absent, Leave days, Days worked,
    # ÷ 21.75 (a whole month: none)
    # … Absent, Leave days, leave by type (sick, personal, official, compensatory, annual), Days worked, ratio
    assert row[34:] == [2, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, None]
    [scores] = [list(r) for r in wb["考核"].values][1:]  # Scores
    # points preset: absent −5 → deductions 5, score 10 − 5 = 5
    assert scores[:7] == ["CS-031", "李娜", agent.department.name, 10, 5, 0, 5]


def test_the_scheduled_job_leaves_a_closed_score_month_alone(absent_on_the_last_day, media,
                                                             django_capture_on_commit_callbacks):
    agent = absent_on_the_last_day
    ScoreMonth.objects.filter(year=2026, month=10).update(status=ScoreMonth.Status.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        [report] = report_scheduled(today=NOV_1)
    wb = _workbook(report)
    assert DayStatus.objects.get(employee=agent, date=dt.date(2026, 10, 31)).code == "A"  # attendance judged
    [scores] = [list(r) for r in wb["考核"].values][1:]
    assert scores[3:7] == [10, 0, 0, 10]  # the closed month's cards as they were
    assert ScoreCard.objects.get(employee=agent, score_month__year=2026, score_month__month=10).deductions == 0


# --- one file per language the managers read ---------------------------------------------------------------


def notices(employee):
    return list(Notification.objects.filter(recipient=employee).values_list("text", "link"))


def test_the_scheduled_job_makes_a_file_per_managers_language_and_links_each_to_their_own(
        media, make_employee, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "zh-hans"
    english = make_employee("manager", language="en")
    chinese = make_employee("manager", language="zh-hans")
    browser = make_employee("manager", language="")  # chose nothing: the default language
    agent = make_employee("agent", language="en")  # not a manager: no file, no notice
    with django_capture_on_commit_callbacks(execute=True):
        reports = report_scheduled(today=NOV_1)
    assert [(r.month, r.language) for r in reports] == [(dt.date(2026, 10, 1), "zh-hans"), (dt.date(2026, 10, 1), "en")]
    zh, en = reports
    assert _workbook(zh).sheetnames[:2] == ["汇总", "来电"]
    assert _workbook(en).sheetnames[:2] == ["Summary", "Calls"]
    assert notices(english) == [("The monthly report for 2026-10 is ready.", f"/reports/{en.pk}/download/")]
    for manager in (chinese, browser):
        assert notices(manager) == [("2026-10 月度报表已生成。", f"/reports/{zh.pk}/download/")]
    assert notices(agent) == []
    english_client = Client()
    english_client.force_login(english.user)
    download = english_client.get(notices(english)[0][1])
    assert download["Content-Disposition"] == 'attachment; filename="csmgmt-2026-10-en.xlsx"'


def test_only_active_managers_languages_count_and_without_managers_the_default_is_made(
        media, make_employee, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "zh-hans"
    make_employee("manager", language="en", active=False)
    gone = make_employee("manager", language="en")
    gone.user.is_active = False
    gone.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert [r.language for r in report_scheduled(today=NOV_1)] == ["zh-hans"]
    assert Notification.objects.count() == 0
    assert MonthlyReport.objects.get().status == "done"


def test_a_regeneration_tells_the_managers_of_its_language_and_whoever_asked(
        media, make_employee, settings, django_capture_on_commit_callbacks):
    from csmgmt.core.sheets import Period
    from csmgmt.report_services import report_request

    settings.LANGUAGE_CODE = "zh-hans"
    asker = make_employee("manager", language="zh-hans")
    english = make_employee("manager", language="en")
    other = make_employee("manager", language="")
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_request(period=Period(2026, 10), language="en", by=asker)
    link = f"/reports/{report.pk}/download/"
    assert notices(english) == [("The monthly report for 2026-10 is ready.", link)]
    assert notices(asker) == [("2026-10 月度报表已生成。", link)]
    assert notices(other) == []
