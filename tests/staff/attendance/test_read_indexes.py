"""The month grid reads roster entries and day statuses by employee and date range (the team grid, the workbook's
Attendance sheet, scoring). On PostgreSQL, on analysed rows with sequential scans off, those reads find the
month through an index condition on the date — never through an index on the employee alone with the other
months' rows discarded one by one (at 17 months of history that was ~480 rows thrown away per employee)."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from staff.attendance import selectors as sel
from staff.models import DayStatus, Employee, RosterEntry
from tests.factories import shift

TABLES = ("staff_rosterentry", "staff_daystatus")


def nodes(plan):
    stack = [plan]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("Plans", []))


def explain(sql):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        value = cursor.fetchone()[0]
    return (json.loads(value) if isinstance(value, str) else value)[0]["Plan"]


def test_a_month_of_roster_and_statuses_is_found_by_its_dates(postgres, make_employee):
    people = [make_employee("agent") for _ in range(4)]
    a, rest = shift("A"), shift("REST")
    first = dt.date(2025, 8, 1)
    days = [first + dt.timedelta(days=i) for i in range(400)]  # 13 months of history
    RosterEntry.objects.bulk_create(RosterEntry(employee=p, date=d, shift=rest if d.weekday() >= 5 else a)
                                    for p in people for d in days)
    DayStatus.objects.bulk_create(DayStatus(employee=p, date=d, shift=a, code="P") for p in people for d in days
                                  if d.weekday() < 5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE staff_rosterentry; ANALYZE staff_daystatus; ANALYZE staff_employee")
    employees = Employee.objects.filter(pk__in=[p.pk for p in people])
    with CaptureQueriesContext(connection) as ctx:
        rows = sel.attendance_month(year=2026, month=3, employees=employees)
        cells = sel.roster_shift_ids(list(employees), [dt.date(2026, 3, d) for d in range(1, 32)])
    assert len(rows) == 4 and len(cells) == 4 * 31
    reads = [q["sql"] for q in ctx.captured_queries if any(f'FROM "{t}"' in q["sql"] for t in TABLES)]
    assert len(reads) == 3  # the month's roster and statuses for the grid, the roster for the roster page
    for sql in reads:
        plan = explain(sql)
        scans = [n for n in nodes(plan) if n.get("Relation Name") in TABLES or
                 any(n.get("Index Name", "").startswith(p) for p in ("roster", "daystatus", "staff_rosterentry",
                                                                        "staff_daystatus"))]
        assert scans, plan
        outline = [(n["Node Type"], n.get("Index Name"), n.get("Index Cond"), n.get("Filter")) for n in scans]
        for node in scans:
            assert "date" not in (node.get("Filter") or ""), outline
        assert any("date" in (n.get("Index Cond") or "") for n in scans), outline
