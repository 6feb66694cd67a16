"""A supervisor's team workbook (issue 9: "or a supervisor, for their team's sheets"): the Attendance and
Scores sheets of a month with their team's rows only, downloaded from the team grid; refused to others."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from staff.attendance.services.days import day_status_recompute
from staff.models import Punch
from staff.scoring.presets import presets_install
from staff.scoring.services.materialise import month_materialise
from tests.factories import DepartmentFactory, EmployeeFactory, RosterEntryFactory, shift

TZ = ZoneInfo("Asia/Shanghai")
ATTENDANCE = ["Employee No", "Name", "Department", *[str(d) for d in range(1, 32)], "Working days", "On time",
              "Late", "Late > 30 min", "Early leave", "Early leave > 30 min", "Missed punch", "Absent", "Leave days",
              "Sick leave", "Personal leave", "Official leave", "Compensatory time off", "Annual leave",
              "Days worked", "Days worked ÷ 21.75 (partial month)"]
SCORES = ["Employee No", "Name", "Department", "Base", "Deductions", "Rewards", "Score", "Fines (CNY)",
          "Rewards (CNY)", "Flags"]


def at(day, hh, mm):
    return dt.datetime(2026, 10, day, hh, mm, tzinfo=TZ)


@pytest.fixture
def team(db):
    presets_install()
    boss = EmployeeFactory(roles=["supervisor"], employee_no="S-01", name="王主管", language="en")
    other_boss = EmployeeFactory(roles=["supervisor"], employee_no="S-02", name="赵主管", language="en")
    mine = [EmployeeFactory(roles=["agent"], employee_no=f"A-0{i}", name=name, supervisor=boss)
            for i, name in ((1, "张伟"), (2, "李娜"))]
    theirs = EmployeeFactory(roles=["agent"], employee_no="B-01", name="刘洋", supervisor=other_boss)
    for person in (*mine, theirs):
        for day in (1, 2):
            RosterEntryFactory(employee=person, date=dt.date(2026, 10, day), shift=shift("A"))
    # 张伟 on time on the 1st and late on the 2nd; the others never punch (absent)
    for stamp in (at(1, 7, 55), at(1, 17, 5), at(2, 8, 12), at(2, 17, 2)):
        Punch.objects.create(employee=mine[0], at=stamp, source="import")
    for person in (*mine, theirs):
        for day in (1, 2):
            day_status_recompute(employee_id=person.pk, date=dt.date(2026, 10, day), now=at(31, 23, 0))
    month_materialise(year=2026, month=10)
    return {"boss": boss, "other_boss": other_boss, "mine": mine, "theirs": theirs}


def client_for(employee):
    client = Client()
    client.force_login(employee.user)
    return client


def download(client, month="2026-10"):
    return client.get(reverse("reports:team"), {"month": month}, HTTP_ACCEPT_LANGUAGE="en")


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.sheetnames, {name: [list(r) for r in workbook[name].values] for name in workbook.sheetnames}


def test_a_supervisor_downloads_their_teams_attendance_and_scores_only(team):
    response = download(client_for(team["boss"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="csmgmt-team-S-01-2026-10-en.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    names, rows = sheet_rows(response)
    assert names == ["Attendance", "Scores", "Targets"]
    assert rows["Attendance"][0] == ATTENDANCE
    assert rows["Scores"][0] == SCORES
    attendance = {r[0]: r for r in rows["Attendance"][1:]}
    assert list(attendance) == ["A-01", "A-02"]  # not 刘洋 of the other team, not the supervisor
    zhang = attendance["A-01"]
    assert zhang[1:3] == ["张伟", "客服部"]
    assert zhang[3:5] == ["P", "L"] and zhang[5] is None
    assert zhang[34:] == [2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, None]  # no leave; a whole month: no ratio
    assert attendance["A-02"][3:5] == ["A", "A"]
    scores = [r[0] for r in rows["Scores"][1:]]
    assert scores == ["A-01", "A-02"]


def test_a_manager_gets_their_whole_department(team):
    manager = EmployeeFactory(roles=["manager"], employee_no="M-01", name="孙经理")
    elsewhere = DepartmentFactory(code="QA", name="质量管理部")
    EmployeeFactory(roles=["agent"], employee_no="Q-01", department=elsewhere, supervisor=manager)

    _names, rows = sheet_rows(download(client_for(manager)))

    assert [r[0] for r in rows["Attendance"][1:]] == ["A-01", "A-02", "B-01"]  # rostered, in 客服部


def test_the_team_workbook_reads_in_a_fixed_number_of_queries(team, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(team["boss"])
    download(client)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = download(client)
        return len(ctx.captured_queries), response

    small, _response = queries()
    for i in range(3, 8):
        person = EmployeeFactory(roles=["agent"], employee_no=f"A-0{i}", supervisor=team["boss"])
        RosterEntryFactory(employee=person, date=dt.date(2026, 10, 1), shift=shift("A"))
    from csmgmt.core.registry import figure_sources

    # the Targets sheet (issue 20) adds its people, its targets and one query per figure source
    with django_assert_max_num_queries(12 + 2 + len(figure_sources())):
        large, response = queries()
    assert large == small  # 2 people or 7: the same queries
    _names, rows = sheet_rows(response)
    assert len(rows["Attendance"]) == 1 + 7


def test_the_team_grid_offers_the_download_to_supervisors(team):
    page = client_for(team["boss"]).get(reverse("staff:attendance_team"), {"month": "2026-10"})
    assert page.status_code == 200
    assert 'id="team-workbook"' in page.content.decode()
    assert f'{reverse("reports:team")}?month=2026-10' in page.content.decode()


@pytest.mark.parametrize("role", ["agent", "handler", "custodian"])
def test_anyone_but_a_supervisor_or_manager_is_refused(team, role):
    someone = EmployeeFactory(roles=[role], employee_no=f"X-{role}")
    response = download(client_for(someone))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_month_goes_back_to_the_grid_with_a_message(team):
    client = client_for(team["boss"])
    response = client.get(reverse("reports:team"), {"month": "2026-13"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain == [(reverse("staff:attendance_team"), 302)]
    assert "“2026-13” is not a month between 2000-01 and 2099-12" in response.content.decode()


def test_only_get_is_taken(team):
    response = client_for(team["boss"]).post(reverse("reports:team"), {"month": "2026-10"})
    assert response.status_code == 405
