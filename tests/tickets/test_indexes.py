"""Indexes back every filter of the call list: with sequential scans switched off, PostgreSQL's plan for
each filter uses an index of tickets_call (a filter without one would still show "Seq Scan")."""

import datetime as dt

import pytest
from django.db import connection, transaction

from tests.factories import CallFactory, DepartmentFactory
from tickets.models import Call
from tickets.selectors import apply_call_filters


@pytest.fixture
def some_calls(make_employee):
    agent = make_employee("agent")
    eng = DepartmentFactory(name="工程部", code="ENG")
    for _ in range(3):
        CallFactory(agent=agent)
    return agent, eng


# filter -> (form data, the index that serves it)
FILTERS = {
    "date range": (lambda a, d: {"date_from": dt.date(2026, 11, 1), "date_to": dt.date(2026, 11, 30)},
                   "call_received_idx"),
    "category": (lambda a, d: {"category": "repair"}, "call_category_idx"),
    "channel": (lambda a, d: {"channel": "email"}, "call_channel_idx"),
    "outcome": (lambda a, d: {"outcome": "transferred"}, "call_outcome_idx"),
    "agent": (lambda a, d: {"agent": a}, "call_agent_idx"),
    "department": (lambda a, d: {"department": d}, "call_department_idx"),
    # either serves these: the partial index (WHERE status = 'open') or the status index
    "open": (lambda a, d: {"state": "open"}, ("call_reply_due_idx", "call_status_idx")),
    "overdue": (lambda a, d: {"state": "overdue"}, ("call_reply_due_idx", "call_status_idx")),
    "voided": (lambda a, d: {"state": "voided"}, "call_status_idx"),
    "full phone number": (lambda a, d: {"q": "13800138000"}, "call_phone_idx"),
    "start of a number": (lambda a, d: {"q": "1380013"}, "call_phone_prefix_idx"),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_each_filter_is_served_by_an_index(postgres, some_calls, name):
    agent, eng = some_calls
    data, index = FILTERS[name]
    qs = apply_call_filters(Call.objects.all(), data(agent, eng)).order_by("-received_at", "-id")[:26]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "Seq Scan on tickets_call" not in plan, plan
    names = index if isinstance(index, tuple) else (index,)
    assert any(f"using {name} on tickets_call" in plan for name in names), plan
