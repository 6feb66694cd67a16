"""Issue 17, small things users hit on the attendance pages: the clock address opened by GET, approved leave
ahead in the team grid, the doubled "已批准：已批准。", the colours of today's attendance."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staff.attendance import selectors as sel
from staff.models import LeaveRequest, Punch
from tests.factories import LeaveRequestFactory

pytestmark = pytest.mark.django_db


def login(employee, language="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(employee.user)
    return c


def test_opening_the_clock_address_goes_to_the_attendance_page_and_punches_nothing(team):
    response = login(team.agent).get("/staff/attendance/clock/")
    assert (response.status_code, response["Location"]) == (302, "/staff/attendance/my/")
    assert Punch.objects.count() == 0
    # still refused to someone who may not punch (and still POST-only for a punch)
    assert Client().get("/staff/attendance/clock/").status_code == 302  # to the login


def test_approved_leave_ahead_shows_as_v_in_the_team_grid(team, roster):
    today = timezone.localdate()
    # three working days from the day after tomorrow, in the same month when possible
    first = today + dt.timedelta(days=2)
    days = [first + dt.timedelta(days=i) for i in range(3)]
    days = [d for d in days if d.month == first.month]
    for d in days:
        roster(team.agent, d)
        roster(team.agent2, d)
    leave = LeaveRequestFactory(employee=team.agent, start_date=days[0], end_date=days[-1])
    LeaveRequestFactory(employee=team.agent2, start_date=days[0], end_date=days[-1],
                        state=LeaveRequest.State.PENDING_SUPERVISOR)  # not approved: no V
    LeaveRequest.objects.filter(pk=leave.pk).update(state=LeaveRequest.State.APPROVED)

    rows = {r.employee: r for r in sel.attendance_month(year=first.year, month=first.month)}
    codes = rows[team.agent].code_list(31)
    assert [codes[d.day - 1] for d in days] == ["V"] * len(days)
    assert [rows[team.agent2].code_list(31)[d.day - 1] for d in days] == [""] * len(days)
    # the totals count judged days only: nothing judged yet
    assert rows[team.agent].totals["leave_days"] == 0

    page = login(team.supervisor).get(f"/staff/attendance/team/?month={first:%Y-%m}").content.decode()
    assert page.count(">V<") >= len(days)


def test_approving_a_short_leave_says_so_once(team):
    leave = LeaveRequestFactory(employee=team.agent, start_date=timezone.localdate() + dt.timedelta(days=3))
    client = login(team.supervisor, "zh-hans")
    response = client.post(reverse("staff:attendance_leave_decide", args=[leave.pk]), {"action": "approve"},
                           follow=True)
    html = response.content.decode()
    assert "请假已批准。" in html
    assert "已批准：已批准" not in html
    leave.refresh_from_db()
    assert leave.state == "approved"


def test_todays_attendance_colours_late_amber_and_on_time_green(team, rf):
    from csmgmt.dashboard import chart_json
    from staff.attendance.dashboard import todays_attendance

    data = todays_attendance(rf.get("/"))
    with_colour = dict(zip(["on time", "late", "absent", "leave", "other", "pending"], data.colours))
    assert with_colour == {"on time": "#198754", "late": "#ffc107", "absent": "#dc3545", "leave": "#0d6efd",
                           "other": "#fd7e14", "pending": "#adb5bd"}
    assert chart_json(data)["colours"] == data.colours


def test_the_rest_day_reads_as_a_word_while_rest_stays_the_stored_code(team, roster, past_monday):
    from staff.models import RosterEntry

    saturday = past_monday + dt.timedelta(days=5)
    roster(team.agent, saturday, "REST")
    html = login(team.supervisor, "zh-hans").get(f"/staff/attendance/roster/?start={past_monday}").content.decode()
    rest = RosterEntry.objects.get(employee=team.agent, date=saturday).shift
    assert rest.code == "REST"
    assert f'<option value="{rest.pk}" selected>休息</option>' in html
    assert ">REST<" not in html
    mine = login(team.agent, "zh-hans").get(f"/staff/attendance/my/?month={saturday:%Y-%m}").content.decode()
    assert ">休息</span>" in mine and ">REST<" not in mine


def test_the_language_menu_names_each_language_in_itself(team):
    for language in ("zh-hans", "en"):
        html = login(team.agent, language).get("/").content.decode()
        menu = html.split('id="nav-language"', 1)[1].split("</select>", 1)[0]
        assert '>简体中文</option>' in menu and '>English</option>' in menu, menu
        assert "英语" not in menu
