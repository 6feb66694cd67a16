"""Benchmark: the monthly workbook at 10,000 and 100,000 calls in a month — time and peak memory.

    DATABASE_URL=postgres://... python bench/workbook.py [--sizes 10000 100000]

Each size gets its own empty month (2001-01, 2001-02, ...) filled with COPY (calls) and bulk inserts
(a complaint per 20 calls with three clocks, a found item per 50), then the real
``monthly_report`` command runs in a child process that prints its own peak resident set (VmHWM from
/proc/self/status; see ``CHILD``).
Memory stays flat because openpyxl writes in write-only mode and rows stream from the database."""

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")


# The child process: Django set up, then the real ``monthly_report`` command. Its peak memory is read from
# its own /proc/self/status (VmHWM, the high-water mark of this process's resident set), not from
# ``ru_maxrss``: the kernel carries a forked child's maxrss over from the parent across fork and exec, so
# after the parent has filled 100,000 rows the child would report the parent's peak. BASE is the resident
# set after django.setup() (what the process costs before writing anything).
CHILD = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")
sys.path.insert(0, sys.argv[1])

def status(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB

import django
django.setup()
print("BASE", status("VmRSS"))
from django.core.management import call_command
call_command("monthly_report", "--month", sys.argv[2], "--lang", "en", "--output", sys.argv[3])
print("PEAK", status("VmHWM"))
"""


def fill_month(year, month, n):
    from zoneinfo import ZoneInfo

    from bench.loadgen.base import copy_rows, mobile, person_name
    from staff.models import Employee
    from tickets.models import Call

    tz = ZoneInfo("Asia/Shanghai")
    existing = Call.objects.filter(number__startswith=f"BW-{year}{month:02d}").count()
    if existing >= n:
        return existing
    Call.objects.filter(number__startswith=f"BW-{year}{month:02d}").delete() if existing else None
    agent = Employee.objects.order_by("pk").first()
    rng = random.Random(n)
    start = dt.datetime(year, month, 1, tzinfo=tz)

    def rows():
        for i in range(n):
            t = start + dt.timedelta(seconds=rng.randrange(27 * 86400))
            phone = mobile(rng)
            yield (f"BW-{year}{month:02d}-{i:07d}", t.isoformat(), "phone", "in", phone, person_name(rng), "", "", None,
                   "enquiry", "咨询订单配送进度，客户希望尽快送达", "", "normal", "normal", "resolved", None, None,
                   agent.pk, agent.pk, "closed", t.isoformat(), "", t.isoformat(), t.isoformat())

    cols = ["number", "received_at", "channel", "direction", "caller_phone", "caller_name", "address_form",
            "organisation", "customer_id", "category", "summary", "details", "importance", "urgency", "outcome",
            "department_id", "reply_due_at", "agent_id", "owner_id", "status", "closed_at", "void_reason",
            "created_at", "updated_at"]
    return copy_rows(Call, cols, rows())


def fill_others(year, month, n):
    """Complaints (one per 20 calls, three clocks each: first reply met, assignment met or missed, closing
    met / set aside / running by stage) and found items (one per 50 calls) in the same month, so the
    Complaints and Lost and Found sheets are exercised too. Bulk inserts in batches; idempotent by prefix."""
    from zoneinfo import ZoneInfo

    from django.db.models import F

    from complaints.models import Complaint, ComplaintClock
    from lostfound.models import FoundItem
    from staff.models import Employee

    tz = ZoneInfo("Asia/Shanghai")
    agent = Employee.objects.order_by("pk").first()
    rng = random.Random(n + 1)
    start = dt.datetime(year, month, 1, tzinfo=tz)
    prefix = f"BW-{year}{month:02d}"

    def when():
        return start + dt.timedelta(seconds=rng.randrange(27 * 86400))

    n_complaints, n_items = n // 20, n // 50
    if Complaint.objects.filter(number__startswith=prefix).count() < n_complaints:
        stages = ["analyse", "plan", "respond", "revisit", "closed", "withdrawn"]
        batch = []
        for i in range(n_complaints):
            t = when()
            stage = stages[i % len(stages)]
            batch.append(Complaint(
                number=f"{prefix}-C{i:06d}", received_at=t, complainant_name="王女士", content="配送延误，包装破损",
                agent=agent, stage=stage, demand="apology", withdrawn_reason="客户撤回" if stage == "withdrawn" else "",
                satisfaction_attitude=rng.randint(1, 5) if stage == "closed" else None,
                satisfaction_result=rng.randint(1, 5) if stage == "closed" else None,
                closed_at=t + dt.timedelta(days=2) if stage == "closed" else None,
                withdrawn_at=t + dt.timedelta(days=1) if stage == "withdrawn" else None))
            if len(batch) == 2000:
                Complaint.objects.bulk_create(batch)
                batch = []
        Complaint.objects.bulk_create(batch)
    if not ComplaintClock.objects.filter(complaint__number__startswith=prefix).exists():
        batch = []
        for c in Complaint.objects.filter(number__startswith=prefix).order_by("id").iterator(chunk_size=2000):
            t = c.received_at
            late = c.id % 3 == 0
            batch += [
                ComplaintClock(complaint=c, kind="first_reply", started_at=t, due_at=t + dt.timedelta(hours=2),
                               met_at=t + dt.timedelta(hours=1), state="met"),
                ComplaintClock(complaint=c, kind="assign", started_at=t, due_at=t + dt.timedelta(hours=24),
                               met_at=t + dt.timedelta(hours=30 if late else 12), state="missed" if late else "met"),
                ComplaintClock(complaint=c, kind="close", started_at=t, due_at=t + dt.timedelta(days=7),
                               met_at=c.closed_at or c.withdrawn_at,
                               state={"closed": "met", "withdrawn": "cancelled"}.get(c.stage, "running")),
            ]
            if len(batch) >= 6000:
                ComplaintClock.objects.bulk_create(batch)
                batch = []
        ComplaintClock.objects.bulk_create(batch)
    if FoundItem.objects.filter(number__startswith=prefix).count() < n_items:
        categories = ["cash", "phone", "camera", "bag", "cards", "keys", "clothing", "other"]
        batch = []
        for i in range(n_items):
            category = categories[i % len(categories)]
            batch.append(FoundItem(number=f"{prefix}-F{i:06d}", category=category, description="黑色双肩包，内有雨伞",
                                   found_place="一号门", found_at=when(), received_by=agent,
                                   valuable=category in ("cash", "phone", "camera"), status="stored"))
            if len(batch) == 2000:
                FoundItem.objects.bulk_create(batch)
                batch = []
        FoundItem.objects.bulk_create(batch)
        FoundItem.objects.filter(number__startswith=prefix).update(registered_at=F("found_at"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    args = parser.parse_args()
    import django

    django.setup()
    from staff.models import Employee

    if not Employee.objects.exists():
        sys.exit("no employees: run `python -m bench.generate_load_data --employees 200` first")
    print(f"{'calls in month':>15} {'seconds':>8} {'setup MB':>11} {'peak RSS MB':>12} {'file MB':>8}")
    for idx, n in enumerate(args.sizes):
        year, month = 2001, idx + 1
        fill_month(year, month, n)
        fill_others(year, month, n)
        out = Path(tempfile.mkdtemp()) / "wb.xlsx"
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), f"{year}-{month:02d}", str(out)],
                              capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - t
        if proc.returncode:
            sys.exit(proc.stderr)
        lines = dict(line.split(None, 1) for line in proc.stdout.splitlines() if line.startswith(("BASE", "PEAK")))
        base_kb, peak_kb = int(lines["BASE"]), int(lines["PEAK"])
        print(f"{n:>15,} {elapsed:>8.1f} {base_kb / 1024:>11.1f} {peak_kb / 1024:>12.1f} {out.stat().st_size / 1e6:>8.1f}")


if __name__ == "__main__":
    main()
