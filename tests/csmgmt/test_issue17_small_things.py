"""Issue 17, small things across the project: /favicon.ico, dashboard table headers, job names and the shipped
rule sets' notes in the reader's language, attendance references in words, no empty "()"."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_favicon_is_served_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_dashboard_tables_are_headed_by_what_they_count_not_by_menu_names(client_for):
    from complaints.dashboard import open_by_stage
    from lostfound.dashboard import PANELS as LOSTFOUND_PANELS
    from staff.attendance.dashboard import todays_attendance
    from tickets.dashboard import calls_today_by_hour
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        assert calls_today_by_hour(request).headers == ["时段", "来电数量", "有效电话数"]
        assert open_by_stage(request).headers == ["阶段", "投诉数量"]
        assert todays_attendance(request).headers == ["状态", "人数"]
        assert LOSTFOUND_PANELS[0].data(request).headers[1] == "在库数量"
    page = client_for("manager").get("/reports/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<th>投诉管理</th>" not in page and "<th>来电记录</th>" not in page


def test_jobs_read_in_the_readers_language_with_their_key_beside(client_for):
    page = client_for("manager").get("/reports/jobs/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="fw-semibold job-title">月度报表</span>' in page
    assert '<span class="fw-semibold job-title">投诉时限提醒</span>' in page
    assert "<code>monthly-report</code>" in page  # the key the admin's periodic tasks use
    english = client_for("manager").get("/reports/jobs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="fw-semibold job-title">Monthly report</span>' in english


def test_the_shipped_rule_sets_notes_are_chinese():
    from staff.models import RuleSet

    notes = dict(RuleSet.objects.filter(code__in=["points", "fines"]).values_list("code", "description"))
    assert notes == {"points": "每月基础分 10 分（依据《001》篇三）。",
                     "fines": "按人民币罚款，计入部门基金（依据《000 民众康健》第 748–846 行）。"}


def test_an_attendance_reference_reads_as_a_day_not_an_internal_id():
    from django.utils import translation

    from staff.scoring.selectors import source_link

    with translation.override("zh-hans"):
        assert source_link("attendance:day:32", dt.date(2026, 11, 5)) == ("2026-11-05 的考勤", "")
        assert source_link("attendance:day:32") == ("考勤记录", "")
    with translation.override("en"):
        assert source_link("attendance:day:32", dt.date(2026, 11, 5)) == ("Attendance on 2026-11-05", "")


def test_a_contacted_owner_shows_no_empty_brackets(client_for):
    from lostfound.models import LostReport
    from tests.factories import FoundItemFactory, LostReportFactory

    item = FoundItemFactory()
    report = LostReportFactory(owner_phone="")
    LostReport.objects.filter(pk=report.pk).update(matched_item=item, contacted_at=timezone.now())
    c = client_for("custodian")
    for url in (f"/lostfound/reports/{report.pk}/", f"/lostfound/items/{item.pk}/"):
        page = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "()" not in page and "· </dd>" not in page, url


def test_the_login_page_names_each_language_in_itself():
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/accounts/login/").content.decode()
    menu = page.split('id="login-language"', 1)[1].split("</select>", 1)[0]
    assert ">简体中文</option>" in menu and ">English</option>" in menu and "英语" not in menu


def test_a_note_someone_wrote_is_shown_as_written_in_either_language():
    from csmgmt.core.notices import render

    msgid = "%(by)s recorded “%(category)s” for you on %(date)s: %(note)s"
    params = {"by": "李秀梅", "category": "Approved", "date": "2026-11-05", "note": "Close"}  # words in the catalogue
    assert render(msgid, "", params, "zh-hans") == "李秀梅 于 2026-11-05 为您记录了“Approved”：Close"
    assert render(msgid, "", params, "en") == "李秀梅 recorded “Approved” for you on 2026-11-05: Close"
