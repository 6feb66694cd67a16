"""Browser: a supervisor watches the dashboard's panels (charts drawn, numbers beside them); a manager
opens the weekly revisit analysis from the Tuesday notice and downloads it."""

import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from complaints.models import ClockKind, ComplaintClock
from complaints.weekly import previous_week, revisit_week_notify
from staff.models import DayStatus
from tests.factories import (ComplaintEventFactory, ComplaintFactory, EmployeeFactory, FoundItemFactory,
                             RosterEntryFactory, shift)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def seed():
    now = timezone.now()
    today = timezone.localdate()
    for i, stage in enumerate(["analyse", "analyse", "plan", "approve", "revisit"]):
        c = ComplaintFactory(stage=stage, received_at=now - dt.timedelta(days=i))
        if i < 2:
            ComplaintClock.objects.create(complaint=c, kind=ClockKind.ASSIGN, started_at=now - dt.timedelta(hours=5),
                                          due_at=now - dt.timedelta(hours=2))
    for months_ago, (att, res) in enumerate([(5, 4), (4, 4), (3, 2), (5, 5)]):
        ComplaintFactory(stage="closed", received_at=now - dt.timedelta(days=31 * months_ago),
                         satisfaction_attitude=att, satisfaction_result=res, closed_at=now)
    for i, code in enumerate(["P", "P", "P", "L", "A", "V"]):
        e = EmployeeFactory(roles=["agent"])
        RosterEntryFactory(employee=e, date=today, shift=shift("A"))
        DayStatus.objects.create(employee=e, date=today, shift=shift("A"), code=code)
    for category in ["phone", "phone", "keys", "bag", "cash"]:
        FoundItemFactory(category=category)
    week = previous_week(today + dt.timedelta(days=7))  # this week's Monday
    for i, (att, res, action) in enumerate([(5, 5, "revisit"), (4, 3, "revisit"), (2, 1, "reopen")]):
        complaint = ComplaintFactory(stage="close", received_at=now - dt.timedelta(days=10))
        ComplaintEventFactory(complaint=complaint, action=action, from_stage="revisit", to_stage="close",
                              at=timezone.make_aware(dt.datetime.combine(week, dt.time(10 + i))),
                              data={"satisfaction_attitude": att, "satisfaction_result": res})
    return week


def test_supervisor_sees_the_panels_and_manager_downloads_the_revisit_analysis(page, login, tmp_path):
    week = seed()
    EmployeeFactory(user__username="supervisor", name="李娜", roles=["supervisor"])
    manager = EmployeeFactory(user__username="manager", name="王建国", roles=["manager"])
    login("supervisor")
    page.goto(page.base_url + "/reports/dashboard/")
    for key in ("calls_today", "complaints_open", "complaints_overdue", "complaints_satisfaction",
                "attendance_today", "lostfound_held"):
        assert page.locator(f"#panel-{key}").count() == 1, key
    assert page.locator("#panel-complaints_open canvas").count() == 1
    page.wait_for_function("() => document.querySelectorAll('canvas.js-chart').length >= 5 && "
                           "[...document.querySelectorAll('canvas.js-chart')].every(c => c.width > 0)")
    table = page.locator("#panel-attendance_today table").inner_text()
    assert "On time\t3" in table and "Absent\t1" in table
    assert "Phone\t2" in page.locator("#panel-lostfound_held table").inner_text()
    page.screenshot(path="/tmp/reports-dashboard.png", full_page=True)
    # The weekly analysis: the notice links to the page, the page offers the download.
    revisit_week_notify(today=week + dt.timedelta(days=8))
    page.context.clear_cookies()
    login("manager")
    from csmgmt.core.models import Notification

    link = Notification.objects.get(recipient=manager).link
    page.goto(page.base_url + link)
    assert page.locator("#stat-revisits").inner_text() == "3"
    assert page.locator("#stat-reopened").inner_text() == "1"
    page.wait_for_function("() => document.getElementById('chart-revisit-satisfaction').width > 0")
    page.screenshot(path="/tmp/reports-revisit-week.png", full_page=True)
    with page.expect_download() as download_info:
        page.click("#revisit-xlsx")
    path = tmp_path / "revisits.xlsx"
    download_info.value.save_as(path)
    rows = [list(r) for r in load_workbook(path).active.values]
    assert rows[1][:2] == ["Revisits", 3]
