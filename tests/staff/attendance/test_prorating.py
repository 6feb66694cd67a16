"""Pro-rating by 21.75 (REGULATIONS §4, 000 L708): for a month an employee joined or left in, the month grid and the
workbook's Attendance sheet give days worked (on time, late, early leave, missed punch) ÷ 21.75, to 2 decimals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from staff.attendance import selectors as sel
from staff.attendance.reports import SHEETS
from csmgmt.core.sheets import Period
from staff.models import DayStatus

pytestmark = pytest.mark.django_db


def day(n):
    return dt.date(2026, 3, n)  # March 2026: 31 days


def status(employee, n, code):
    return DayStatus.objects.create(employee=employee, date=day(n), code=code)


@pytest.fixture
def joined_mid_march(team, roster):
    """A worked example: 张伟 joins on 16 March and is rostered 16–31 March except two rest days; he is on time 9
    days, late 2, leaves early 1, misses a punch 1 and is absent 1 (14 working days)."""
    e = team.agent
    e.joined_on = day(16)
    e.save()
    codes = ["P"] * 9 + ["L", "L", "E", "M", "A"]
    working = [n for n in range(16, 32) if n not in (21, 22)]
    for n, code in zip(working, codes):
        roster(e, day(n), "A")
        status(e, n, code)
    roster(e, day(21), "REST")
    roster(e, day(22), "REST")
    return e


def test_a_month_the_employee_joined_in_is_prorated_by_21_75(joined_mid_march):
    [row] = sel.attendance_month(year=2026, month=3, employees=[joined_mid_march])
    # days worked: 9 on time + 2 late + 1 early leave + 1 missed punch = 13 (the absent day is not worked)
    assert row.totals["working_days"] == 14
    assert row.totals["days_worked"] == 13
    # 13 ÷ 21.75 = 0.5977… → 0.60
    assert row.totals["prorated"] == Decimal("0.60")


def test_a_month_the_employee_left_in_is_prorated_and_a_whole_month_is_not(team, roster):
    leaver, stayer = team.agent, team.agent2
    leaver.left_on = day(10)
    leaver.joined_on = dt.date(2025, 1, 1)
    leaver.save()
    for e in (leaver, stayer):
        for n in range(2, 7):  # 5 days on time
            roster(e, day(n), "A")
            status(e, n, "P")
    rows = {r.employee: r for r in sel.attendance_month(year=2026, month=3)}
    # 5 ÷ 21.75 = 0.2298… → 0.23
    assert rows[leaver].totals["prorated"] == Decimal("0.23")
    assert rows[stayer].totals["days_worked"] == 5
    assert rows[stayer].totals["prorated"] is None  # worked the whole month: no ratio


def test_joining_on_the_first_or_leaving_on_the_last_day_is_a_whole_month(team, roster):
    e = team.agent
    e.joined_on, e.left_on = day(1), day(31)
    e.save()
    roster(e, day(2), "A")
    status(e, 2, "P")
    [row] = sel.attendance_month(year=2026, month=3, employees=[e])
    assert row.totals["prorated"] is None


def test_the_workbook_attendance_sheet_gives_the_prorated_ratio(joined_mid_march):
    [spec] = SHEETS
    period = Period(2026, 3)
    with translation.override("en"):
        headers = spec.headers(period)
    [row] = list(spec.rows(period))
    assert headers[-2:] == ["Days worked", "Days worked ÷ 21.75 (partial month)"]
    assert row[-2:] == [13, Decimal("0.60")]


def test_the_team_grid_shows_the_prorated_ratio(joined_mid_march, client, team):
    client.force_login(team.supervisor.user)
    response = client.get(reverse("staff:attendance_team"), {"month": "2026-03"})
    assert response.status_code == 200
    assert "0.60" in response.content.decode()
