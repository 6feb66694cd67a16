"""The targets pages (REGULATIONS §10): an agent sees only their own month, a supervisor their team, a manager the
department with the 12-month trend and the targets; refused roles change nothing; fixed query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csmgmt.core.sheets import Period
from targets.models import MonthFigure, Target
from targets.services import month_figures_store, target_set
from tests.factories import CallFactory

from .conftest import MARCH, at

pytestmark = pytest.mark.django_db


def _calls(agent, resolved, unresolved, day=2):
    for i in range(resolved):
        CallFactory(agent=agent, owner=agent, received_at=at(3, day, 9) + dt.timedelta(minutes=i))
    for i in range(unresolved):
        CallFactory(agent=agent, owner=agent, received_at=at(3, day, 15) + dt.timedelta(minutes=i),
                    outcome="reply_promised", status="open", reply_due_at=at(3, day, 17) + dt.timedelta(minutes=i))


def test_my_month_shows_my_figures_against_the_target_and_nobody_elses(team, client_for, make_employee):
    manager = make_employee("manager")
    target_set(figure="first_contact", month=MARCH, value=Decimal("80"), by=manager)
    _calls(team["A"], 3, 1)  # 3 of 4 inbound calls resolved on the call → 75.0%, below 80%
    _calls(team["B"], 1, 0)
    page = client_for(team["A"]).get(reverse("targets:my") + "?month=2026-03").content.decode()
    assert "75.0%" in page and "80.0%" in page and "Below target" in page
    assert "王芳" not in page  # B's name: not on A's page
    assert "100.0%" not in page  # B's figure neither


def test_my_month_says_so_when_the_month_is_empty(team, client_for):
    page = client_for(team["A"]).get(reverse("targets:my") + "?month=2026-03").content.decode()
    assert 'id="targets-empty"' in page


def test_the_team_page_shows_the_supervisors_team_only(team, client_for, make_employee):
    other_sup = make_employee("supervisor", name="赵志强", team="二组")
    other = make_employee("agent", name="陈静", team="二组", supervisor=other_sup)
    _calls(team["A"], 3, 1)
    _calls(other, 1, 1)
    page = client_for(team["S"]).get(reverse("targets:team") + "?month=2026-03").content.decode()
    assert "张伟" in page and "王芳" in page and "75.0%" in page
    assert "陈静" not in page


def test_the_department_page_shows_teams_the_department_and_a_12_month_trend(team, client_for, make_employee):
    manager = make_employee("manager", name="王建国", team="")
    target_set(figure="first_contact", month=Period(2026, 1), value=Decimal("70"), by=manager)
    _calls(team["A"], 3, 1)
    CallFactory(agent=team["A"], owner=team["A"], received_at=at(2, 10))  # February: 1 of 1
    page = client_for(manager).get(reverse("targets:department") + "?month=2026-03").content.decode()
    assert 'data-row="department"' in page and "一组 · 李秀梅" in page
    assert 'data-month="2025-04"' in page and 'data-month="2026-03"' in page  # 12 months
    assert 'data-month="2025-03"' not in page
    assert 'id="targets-trend"' in page  # the chart's data
    assert "100.0%" in page  # February in the trend (computed live: nothing stored yet)
    assert "70.0%" in page  # the target from January on


def test_the_trend_reads_stored_months_and_the_job_is_safe_to_run_twice(team, make_employee):
    from targets.selectors import trend

    _calls(team["A"], 3, 1)
    now = at(5, 2)
    assert month_figures_store(months=3, now=now) == 3  # February, March, April
    assert month_figures_store(months=3, now=now) == 3
    stored = MonthFigure.objects.get(month=dt.date(2026, 3, 1), figure="first_contact")
    assert (stored.numerator, stored.denominator) == (Decimal("3"), Decimal("4"))
    assert MonthFigure.objects.filter(figure="first_contact").count() == 3
    CallFactory(agent=team["A"], owner=team["A"], received_at=at(3, 20))  # after the job: the trend lags a night
    months = {(m.period.year, m.period.month): m for m in trend(MARCH, now=now)}
    assert not months[(2026, 3)].live
    assert months[(2026, 3)].cells[0].text == "75.0%"


def test_the_manager_sets_a_target_and_a_bad_one_is_refused_on_the_form(client_for, make_employee):
    client = client_for("manager")
    page = client.get(reverse("targets:settings")).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    response = client.post(reverse("targets:settings"), {"figure": "satisfaction", "month": "2026-03", "value": "7",
                                                         "form_token": token})
    assert response.status_code == 200 and "between 1 and 5" in response.content.decode()
    assert Target.objects.count() == 0
    response = client.post(reverse("targets:settings"), {"figure": "satisfaction", "month": "2026-03",
                                                         "value": "4.5", "form_token": token})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.figure, target.applies_from, target.value) == ("satisfaction", dt.date(2026, 3, 1), Decimal("4.5"))
    assert target.history.count() == 1


@pytest.mark.parametrize(("role", "url"), [
    ("agent", "targets:team"), ("agent", "targets:department"), ("supervisor", "targets:department"),
    ("handler", "targets:my"), ("custodian", "targets:team"), ("admin", "targets:department"),
    ("agent", "targets:settings"), ("supervisor", "targets:settings"),
])
def test_refused_roles_get_nothing_and_change_nothing(role, url, client_for):
    client = client_for(role)
    assert client.get(reverse(url)).status_code == 403
    before = (Target.objects.count(), MonthFigure.objects.count())
    response = client.post(reverse(url), {"figure": "first_contact", "month": "2026-03", "value": "80"})
    assert response.status_code == 403
    assert (Target.objects.count(), MonthFigure.objects.count()) == before


def _department_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("targets:department") + "?month=2026-03").status_code == 200
    return len(ctx.captured_queries)


def _team_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("targets:team") + "?month=2026-03").status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_month(team, client_for, make_employee, django_assert_num_queries):
    manager = client_for("manager")
    supervisor = client_for(team["S"])
    _calls(team["A"], 1, 1)
    mine = client_for(team["A"])
    small, small_team = _department_queries(manager), _team_queries(supervisor)
    with CaptureQueriesContext(connection) as ctx:
        mine.get(reverse("targets:my") + "?month=2026-03")
    small_mine = len(ctx.captured_queries)
    for n in range(8):  # more agents, more calls on more days, more teams
        agent = make_employee("agent", team="一组", supervisor=team["S"])
        _calls(agent, 5, 3, day=3 + n)
    _calls(team["B"], 20, 10, day=20)
    with django_assert_num_queries(small):
        manager.get(reverse("targets:department") + "?month=2026-03")
    with django_assert_num_queries(small_team):
        supervisor.get(reverse("targets:team") + "?month=2026-03")
    _calls(team["A"], 30, 10, day=25)
    with django_assert_num_queries(small_mine):
        mine.get(reverse("targets:my") + "?month=2026-03")




def test_the_department_agents_come_a_page_at_a_time(team, client_for, make_employee):
    for n in range(55):
        make_employee("agent", name=f"客服{n:02d}", team="一组", supervisor=team["S"])
    client = client_for("manager")
    first = client.get(reverse("targets:department") + "?month=2026-03").content.decode()
    second = client.get(reverse("targets:department") + "?month=2026-03&page=2").content.decode()
    rows = first.split('id="agents"')[1].count('data-row="agent"')
    assert rows == 50
    # 55 agents, A, B, their supervisor and the manager: 59 people of 客服部, 9 on the second page
    assert second.split('id="agents"')[1].count('data-row="agent"') == 9
