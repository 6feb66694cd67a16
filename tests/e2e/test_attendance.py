"""Browser: an employee clocks in and sees the last handover entry; a supervisor changes a roster
cell (htmx) and approves a leave request."""

import datetime as dt

import pytest
from django.utils import timezone

from staff.models import LeaveRequest, Punch, RosterEntry
from tests.factories import DutyLogEntryFactory, EmployeeFactory, LeaveRequestFactory, RosterEntryFactory, shift

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_employee_clocks_in_and_sees_the_last_handover(page, login):
    agent = EmployeeFactory(roles=["agent"], user__username="zhangwei", name="张伟")
    colleague = EmployeeFactory(roles=["agent"], name="周敏")
    DutyLogEntryFactory(outgoing=colleague, outgoing_signed_at=timezone.now(), events="3号线来电系统故障，已报修",
                        unfinished_work="王先生回访未完成")
    RosterEntryFactory(employee=agent, date=timezone.localdate(), shift=shift("A"))
    login("zhangwei")
    page.goto(page.base_url + "/staff/attendance/my/")
    page.click("#clock-in")
    handover = page.locator("#last-handover")
    handover.wait_for()
    assert "3号线来电系统故障，已报修" in handover.inner_text()
    assert "王先生回访未完成" in handover.inner_text()
    page.screenshot(path="/tmp/attendance-my.png", full_page=True)
    assert Punch.objects.filter(employee=agent, source="web", direction="in").count() == 1


def test_supervisor_changes_a_roster_cell_and_approves_leave(page, login):
    supervisor = EmployeeFactory(roles=["supervisor"], user__username="lixiumei", name="李秀梅")
    agent = EmployeeFactory(roles=["agent"], supervisor=supervisor, name="刘洋")
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    RosterEntryFactory(employee=agent, date=monday, shift=shift("A"))
    leave = LeaveRequestFactory(employee=agent, kind="annual", start_date=monday + dt.timedelta(days=9),
                                reason="回老家探亲")
    login("lixiumei")
    page.goto(page.base_url + "/staff/attendance/roster/")
    cell = page.locator(f"#cell-{agent.pk}-{monday.isoformat()}")
    with page.expect_response(lambda r: "/roster/cell/" in r.url and r.status == 200):
        cell.select_option(label="B")
    page.wait_for_selector("td.roster-cell.saved")
    page.screenshot(path="/tmp/attendance-roster.png", full_page=True)
    assert RosterEntry.objects.get(employee=agent, date=monday).shift.code == "B"

    page.goto(page.base_url + "/staff/attendance/approvals/")
    page.screenshot(path="/tmp/attendance-approvals.png", full_page=True)
    page.locator("#leave-approvals button[value=approve]").click()
    page.wait_for_selector(".alert-success")
    leave.refresh_from_db()
    assert leave.state == "approved"
    assert LeaveRequest.objects.get(pk=leave.pk).events.count() == 1

    page.goto(page.base_url + f"/staff/attendance/team/?month={monday:%Y-%m}")  # the month of that Monday
    page.screenshot(path="/tmp/attendance-team.png", full_page=True)
    assert page.locator("#team-grid").count() == 1
