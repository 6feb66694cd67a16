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


def _plan(qs):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        return qs.explain()


@pytest.mark.parametrize("q", ["热水器", "热水器 上门", "陈建华", "宏达贸易"])
def test_a_word_search_is_served_by_the_trigram_indexes(postgres, some_calls, q):
    CallFactory(agent=some_calls[0], summary="热水器不出热水，要求上门维修", caller_name="陈建华",
                organisation="上海宏达贸易有限公司")
    # the condition alone (no ORDER BY ... LIMIT: on a few rows the planner would rather walk the date index)
    qs = apply_call_filters(Call.objects.all(), {"q": q}).order_by()
    plan = _plan(qs)
    assert "Seq Scan on tickets_call" not in plan, plan
    for name in ("call_caller_name_trgm", "call_organisation_trgm", "call_summary_trgm", "call_details_trgm"):
        assert f"Bitmap Index Scan on {name}" in plan, plan
    assert [c.summary for c in qs] == ["热水器不出热水，要求上门维修"]  # and it finds the call


def test_the_trigram_indexes_are_gin_on_the_expression_the_search_uses(postgres, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tickets_call' "
                       "AND indexname LIKE '%%_trgm' ORDER BY indexname")
        rows = dict(cursor.fetchall())
    assert set(rows) == {"call_caller_name_trgm", "call_details_trgm", "call_organisation_trgm", "call_summary_trgm"}
    assert "USING gin (upper((summary)::text) gin_trgm_ops)" in rows["call_summary_trgm"]
