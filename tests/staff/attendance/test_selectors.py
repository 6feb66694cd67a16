import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from staff.attendance import selectors as sel
from staff.models import DayStatus, Employee, RosterEntry
from tests.factories import EmployeeFactory, shift

pytestmark = pytest.mark.django_db

MONTH = (2026, 2)  # 28 days


def day(n):
    return dt.date(2026, 2, n)


def status(employee, n, code, **kw):
    return DayStatus.objects.create(employee=employee, date=day(n), shift=shift("A"), code=code, **kw)


def test_month_codes_and_totals_follow_the_workbook_meanings(team, roster):
    e = team.agent
    for n in range(1, 12):
        roster(e, day(n), "A")
    roster(e, day(12), "REST")
    status(e, 1, "P")
    status(e, 2, "L", late_minutes=10)
    status(e, 3, "L", late_minutes=45, late_over=True)
    status(e, 4, "E", early_minutes=30)
    status(e, 5, "E", early_minutes=31, early_over=True)
    status(e, 6, "LE", late_minutes=5, early_minutes=40, early_over=True)
    status(e, 7, "M")
    status(e, 8, "A")
    status(e, 9, "V", leave_fraction=1, leave_kind="annual")
    status(e, 10, "P", leave_fraction=Decimal("0.5"), leave_kind="comp")
    # day 11 is rostered but not judged yet; day 13 has a status but no roster: counts nowhere
    DayStatus.objects.create(employee=e, date=day(13), code="A")
    [row] = sel.attendance_month(year=2026, month=2)
    assert row.employee == e
    assert row.code_list(28)[:14] == ["P", "L", "L", "E", "E", "LE", "M", "A", "V", "P", "", "R", "", ""]
    assert row.totals == {"working_days": 11, "on_time": 2, "late": 2, "late_over_30": 1, "early": 1,
                          "early_over_30": 2, "missed_punch": 1, "absent": 1, "leave_days": Decimal("1.5"),
                          # leave by type (REGULATIONS §8): day 9 annual, day 10 half a compensatory day
                          "leave_sick": 0, "leave_personal": 0, "leave_official": 0, "leave_comp": Decimal("0.5"),
                          "leave_annual": 1,
                          # days worked: on time (1, 10), late (2, 3), early (4, 5), both (6), missed punch (7)
                          "days_worked": 8, "prorated": None}
    with translation.override("en"):
        labels = [str(label) for _k, label in sel.TOTAL_COLUMNS]
    assert labels == [
        "Working days", "On time", "Late", "Late > 30 min", "Early leave", "Early leave > 30 min",
        "Missed punch", "Absent", "Leave days", "Sick leave", "Personal leave", "Official leave",
        "Compensatory time off", "Annual leave", "Days worked", "Days worked ÷ 21.75 (partial month)"]


def test_month_has_one_row_per_rostered_employee_only(team, roster):
    roster(team.agent, day(3))
    roster(team.agent2, day(4), "REST")
    rows = sel.attendance_month(year=2026, month=2)
    assert [(r.employee, r.totals["working_days"]) for r in rows] == sorted(
        [(team.agent, 1), (team.agent2, 0)], key=lambda x: x[0].employee_no)
    assert [r.employee for r in sel.attendance_month(year=2026, month=2, employees=[team.agent2])] == [team.agent2]


def test_month_selector_runs_three_queries_for_200_employees(django_assert_num_queries):
    employees = [EmployeeFactory() for _ in range(200)]
    a = shift("A")
    RosterEntry.objects.bulk_create([RosterEntry(employee=e, date=day(n), shift=a)
                                     for e in employees for n in range(1, 29)])
    DayStatus.objects.bulk_create([DayStatus(employee=e, date=day(n), shift=a, code="P")
                                   for e in employees for n in range(1, 29)])
    with django_assert_num_queries(3):  # roster cells, employees, day statuses
        rows = sel.attendance_month(year=2026, month=2, employees=Employee.objects.all())
    assert len(rows) == 200
    assert rows[0].totals["on_time"] == 28


def test_score_events_one_per_occurrence(team, roster):
    e = team.agent
    status(e, 2, "L", late_minutes=10)
    status(e, 3, "L", late_minutes=45, late_over=True)
    status(e, 4, "E", early_minutes=3)
    status(e, 5, "E", early_minutes=31, early_over=True)
    status(e, 6, "LE", late_minutes=5, early_minutes=40, early_over=True)
    status(e, 7, "M")
    status(e, 8, "A")
    status(e, 9, "A")
    status(e, 10, "V", leave_fraction=1, leave_kind="comp")
    status(e, 11, "P", leave_fraction=Decimal("0.5"), leave_kind="comp")
    status(e, 12, "V", leave_fraction=1, leave_kind="annual")
    status(e, 13, "P")
    DayStatus.objects.create(employee=e, date=dt.date(2026, 3, 1), code="A")  # another month
    events = sel.attendance_score_events(year=2026, month=2)
    assert [(x["date"].day, x["kind"]) for x in events] == [
        (2, "late"), (3, "late_over_30"), (4, "early"), (5, "early_over_30"), (6, "late"), (6, "early_over_30"),
        (7, "missed_punch"), (8, "absent"), (9, "absent"), (10, "comp_leave_day"), (11, "comp_leave_day")]
    assert {x["employee_id"] for x in events} == {e.pk}
    assert set(events[0]) == {"employee_id", "date", "kind", "source"}
    assert events[0]["source"].startswith("attendance:day:")


def test_team_rule_supervisor_sees_own_reports_manager_sees_department(team):
    assert set(sel.managed_employees(team.supervisor.user)) == {team.agent, team.agent2}
    assert set(sel.managed_employees(team.manager.user)) == {team.supervisor, team.agent, team.agent2,
                                                            team.other_supervisor, team.outsider}
    assert list(sel.managed_employees(team.agent.user)) == []
    assert sel.can_manage(team.supervisor.user, team.agent) is True
    assert sel.can_manage(team.supervisor.user, team.outsider) is False
    assert sel.can_manage(team.supervisor.user, team.supervisor) is False


def test_my_month_shows_a_night_shifts_morning_punch_under_the_evening_it_started(team, roster):
    from staff.models import Punch
    from tests.factories import PunchFactory

    from .conftest import local

    roster(team.agent, day(10), "N")
    PunchFactory(employee=team.agent, at=local(day(10), "17:20"))
    PunchFactory(employee=team.agent, at=local(day(11), "01:03"))
    PunchFactory(employee=team.agent, at=local(day(12), "09:00"))  # no roster that day: under its own date
    weeks = sel.my_month(team.agent, 2026, 2)
    days = {d.date: d for w in weeks for d in w}
    assert [p.at for p in days[day(10)].punches] == [local(day(10), "17:20"), local(day(11), "01:03")]
    assert days[day(11)].punches == []
    assert [p.at for p in days[day(12)].punches] == [local(day(12), "09:00")]
    assert Punch.objects.count() == 3
