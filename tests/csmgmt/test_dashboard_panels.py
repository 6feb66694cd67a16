"""The dashboard's complaints, attendance and lost-and-found panels: numbers from the database, the
query count fixed whatever the data size, and only supervisors and managers get in."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import ClockKind, ClockState, Complaint, ComplaintClock
from staff.models import DayStatus
from tests.factories import ComplaintFactory, FoundItemFactory, RosterEntryFactory, shift


def panel(response, key):
    return next(p for p in response.context["panels"] if p["panel"].key == key)


def series(response, key, i=0):
    return dict(zip(panel(response, key)["json"]["labels"], panel(response, key)["json"]["series"][i]["values"]))


def seed(n, make_employee):
    """n of everything: open complaints, overdue clocks, revisited complaints, rostered employees, held items."""
    now = timezone.now()
    today = timezone.localdate()
    codes = ["P", "L", "A", "V", "M"]
    for i in range(n):
        c = ComplaintFactory(stage="plan" if i % 2 else "analyse", received_at=now)
        ComplaintClock.objects.create(complaint=c, kind=ClockKind.DEPT_REPORT, started_at=now - dt.timedelta(hours=50),
                                      due_at=now - dt.timedelta(hours=2))
        ComplaintFactory(stage="closed", received_at=now, satisfaction_attitude=4, satisfaction_result=2,
                         closed_at=now)
        e = make_employee("agent")
        RosterEntryFactory(employee=e, date=today, shift=shift("A"))
        DayStatus.objects.create(employee=e, date=today, shift=shift("A"), code=codes[i % len(codes)])
        FoundItemFactory(category="keys" if i % 2 else "phone")


def test_the_panels_count_the_database(client_for, make_employee):
    seed(4, make_employee)
    today = timezone.localdate()
    RosterEntryFactory(employee=make_employee("agent"), date=today, shift=shift("A"))  # not judged yet
    RosterEntryFactory(employee=make_employee("agent"), date=today, shift=shift("REST"))  # counts nowhere
    ComplaintFactory(stage="withdrawn", withdrawn_reason="撤回", withdrawn_at=timezone.now())
    FoundItemFactory(category="bag", status="claimed")
    response = client_for("supervisor").get("/reports/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    stages = series(response, "complaints_open")
    assert (stages["Received, to analyse"], stages["Department plans"], sum(stages.values())) == (2, 2, 4)
    assert "Closed" not in stages and "Withdrawn" not in stages
    overdue = series(response, "complaints_overdue")
    assert overdue["Department reports result or progress"] == 4 and sum(overdue.values()) == 4
    month = f"{timezone.localdate():%Y-%m}"
    assert len(panel(response, "complaints_satisfaction")["json"]["labels"]) == 12
    assert panel(response, "complaints_satisfaction")["json"]["labels"][-1] == month
    assert series(response, "complaints_satisfaction", 0)[month] == 4.0
    assert series(response, "complaints_satisfaction", 1)[month] == 2.0
    attendance = series(response, "attendance_today")
    assert attendance == {"On time": 1, "Late": 1, "Absent": 1, "On leave": 1, "Early leave or missed punch": 0,
                          "Not judged yet": 1}
    held = series(response, "lostfound_held")
    assert (held["Phone"], held["Keys"], held["Bag"]) == (2, 2, 0)
    html = response.content.decode()
    for key in ("complaints_open", "complaints_overdue", "complaints_satisfaction", "attendance_today",
                "lostfound_held"):
        assert f'id="panel-{key}"' in html and f'id="{key}"' in html  # the chart and its json


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/reports/dashboard/").status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_costs_the_same_queries_with_1_and_with_20_of_everything(client_for, make_employee):
    manager = client_for("manager")
    seed(1, make_employee)
    small = _queries(manager)
    seed(19, make_employee)
    assert _queries(manager) == small


@pytest.mark.parametrize("role", ["agent", "handler", "custodian"])
def test_other_roles_cannot_see_the_dashboard(client_for, make_employee, role):
    seed(1, make_employee)
    before = (Complaint.objects.count(), DayStatus.objects.count())
    response = client_for(role).get("/reports/dashboard/")
    assert response.status_code == 403
    assert (Complaint.objects.count(), DayStatus.objects.count()) == before
