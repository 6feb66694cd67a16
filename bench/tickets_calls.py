"""Generate N demo calls and time the call list's queries (not part of the test suite).

    DATABASE_URL=postgres://... .venv/bin/python bench/tickets_calls.py 100000

Writes into the configured database (use a scratch one); prints each list query's time."""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from staff.models import Department, Employee  # noqa: E402
from tickets.models import Call  # noqa: E402
from tickets.selectors import apply_call_filters  # noqa: E402


def generate(n: int) -> None:
    agents = list(Employee.objects.filter(employee_no__startswith="CS"))
    departments = list(Department.objects.exclude(code="CS"))
    if not agents:
        raise SystemExit("run `manage.py load_demo` first")
    now = timezone.now()
    batch = []
    start = Call.objects.count()
    for i in range(n):
        agent = random.choice(agents)
        outcome = random.choice(["resolved"] * 6 + ["reply_promised", "transferred"])
        received = now - dt.timedelta(minutes=random.randint(0, 60 * 24 * 365))
        batch.append(Call(
            number=f"LD-BENCH-{start + i:08d}", received_at=received, caller_phone=f"13{random.randint(0, 10**9 - 1):09d}",
            caller_name=f"客户{i}", category=random.choice(Call.Category.values),
            channel=random.choice(Call.Channel.values), summary=f"批量生成的来电 {i}", outcome=outcome,
            department=random.choice(departments) if outcome == "transferred" else None,
            reply_due_at=received + dt.timedelta(hours=2) if outcome != "resolved" else None,
            status="closed" if outcome == "resolved" or random.random() < 0.9 else "open",
            agent=agent, owner=agent,
        ))
        if len(batch) == 5000:
            Call.objects.bulk_create(batch)
            batch = []
    Call.objects.bulk_create(batch)


def timed(label, qs, offset=0):
    t = time.perf_counter()
    rows = list(qs.select_related("agent", "owner", "department").order_by("-received_at", "-id")[offset:offset + 26])
    print(f"{label:<28} {1000 * (time.perf_counter() - t):7.1f} ms  ({len(rows)} rows)")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    if n:
        generate(n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_call") if connection.vendor == "postgresql" else None
    agent = Employee.objects.filter(employee_no="CS101").first()
    base = Call.objects.all()
    timed("no filter", base)
    timed("category", apply_call_filters(base, {"category": "repair"}))
    timed("open", apply_call_filters(base, {"state": "open"}))
    timed("overdue", apply_call_filters(base, {"state": "overdue"}))
    timed("agent", apply_call_filters(base, {"agent": agent}))
    timed("month", apply_call_filters(base, {"date_from": timezone.localdate() - dt.timedelta(days=30),
                                             "date_to": timezone.localdate()}))
    timed("phone prefix", apply_call_filters(base, {"q": "1380"}))
    timed("words of the summary", apply_call_filters(base, {"q": "来电 99999"}))
    timed("page 100 (offset 2475)", base, offset=2475)
