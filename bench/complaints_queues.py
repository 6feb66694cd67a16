"""Complaint queues at real size (not part of the test suite).

    DATABASE_URL=postgres://... .venv/bin/python bench/complaints_queues.py [N]

Adds N synthetic complaints (default 100 000) with their clocks to the configured database (run
``migrate`` and ``load_demo`` first; the rows are marked with the complainant name "bench"), then
times each navigation badge, the first page of each queue, the complaint page's reads and the
caller-history provider, and prints PostgreSQL's plan for the overdue query."""

import datetime as dt
import os
import random
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints import selectors  # noqa: E402
from complaints.models import OPEN_STAGES, Complaint, ComplaintClock, Stage  # noqa: E402
from staff.models import Department, Employee  # noqa: E402


def generate(n: int) -> None:
    if Complaint.objects.filter(complainant_name="bench").count() >= n:
        return
    agents = list(Employee.objects.filter(department__code="CS"))
    depts = list(Department.objects.exclude(code="CS"))
    now = timezone.now()
    stages = list(Stage.values)
    batch = []
    for i in range(n):
        received = now - dt.timedelta(minutes=random.randint(0, 60 * 24 * 365))
        stage = random.choice(stages)
        batch.append(Complaint(
            number=f"TS-BENCH-{i:07d}", stage=stage, received_at=received, complainant_name="bench",
            complainant_phone=f"139{random.randint(0, 99999999):08d}", content="bench", agent=random.choice(agents),
            responsible_department=random.choice(depts) if stage not in ("analyse", "assign") else None))
        if len(batch) == 5000:
            _flush(batch, now)
            batch = []
    if batch:
        _flush(batch, now)


def _flush(batch, now):
    with transaction.atomic():
        rows = Complaint.objects.bulk_create(batch)
        ComplaintClock.objects.bulk_create([
            ComplaintClock(complaint=c, kind="close", started_at=c.received_at,
                           due_at=c.received_at + dt.timedelta(hours=72),
                           state="running" if c.stage in OPEN_STAGES else "met") for c in rows])


def timed(label, fn, repeat=5):
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    print(f"{label:45s} {(time.perf_counter() - start) / repeat * 1000:8.1f} ms")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    generate(n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint; ANALYZE complaints_complaintclock;")
    print(f"{Complaint.objects.count()} complaints, {ComplaintClock.objects.count()} clocks")
    supervisor = Employee.objects.get(employee_no="CS002").user
    agent = Employee.objects.get(employee_no="CS101").user
    handler = Employee.objects.get(employee_no="QA001").user
    for user, queues in ((agent, ("mine", "revisits", "overdue")), (supervisor, ("approvals", "all", "overdue")),
                         (handler, ("department",))):
        for name in queues:
            timed(f"badge {name} ({user.username})", lambda: selectors.queue_count(user, name))
            timed(f"page 1 of {name} ({user.username})", lambda: selectors.queue_page(user, name, 1))
            timed(f"page 200 of {name} ({user.username})", lambda: selectors.queue_page(user, name, 200))
    pk = Complaint.objects.filter(complainant_name="bench").values_list("pk", flat=True).first()
    timed("complaint page reads", lambda: selectors.complaint_for(supervisor, pk))
    timed("caller history", lambda: selectors.caller_history(["13912345678"], agent))
    timed("statistics of this month", lambda: selectors.statistics(year=timezone.localdate().year,
                                                                   month=timezone.localdate().month))
    if connection.vendor == "postgresql":
        sql, params = ComplaintClock.objects.filter(state="running", due_at__lte=timezone.now()).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            print("\n".join(r[0] for r in cursor.fetchall()))


if __name__ == "__main__":
    main()
