"""Benchmark (issue 16): the heavy spreadsheet against a live server — not part of `make test`.

    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/heavy_import.py [--db bench_heavy] [--port 8765]

A scratch database (dropped and made again: migrate, load_demo) and a live stack like production: gunicorn
(deploy/gunicorn.conf.py, 2 workers), the Celery worker on the default queue, the Celery worker on the
``imports`` queue and beat. Then:

1. the monthly workbook asked for alone (queued → done), timed;
2. the heavy file (~0.5 MB .xlsx unpacking to 1.5 million rows; ``tests/heavy_files.py``) uploaded to each
   importer page (calls, punches, roster, employees) as the user who may, while the same workbook is asked
   for again: each upload's answer time, each import's time to "rejected", the workbook's time;
3. a complaint clock due in 20 minutes (its due-soon reminder is due) set just before the uploads: the time
   of the reminder against the next run of its beat job (every 5 minutes).

Targets: upload answered ≤ 2 s, import rejected ≤ 5 s, workbook ≤ 1.5× its time alone, the reminder in the
first beat run after it was due. Prints a table; figures are kept in bench/README.md."""

import argparse
import datetime as dt
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python")
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
        print("== the heavy files")
        files = {kind: heavy_xlsx(columns, row, args.rows) for kind, _p, _u, columns, row in IMPORTERS}
        for kind, content in files.items():
            print(f"   {kind}: {len(content) / 1e6:.2f} MB")
        browsers = {}
        for user in {u for _k, _p, u, _c, _r in IMPORTERS}:
            browsers[user] = Browser(base)
            browsers[user].login(user)
        period = Period.previous(timezone.localdate())

        def workbook(language):
            report, _created = report_request(period=period, language=language)
            started = time.perf_counter()
            while True:
                report.refresh_from_db()
                if report.status in (MonthlyReport.Status.DONE, MonthlyReport.Status.FAILED):
                    return time.perf_counter() - started, report.status
                time.sleep(0.1)

        print("== the monthly workbook alone")
        results["workbook alone"] = workbook("en")
        print(f"   {results['workbook alone'][0]:.1f} s ({results['workbook alone'][1]})")

        # A reminder falls due: a running clock due in 20 minutes (the due-soon notice is due now).
        clock = ComplaintClock.objects.filter(state="running").order_by("pk").first()
        if clock is not None:
            ComplaintClock.objects.filter(pk=clock.pk).update(due_at=timezone.now() + dt.timedelta(minutes=20),
                                                              soon_notified_at=None)
        due_at = timezone.now()

        print("== the heavy file to every importer, the workbook asked for at the same time")
        report, _c = report_request(period=period, language="en")
        wb_started = time.perf_counter()
        uploads = {}
        for kind, page, user, _c2, _r in IMPORTERS:
            status, location, seconds = browsers[user].upload(page, f"heavy-{kind}.xlsx", files[kind])
            uploads[kind] = (time.perf_counter(), status, location, seconds)
        rejected = {}
        while len(rejected) < len(IMPORTERS) or report.status not in ("done", "failed"):
            for kind, (sent, _s, location, _sec) in uploads.items():
                if kind in rejected:
                    continue
                job = ImportJob.objects.filter(kind=kind).order_by("-pk").first()
                if job and job.status not in ("pending", "running"):
                    rejected[kind] = (time.perf_counter() - sent + uploads[kind][3], job.status,
                                      (job.errors or [[0, job.summary]])[0][1])
            report.refresh_from_db()
            if report.status in ("done", "failed") and "workbook meanwhile" not in results:
                results["workbook meanwhile"] = (time.perf_counter() - wb_started, report.status)
            time.sleep(0.1)
            if time.perf_counter() - wb_started > 900:
                break
        print(f"   {'importer':10} {'upload answered':>16} {'status':>7} {'rejected after':>15}  message")
        for kind, (_sent, status, _loc, seconds) in uploads.items():
            after, job_status, message = rejected.get(kind, (float("nan"), "?", ""))
            print(f"   {kind:10} {seconds:15.2f}s {status:>7} {after:14.2f}s  {job_status}: {message}")
        alone = results["workbook alone"][0]
        meanwhile = results.get("workbook meanwhile", (float("nan"), "?"))[0]
        print(f"   workbook: alone {alone:.1f} s, during the imports {meanwhile:.1f} s "
              f"({meanwhile / alone:.2f}×)")

        if clock is not None:
            print("== the reminder due meanwhile (beat runs complaints.clocks_remind every 5 minutes)")
            now = timezone.localtime()
            next_run = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=5 - now.minute % 5)
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
