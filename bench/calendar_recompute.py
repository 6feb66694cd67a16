"""Issue 18: recomputing every open clock after a calendar edit (REGULATIONS §9), at 30,000 open clocks.

    DATABASE_URL=postgres://.../bench_calendar .venv/bin/python bench/calendar_recompute.py [N]

On a scratch database (``migrate`` and ``load_demo`` first): adds N open complaints (default 30,000, complainant
"bench-calendar") each with one running clock on working time — 48 working hours of a department (the
department clock) or of customer service — started over the past ten days, then times a manager entering a
public holiday three days ahead (every department's calendar changes: every clock is recomputed, the moved ones
written with a trail row each), and the pure function alone over the same clocks. Prints seconds."""

import datetime as dt
import os
import random
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints.clocks import Calendars, compute  # noqa: E402
from complaints.models import Complaint, ComplaintClock, ComplaintEvent  # noqa: E402
from staff.calendars.services import public_day_void, public_notice_enter  # noqa: E402
from staff.models import Department, Employee, PublicDay  # noqa: E402

NAME = "bench-calendar"


def generate(n: int) -> None:
    have = Complaint.objects.filter(complainant_name=NAME).count()
    if have >= n:
        return
    agents = list(Employee.objects.filter(department__code="CS"))
    depts = list(Department.objects.all())
    now = timezone.now()
    rng = random.Random(18)
    for start in range(have, n, 5000):
        complaints = []
        for i in range(start, min(n, start + 5000)):
            dept = rng.choice(depts)
            complaints.append(Complaint(
                number=f"TS-CAL-{i:07d}", stage="plan", received_at=now - dt.timedelta(minutes=rng.randint(0, 14400)),
                complainant_name=NAME, content="bench", agent=rng.choice(agents), responsible_department=dept))
        with transaction.atomic():
            Complaint.objects.bulk_create(complaints, batch_size=2000)
            ComplaintClock.objects.bulk_create([
                ComplaintClock(complaint=c, kind="dept_report" if c.responsible_department.kind != "cs" else "first_reply",
                               started_at=c.received_at, due_at=c.received_at + dt.timedelta(hours=48),
                               unit="working_hours", length=48, calendar_department=c.responsible_department)
                for c in complaints], batch_size=2000)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    t0 = time.perf_counter()
    generate(n)
    print(f"data: {n} open clocks on working time ({time.perf_counter() - t0:.1f} s to make)")
    manager = Employee.objects.get(employee_no="CS001")
    day = timezone.localdate() + dt.timedelta(days=3)
    for old in PublicDay.objects.filter(date=day, voided_at__isnull=True, name="压测假日"):
        public_day_void(by=manager, day=old, reason="bench reset")
    live = ComplaintClock.objects.filter(state__in=["running", "paused"]).exclude(unit="calendar").count()
    events_before = ComplaintEvent.objects.filter(action="clock_recomputed").count()
    t0 = time.perf_counter()
    moved = public_notice_enter(by=manager, year=day.year, holidays=f"压测假日 {day.isoformat()}", makeup_days="")
    elapsed = time.perf_counter() - t0
    events = ComplaintEvent.objects.filter(action="clock_recomputed").count() - events_before
    print(f"calendar edit (a public holiday {day}): {live} running clocks recomputed, {moved} moved, {events} trail "
          f"rows, {elapsed:.2f} s")
    clocks = list(ComplaintClock.objects.filter(state="running").exclude(unit="calendar"))
    calendars = Calendars()
    calendars.preload(c.calendar_department_id for c in clocks)
    t0 = time.perf_counter()
    for clock in clocks:
        compute(clock, calendars=calendars, pauses=[])
    print(f"the pure function alone: {len(clocks)} due times in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
