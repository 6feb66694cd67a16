"""Benchmark (issue 16): the heavy spreadsheet against a live server — not part of `make test`.

    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/heavy_import.py [--db bench_heavy] [--port 8765] \
        [--trials 3] [--month-calls 10000]

A scratch database (dropped and made again: migrate, load_demo; ``--month-calls N`` fills last month with N calls
as bench/workbook.py does) and a live stack like production: gunicorn (deploy/gunicorn.conf.py, 2 workers), the
Celery worker on the default queue, the Celery worker on the ``imports`` queue and beat (the nice value of each
worker's pool processes is printed). Then ``--trials`` times, interleaved:

1. the monthly workbook of last month asked for alone (queued → done), timed;
2. the same workbook asked for again while the heavy file (~0.5 MB .xlsx unpacking to 1.5 million rows;
   ``tests/heavy_files.py``) is uploaded to each importer page (calls, punches, roster, employees) as the user
   who may, each upload from a thread of its own at the same moment: each upload's answer time, each import's
   time to "rejected", the workbook's time (with its time queued and generating, from its own timestamps);
3. once, a complaint clock due in 20 minutes (its due-soon reminder is due) set before the first trial: the time
   of the reminder against the next run of its beat job (every 5 minutes).

The load average is printed with every figure; medians and the pairwise ratios (during / alone) at the end.
Targets: upload answered ≤ 2 s, import rejected ≤ 5 s, workbook ≤ 1.5× its time alone, the reminder in the
first beat run after it was due. Prints a table; figures are kept in bench/README.md."""

import argparse
import datetime as dt
import http.cookiejar
import os
import re
import subprocess
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable  # the project's .venv python that runs this script
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (kind, page, login, columns, a row)
IMPORTERS = [
    ("calls", "/calls/import/", "manager", ["received_at", "caller_phone", "category", "summary", "agent_no"],
     ["2026-11-01 09:30", "13800138000", "咨询", "咨询积分", "CS101"]),
    ("punches", "/staff/attendance/punches/upload/", "supervisor", ["employee_no", "timestamp"],
     ["CS101", "2026-11-02 07:58:00"]),
    ("roster", "/staff/attendance/roster/upload/", "supervisor", ["employee_no", "date", "shift_code"],
     ["CS101", "2026-11-02", "D"]),
    ("employees", "/staff/import/employees/", "admin", ["employee_no", "name", "department"],
     ["CS900", "王芳", "客服部"]),
]


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def get(self, path):
        with self.opener.open(self.base + path, timeout=120) as r:
            return r.status, r.read().decode("utf-8", "replace")

    def csrf(self, path):
        _s, page = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username):
        token = self.csrf("/accounts/login/")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                       "password": "demo"}).encode()
        req = urllib.request.Request(self.base + "/accounts/login/", data=data,
                                     headers={"Referer": self.base + "/accounts/login/"})
        with self.opener.open(req, timeout=60) as r:
            assert r.status in (200, 302), r.status

    def upload(self, path, filename, content, fields=None):
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        parts = []
        for k, v in {"csrfmiddlewaretoken": token, **(fields or {})}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                      f"Content-Type: {XLSX}\r\n\r\n").encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        req = urllib.request.Request(self.base + path, data=b"".join(parts), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + path})
        started = time.perf_counter()
        with self.opener.open(req, timeout=600) as r:
            return r.status, r.headers.get("Location", ""), time.perf_counter() - started


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def sh(*cmd, env):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench_heavy")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--trials", type=int, default=3, help="workbook alone / during the uploads, interleaved")
    parser.add_argument("--month-calls", type=int, default=0,
                        help="fill the workbook's month with this many calls (bench/workbook.py's filler; a real "
                             "month is ~40,000) instead of demo data's handful")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        sys.exit("set REDIS_URL (a Redis database of your own)")
    database_url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DEBUG": "false",
           "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
           "SECURE_COOKIES": "false", "LOG_LEVEL": "WARNING", "AXES_ENABLED": "false", "WEB_CONCURRENCY": "2",
           "GUNICORN_BIND": f"127.0.0.1:{args.port}", "CELERY_DATA_DIR": str(ROOT / "var" / "bench-celery"),
           "MEDIA_ROOT": str(ROOT / "var" / "bench-media")}
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}",
                    "-c", f"CREATE DATABASE {args.db}"], check=True)
    print("== migrate, load_demo, collectstatic")
    sh(PY, "manage.py", "migrate", "-v0", env=env)
    sh(PY, "manage.py", "load_demo", "--force", env=env)
    sh(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "csmgmt.settings"
    import django

    django.setup()
    from django.utils import timezone

    from complaints.models import ComplaintClock
    from csmgmt.celery import app
    from csmgmt.core.models import ImportJob, Notification
    from csmgmt.core.sheets import Period
    from csmgmt.models import MonthlyReport
    from csmgmt.report_services import report_request
    from tests.heavy_files import heavy_xlsx

    app.control.purge()
    celery = [PY, "-m", "celery", "-A", "csmgmt"]
    procs = {
        "web": subprocess.Popen([PY, "-m", "gunicorn", "csmgmt.wsgi:application", "--config",
                                 "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null"], cwd=ROOT, env=env),
        "worker": subprocess.Popen([*celery, "worker", "-l", "warning", "--concurrency", "1", "-Q", "celery",
                                    "-n", f"bench-default-{args.port}@%h"], cwd=ROOT, env=env),
        "imports": subprocess.Popen([*celery, "worker", "-l", "warning", "--concurrency", "1", "-Q", "imports",
                                     "-n", f"bench-imports-{args.port}@%h"], cwd=ROOT, env=env),
        "beat": subprocess.Popen([*celery, "beat", "-l", "warning", "--scheduler",
                                  "django_celery_beat.schedulers:DatabaseScheduler"], cwd=ROOT, env=env),
    }
    results = {}
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        def niceness():
            """The CPU priority (nice) of each Celery worker's pool processes."""
            out = {}
            stats = {}
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                stats[int(stat.parent.name)] = (int(fields[1]), int(fields[16]))  # ppid, nice
            for name in ("worker", "imports"):
                out[name] = [nice for pid, (ppid, nice) in stats.items() if ppid == procs[name].pid]
            return out

        time.sleep(5)
        print(f"== nice of the workers' pool processes: {niceness()}")
        print("== the heavy files")
        files = {kind: heavy_xlsx(columns, row, args.rows) for kind, _p, _u, columns, row in IMPORTERS}
        for kind, content in files.items():
            print(f"   {kind}: {len(content) / 1e6:.2f} MB")
        browsers = {}
        for user in {u for _k, _p, u, _c, _r in IMPORTERS}:
            browsers[user] = Browser(base)
            browsers[user].login(user)
        period = Period.previous(timezone.localdate())
        last_job = {}
        if args.month_calls:
            from bench.workbook import fill_month, fill_others

            fill_month(period.first_day.year, period.first_day.month, args.month_calls)
            fill_others(period.first_day.year, period.first_day.month, args.month_calls)
            print(f"== {args.month_calls:,} calls in {period.first_day:%Y-%m}")

        def workbook(language):
            report, _created = report_request(period=period, language=language)
            started = time.perf_counter()
            while True:
                report.refresh_from_db()
                if report.status in (MonthlyReport.Status.DONE, MonthlyReport.Status.FAILED):
                    return time.perf_counter() - started, report.status, *parts(report)
                time.sleep(0.1)

        def parts(report):
            """Seconds waiting in the queue, seconds generating (the task's own timestamps)."""
            if not (report.started_at and report.finished_at):
                return float("nan"), float("nan")
            return ((report.started_at - report.created_at).total_seconds(),
                    (report.finished_at - report.started_at).total_seconds())

        def load():
            return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])

        def upload_all(uploads):
            """Every importer at once, each from a thread of its own (as four people would)."""
            def one(kind, page, user):
                status, location, seconds = browsers[user].upload(page, f"heavy-{kind}.xlsx", files[kind])
                uploads[kind] = (time.perf_counter() - seconds, status, location, seconds)

            threads = [threading.Thread(target=one, args=(kind, page, user)) for kind, page, user, _c, _r in IMPORTERS]
            for t in threads:
                t.start()
            return threads

        # A reminder falls due: a running clock due in 20 minutes (the due-soon notice is due now).
        clock = ComplaintClock.objects.filter(state="running").order_by("pk").first()
        if clock is not None:
            ComplaintClock.objects.filter(pk=clock.pk).update(due_at=timezone.now() + dt.timedelta(minutes=20),
                                                              soon_notified_at=None)
        due_at = timezone.now()

        alone_times, meanwhile_times = [], []
        workbook("en")  # warm-up: the first generation of a worker imports and caches what later ones reuse
        for trial in range(1, args.trials + 1):
            alone = workbook("en")
            alone_times.append(alone[0])
            print(f"== trial {trial}: the workbook alone {alone[0]:.2f} s ({alone[1]}; queued {alone[2]:.2f} s, "
                  f"generating {alone[3]:.2f} s; {load()})")
            report, _c = report_request(period=period, language="en")
            wb_started = time.perf_counter()
            uploads = {}
            threads = upload_all(uploads)
            rejected, meanwhile = {}, None
            while len(rejected) < len(IMPORTERS) or meanwhile is None:
                for kind in [k for k in uploads if k not in rejected]:
                    job = ImportJob.objects.filter(kind=kind).order_by("-pk").first()
                    if job and job.status not in ("pending", "running") and job.pk > last_job.get(kind, 0):
                        last_job[kind] = job.pk
                        rejected[kind] = (time.perf_counter() - uploads[kind][0], job.status,
                                          (job.errors or [[0, job.summary]])[0][1])
                if meanwhile is None:
                    report.refresh_from_db()
                    if report.status in ("done", "failed"):
                        meanwhile = (time.perf_counter() - wb_started, report.status, *parts(report))
                time.sleep(0.05)
                if time.perf_counter() - wb_started > 900:
                    break
            for t in threads:
                t.join()
            meanwhile = meanwhile or (float("nan"), "?", float("nan"), float("nan"))
            meanwhile_times.append(meanwhile[0])
            print(f"   the workbook during the uploads {meanwhile[0]:.2f} s ({meanwhile[1]}; queued {meanwhile[2]:.2f} s, "
                  f"generating {meanwhile[3]:.2f} s; {meanwhile[0] / alone[0]:.2f}×; {load()})")
            print(f"   {'importer':10} {'upload answered':>16} {'status':>7} {'rejected after':>15}  message")
            for kind, (_sent, status, _loc, seconds) in sorted(uploads.items()):
                after, job_status, message = rejected.get(kind, (float("nan"), "?", ""))
                print(f"   {kind:10} {seconds:15.2f}s {status:>7} {after:14.2f}s  {job_status}: {message}")
        alone, meanwhile = statistics.median(alone_times), statistics.median(meanwhile_times)
        ratios = [m / a for a, m in zip(alone_times, meanwhile_times)]
        print(f"== workbook: alone median {alone:.2f} s, during the uploads median {meanwhile:.2f} s "
              f"({meanwhile / alone:.2f}×; pairwise ratios {', '.join(f'{r:.2f}' for r in ratios)}, "
              f"median {statistics.median(ratios):.2f}×)")

        if clock is not None:
            print("== the reminder due meanwhile (beat runs complaints.clocks_remind every 5 minutes)")
            due = timezone.localtime(due_at)  # the first beat run after the reminder fell due
            next_run = due.replace(second=0, microsecond=0) + dt.timedelta(minutes=5 - due.minute % 5)
            key = f"complaint-clock:{clock.pk}:soon"
            sent = None
            while timezone.localtime() < next_run + dt.timedelta(minutes=2):
                sent = Notification.objects.filter(key=key).order_by("created").first()
                if sent:
                    break
                time.sleep(1)
            if sent:
                print(f"   due {timezone.localtime(due_at):%H:%M:%S}, beat run {next_run:%H:%M:%S}, "
                      f"sent {timezone.localtime(sent.created):%H:%M:%S}")
            else:
                print(f"   due {timezone.localtime(due_at):%H:%M:%S}: NOT sent by {next_run:%H:%M} + 2 min")
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
