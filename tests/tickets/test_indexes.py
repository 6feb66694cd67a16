"""Indexes back every filter of the call list. On a few hundred analysed rows (ANALYZE after loading them, so
the planner prices real statistics, not defaults) and with sequential scans switched off:

- the list's query (the filter, newest first, one page) never scans tickets_call sequentially;
- the filter's condition alone is served by one of the indexes made for it — with the filter as its index
  condition (or, for the partial index of open calls, as its predicate), so walking another index and
  filtering row by row does not count. Which of several good indexes the planner picks is its business: any of
  them passes. The condition is planned without ORDER BY … LIMIT because on a few hundred rows the planner may
  rightly prefer to walk the date index for one page (the measured plans at scale are in docs/tickets.md);
  without them, the index that holds the filter is always the cheaper path, whatever the statistics."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import CallFactory, DepartmentFactory
from tickets.models import Call
from tickets.selectors import apply_call_filters

CATEGORIES = ["enquiry"] * 5 + ["complaint", "repair", "praise"]
CHANNELS = ["phone"] * 4 + ["email"]


def analyse():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_call")


@pytest.fixture
def some_calls(make_employee):
    """600 calls over half a year (June to November 2026) across four agents and three departments, some open
    (and overdue), a few voided, a few from 138 0013 800x; then ANALYZE."""
    agents = [make_employee("agent") for _ in range(4)]
    departments = [DepartmentFactory(name=name, code=code) for name, code in
                   (("工程部", "ENG"), ("质量管理部", "QA"), ("物流配送部", "LOG"))]
    start = dt.datetime(2026, 6, 1, 8, tzinfo=timezone.get_current_timezone())
    rows = []
    for i in range(600):
        received = start + dt.timedelta(hours=7 * i)
        outcome = ("resolved", "resolved", "reply_promised", "transferred")[i % 4]
        status = "voided" if i % 50 == 0 else ("closed" if outcome == "resolved" or i % 3 else "open")
        rows.append(Call(
            number=f"LD-IDX-{i:05d}", received_at=received, caller_phone=f"1380013800{i % 10}" if i % 40 == 0
            else f"139{i:08d}", caller_name=f"来电人{i}", category=CATEGORIES[i % 8], channel=CHANNELS[i % 5],
            summary=f"咨询事项{i}", outcome=outcome, status=status,
            department=departments[i % 3] if outcome == "transferred" else None,
            reply_due_at=received + dt.timedelta(hours=2) if outcome in ("reply_promised", "transferred") else None,
            void_reason="重复登记" if status == "voided" else "", agent=agents[i % 4], owner=agents[i % 4]))
    Call.objects.bulk_create(rows)
    analyse()
    return agents[0], departments[0]


# filter -> (form data, {index that serves it: the column its index condition names, or None for a partial
# index whose predicate is the filter})
FILTERS = {
    "date range": (lambda a, d: {"date_from": dt.date(2026, 11, 1), "date_to": dt.date(2026, 11, 30)},
                   {"call_received_idx": "received_at", "call_month_figures_idx": "received_at"}),  # either
    "category": (lambda a, d: {"category": "repair"}, {"call_category_idx": "category"}),
    "channel": (lambda a, d: {"channel": "email"}, {"call_channel_idx": "channel"}),
    "outcome": (lambda a, d: {"outcome": "transferred"}, {"call_outcome_idx": "outcome"}),
    "agent": (lambda a, d: {"agent": a}, {"call_agent_idx": "agent_id"}),
    "department": (lambda a, d: {"department": d}, {"call_department_idx": "department_id"}),
    "open": (lambda a, d: {"state": "open"}, {"call_reply_due_idx": None, "call_status_idx": "status"}),
    "overdue": (lambda a, d: {"state": "overdue"}, {"call_reply_due_idx": None, "call_status_idx": "status"}),
    "voided": (lambda a, d: {"state": "voided"}, {"call_status_idx": "status"}),
    # equality on the number: the (number, date) index or the pattern index both serve it
    "full phone number": (lambda a, d: {"q": "13800138000"},
                          {"call_phone_idx": "caller_phone", "call_phone_prefix_idx": "caller_phone"}),
    # "starts with": the pattern index (or the plain one, where the database collation is C)
    "start of a number": (lambda a, d: {"q": "1380013"},
                          {"call_phone_prefix_idx": "caller_phone", "call_phone_idx": "caller_phone"}),
}


def plan_nodes(plan: dict):
    stack = [plan]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("Plans", []))


def json_plan(qs) -> dict:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        explained = json.loads(qs.explain(format="json"))
    return (explained[0] if isinstance(explained, list) else explained)["Plan"]


def sequential_scans(plan: dict) -> list:
    return [n for n in plan_nodes(plan) if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "tickets_call"]


def outline(plan: dict) -> list:
    """The plan's nodes in short, for a failure's message."""
    return [(n["Node Type"], n.get("Index Name", n.get("Relation Name", "")), n.get("Index Cond", n.get("Filter", "")),
             n.get("Total Cost"), n.get("Plan Rows")) for n in plan_nodes(plan)]


def serving_indexes(plan: dict, acceptable: dict) -> list[str]:
    """The acceptable indexes the plan uses with the filter as their condition (or predicate)."""
    out = []
    for node in plan_nodes(plan):
        name = node.get("Index Name")
        if name in acceptable and (acceptable[name] is None or acceptable[name] in node.get("Index Cond", "")):
            out.append(name)
    return out


@pytest.mark.parametrize("name", list(FILTERS))
def test_each_filter_is_served_by_an_index(postgres, some_calls, name):
    agent, eng = some_calls
    data, acceptable = FILTERS[name]
    filtered = apply_call_filters(Call.objects.all(), data(agent, eng))
    assert filtered.exists(), name  # the data has rows for the filter: the plan is about something
    page = json_plan(filtered.order_by("-received_at", "-id")[:26])
    assert sequential_scans(page) == [], outline(page)
    condition = json_plan(filtered.order_by())
    assert sequential_scans(condition) == [], outline(condition)
    assert serving_indexes(condition, acceptable), outline(condition)


# The word search's index (bigrams of the search column) and its plans: tests/csmgmt/test_search_plans.py.
