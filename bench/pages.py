"""Server time of the busy pages, at the size of the configured database (not part of the test suite).

    DATABASE_URL=postgres://.../bench_1m .venv/bin/python bench/pages.py [--repeat 30] [--json out.json]

Each page is requested in process through Django's test client (the whole stack: middleware, session,
permission checks, selectors, templates, the navigation badges), logged in as the demo user who works it,
``--repeat`` times after two warm-up requests. For each page it prints the median and 95th-percentile server
time, the number of SQL queries, and the median time of the page's main SQL query (its slowest one) run alone
with the same parameters (reads only: a write is not repeated), so that ``page / SQL`` is the overhead as a ratio. ``bench/compare.py`` puts two
such runs (10,000 and 1,000,000 calls) side by side. Fill the database first with
``manage.py load_demo`` and ``python -m bench.generate_load_data`` (see bench/README.md)."""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

# BENCH_CODE_ROOT: time another checkout's code (e.g. main before a change) with this script (bench/interleave.py).
ROOT = Path(os.environ.get("BENCH_CODE_ROOT") or Path(__file__).resolve().parent.parent).resolve()
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")
# As in production: DEBUG off (cached templates, no query log); plain HTTP on loopback behind the proxy.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints.models import Complaint  # noqa: E402
from staff.models import Employee  # noqa: E402
from tickets.models import Call  # noqa: E402


class Recorder:
    """An execute wrapper: every query of a request with its parameters and its time."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - start, sql, params, many))


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_alone(sql, params, repeat):
    """The median time of one query run on its own (fetching every row, as the page does)."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute(sql, params)
            if cursor.description:
                cursor.fetchall()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(label, client, request, repeat):
    """``request(client)`` -> response; returns the figures of one page."""
    for _ in range(2):
        request(client)
    times, counts, slowest = [], [], None
    for _ in range(repeat):
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            start = time.perf_counter()
            response = request(client)
            elapsed = time.perf_counter() - start
        if response.status_code not in (200, 302):
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        times.append(elapsed)
        counts.append(len(recorder.queries))
        reads = [q for q in recorder.queries if not q[3] and q[1].lstrip().upper().startswith(("SELECT", "WITH"))]
        top = max(reads, key=lambda q: q[0], default=None)
        if top is not None and (slowest is None or top[0] > slowest[0]):
            slowest = top
    main = run_alone(slowest[1], slowest[2], max(5, repeat // 2)) if slowest else 0.0
    return {"page": label, "median_ms": 1000 * statistics.median(times), "p95_ms": 1000 * p95(times),
            "times_ms": [1000 * t for t in times], "queries": max(counts), "main_sql_ms": 1000 * main,
            "main_sql": " ".join(slowest[1].split())[:160] if slowest else ""}


def client_for(username):
    user = Employee.objects.select_related("user").get(user__username=username).user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def frequent_phone():
    """The number that called most in the last month (the caller whose panel is the longest)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone FROM tickets_call WHERE caller_phone <> '' "
                       "AND received_at > %s GROUP BY caller_phone ORDER BY count(*) DESC LIMIT 1",
                       [timezone.now() - dt.timedelta(days=30)])
        row = cursor.fetchone()
    return row[0] if row else "13800138000"


def intake_post(client):
    response = client.post("/calls/new/", {
        "form_token": str(uuid.uuid4()), "caller_phone": "138 0013 8000", "caller_name": "压测客户", "channel": "phone",
        "direction": "in", "category": "enquiry", "summary": "咨询订单配送进度", "details": "", "importance": "normal",
        "urgency": "normal", "outcome": "resolved", "address_form": "", "organisation": "", "valid": "1",
    })
    if response.status_code != 302:  # the form came back: the benchmark would time an error page
        raise SystemExit(f"intake save refused: {response.content.decode()[:2000]}")
    return response


def pages():
    today = timezone.localdate()
    month_ago = today - dt.timedelta(days=30)
    phone = frequent_phone()
    complaint = Complaint.objects.order_by("-received_at").values_list("pk", flat=True).first()
    yield "call list (default)", "agent", lambda c: c.get("/calls/")
    yield "call list (filtered)", "agent", lambda c: c.get(
        "/calls/", {"category": "repair", "channel": "phone", "date_from": month_ago.isoformat(),
                    "date_to": today.isoformat()})
    yield "call list (open, overdue)", "supervisor", lambda c: c.get("/calls/", {"state": "overdue"})
    yield "call list (phone search)", "agent", lambda c: c.get("/calls/", {"q": phone})
    yield "call list (phone prefix)", "agent", lambda c: c.get("/calls/", {"q": phone[:7]})
    yield "call list (words)", "agent", lambda c: c.get("/calls/", {"q": "空调"})
    yield "call list (page 40)", "agent", lambda c: c.get("/calls/", {"page": 40})
    yield "caller-history panel", "agent", lambda c: c.get("/calls/new/history/", {"caller_phone": phone})
    yield "intake save (POST)", "agent", intake_post
    yield "complaint queue: mine", "agent", lambda c: c.get("/complaints/mine/")
    yield "complaint queue: all", "supervisor", lambda c: c.get("/complaints/")
    yield "complaint queue: approvals", "supervisor", lambda c: c.get("/complaints/approvals/")
    yield "complaint queue: overdue", "supervisor", lambda c: c.get("/complaints/overdue/")
    yield "complaint queue: department", "handler", lambda c: c.get("/complaints/department/")
    if complaint:
        yield "complaint page", "supervisor", lambda c: c.get(f"/complaints/{complaint}/")
    yield "team month grid", "manager", lambda c: c.get("/staff/attendance/team/", {"month": f"{today:%Y-%m}"})
    yield "roster: week", "manager", lambda c: c.get("/staff/attendance/roster/", {"start": today.isoformat()})
    yield "roster: month", "manager", lambda c: c.get("/staff/attendance/roster/",
                                                      {"view": "month", "start": today.isoformat()})
    yield "report dashboard", "manager", lambda c: c.get("/reports/dashboard/")
    # issue 20: the month against the targets (bench/targets_page.py times these alone)
    yield "targets: department", "manager", lambda c: c.get("/targets/department/", {"month": f"{today:%Y-%m}"})
    yield "targets: team", "supervisor", lambda c: c.get("/targets/team/", {"month": f"{today:%Y-%m}"})
    yield "targets: my month", "agent", lambda c: c.get("/targets/my/", {"month": f"{today:%Y-%m}"})
    yield "home (my work)", "supervisor", lambda c: c.get("/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--only", help="only pages whose name contains one of these (comma-separated)")
    args = parser.parse_args()
    calls = Call.objects.count()
    managed = Employee.objects.filter(active=True, department__code="CS").count()
    print(f"{calls:,} calls, {Complaint.objects.count():,} complaints, {managed} employees in 客服部, "
          f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}")
    print(f"{'page':32s} {'median':>9s} {'p95':>9s} {'queries':>8s} {'main SQL':>9s} {'page/SQL':>9s}")
    results = []
    clients = {}
    for label, username, request in pages():
        if args.only and not any(part.strip() in label for part in args.only.split(",")):
            continue
        client = clients.setdefault(username, client_for(username))
        r = measure(label, client, request, args.repeat)
        ratio = r["median_ms"] / r["main_sql_ms"] if r["main_sql_ms"] else 0
        print(f"{label:32s} {r['median_ms']:7.1f}ms {r['p95_ms']:7.1f}ms {r['queries']:8d} "
              f"{r['main_sql_ms']:7.2f}ms {ratio:8.1f}x", flush=True)
        results.append(r)
    if args.json:
        Path(args.json).write_text(json.dumps({"calls": calls, "pages": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
