"""Issue 17, queues driven by deadlines, for calls: the agent's open calls (home panel) and the department's calls
show each call's reply deadline (the reply promised to the customer, its clock counted from the call) with a
countdown, soonest first, coloured by the one rule; the department's queue says what its menu badge counts."""

import pytest
from django.urls import reverse

from tests.deadline_support import H, M, deadline_rows, frozen_now
from tests.factories import CallFactory, DepartmentFactory


@pytest.fixture(autouse=True)
def _english_pages(settings):
    settings.LANGUAGE_CODE = "en"


def boundary_calls(now, **fields):
    """Calls created out of deadline order: (call, level, text) in the expected order."""
    fields.setdefault("outcome", "reply_promised")
    fine = CallFactory(status="open", received_at=now - 6 * H, reply_due_at=now + 2 * H + M, **fields)  # 8 h 1 min clock
    untimed = {**fields, "outcome": "transferred", "department": fields.get("department") or DepartmentFactory()}
    none = CallFactory(status="open", received_at=now - 8 * H, reply_due_at=None, **untimed)  # no reply promised
    quarter = CallFactory(status="open", received_at=now - 36 * H, reply_due_at=now + 12 * H, **fields)
    two_hours = CallFactory(status="open", received_at=now - 30 * M, reply_due_at=now + 2 * H, **fields)
    overdue = CallFactory(status="open", received_at=now - 5 * H, reply_due_at=now - 3 * H, **fields)
    return [(overdue, "overdue", "overdue 3 h"), (two_hours, "soon", "due in 2 h"), (fine, "ok", "due in 2 h 1 min"),
            (quarter, "soon", "due in 12 h"), (none, "none", "")]


def test_my_open_calls_are_listed_by_reply_deadline(monkeypatch, client_for):
    now = frozen_now(monkeypatch)
    c = client_for("agent")
    expected = boundary_calls(now, agent=c.employee)

    html = c.get(reverse("home")).content.decode()

    assert "Your open calls, soonest reply first" in html
    assert deadline_rows(html, "call") == [(call.number, level, text) for call, level, text in expected]


def test_the_department_queue_lists_calls_waiting_for_its_reply_by_deadline_then_the_rest(monkeypatch, client_for):
    now = frozen_now(monkeypatch)
    qa = DepartmentFactory(name="质量管理部", code="QA")
    c = client_for("handler", department=qa)
    replied = CallFactory(outcome="transferred", department=qa, status="open", received_at=now - H,
                          reply_due_at=now - 2 * H, department_replied_at=now - 90 * M)
    closed = CallFactory(outcome="transferred", department=qa, status="closed", received_at=now - 2 * H,
                         reply_due_at=now + H)
    expected = boundary_calls(now, outcome="transferred", department=qa)

    html = c.get(reverse("tickets:department_queue")).content.decode()

    assert deadline_rows(html, "call") == [(call.number, level, text) for call, level, text in expected] + [
        (replied.number, "none", ""), (closed.number, "none", "")]  # done by the department: newest first
    caption = "Calls transferred to your department that wait for its reply"
    assert f"The number beside this list in the menu counts: {caption}." in html


def test_an_agent_is_refused_the_department_queue_and_nothing_changes(client_for):
    qa = DepartmentFactory(name="质量管理部", code="QA")
    call = CallFactory(outcome="transferred", department=qa, status="open")
    from tickets.models import Call

    before = list(Call.objects.values_list("pk", "status", "department_replied_at", "updated_at"))

    response = client_for("agent").get(reverse("tickets:department_queue"))

    assert response.status_code == 403
    assert call.number not in response.content.decode()
    assert list(Call.objects.values_list("pk", "status", "department_replied_at", "updated_at")) == before


def test_the_home_panel_of_my_calls_runs_a_fixed_number_of_queries(monkeypatch, client_for, django_assert_num_queries):
    now = frozen_now(monkeypatch)
    c = client_for("agent")
    boundary_calls(now, agent=c.employee)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("home"))
    boundary_calls(now, agent=c.employee)
    with django_assert_num_queries(len(few.captured_queries)):
        c.get(reverse("home"))
