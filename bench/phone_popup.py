"""Issue 21: the caller pop-up under stress. 50 agents with a page open (each polls the pop-up every 2 s, as
htmx does) and a call ringing every second for 60 s, against gunicorn (deploy/gunicorn.conf.py, DEBUG off) on
loopback. The latency of a call is from the exchange's "ringing" POST to the moment the agent's poll shows it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_phone .venv/bin/python bench/phone_popup.py [seconds]

The database is migrated and filled with 50 agents (extensions 9001–9050) and an integration here."""

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("LOAD_PORT", "8101"))
BASE = f"http://127.0.0.1:{PORT}"
AGENTS = 50
POLL = 2.0


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command

    from csmgmt.api.services import integration_create
    from staff.models import Employee
    from tests.factories import EmployeeFactory

    call_command("migrate", verbosity=0)
    agents = []
    for i in range(AGENTS):
        ext = str(9001 + i)
        e = Employee.objects.filter(extension=ext).first() or EmployeeFactory(roles=["agent"], extension=ext,
                                                                                employee_no=f"PB{ext}")
        agents.append(e)
    manager = Employee.objects.filter(employee_no="PBMGR").first() or EmployeeFactory(roles=["manager"],
                                                                                      employee_no="PBMGR")
    token = integration_create(by=manager, name="bench exchange", abilities=["telephony"],
                               rate_per_minute=100000).token
    engine = import_module(settings.SESSION_ENGINE)
    sessions = []
    for e in agents:
        s = engine.SessionStore()
        s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(e.user.pk), "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = e.user.get_session_auth_hash()
        s.create()
        sessions.append((e.extension, s.session_key))
    return token, sessions, settings.SESSION_COOKIE_NAME


def main(seconds: int):
    os.environ.setdefault("SECRET_KEY", "bench-phone-popup-secret-" * 2)  # the sessions made here must verify there
    token, sessions, cookie = setup()
    env = {**os.environ, "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
           "LOG_LEVEL": "WARNING", "GUNICORN_BIND": f"127.0.0.1:{PORT}"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "csmgmt.wsgi:application", "--config",
                               "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null"], cwd=ROOT, env=env)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        posted, seen, errors, lock = {}, {}, [], threading.Lock()
        stop = time.monotonic() + seconds

        def agent(ext, key):
            while time.monotonic() < stop + 5:
                t0 = time.monotonic()
                try:
                    req = urllib.request.Request(BASE + "/phone/ringing/", headers={"Cookie": f"{cookie}={key}"})
                    with urllib.request.urlopen(req, timeout=10) as r:
                        if r.status != 200 or "/accounts/login/" in r.geturl():
                            raise RuntimeError(f"poll {r.status} {r.geturl()}")
                        body = r.read().decode()
                    now = time.monotonic()
                    with lock:
                        for call_id in list(posted):
                            if f'data-ringing="{call_id}"' in body and call_id not in seen and \
                                    posted[call_id][1] == ext:
                                seen[call_id] = now - posted[call_id][0]
                except Exception as exc:  # noqa: BLE001 - counted, not hidden
                    errors.append(repr(exc))
                time.sleep(max(0.0, POLL - (time.monotonic() - t0)))

        threads = [threading.Thread(target=agent, args=s, daemon=True) for s in sessions]
        for i, t in enumerate(threads):
            t.start()
            time.sleep(POLL / AGENTS)  # spread the polls as 50 pages opened at different moments would
        n = 0
        while time.monotonic() < stop:
            n += 1
            ext, _key = random.choice(sessions)
            call_id = f"bench-{os.getpid()}-{n}"
            body = json.dumps({"event": "ringing", "call_id": call_id, "caller": f"1390000{n:04d}",
                               "extension": ext, "direction": "in"}).encode()
            req = urllib.request.Request(BASE + "/api/telephony/events", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"})
            try:
                with lock:
                    posted[call_id] = (time.monotonic(), ext)
                with urllib.request.urlopen(req, timeout=10) as r:
                    if r.status != 200:
                        errors.append(f"event {r.status}")
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
            time.sleep(1.0)
        for t in threads:
            t.join()
        lat = sorted(seen.values())
        missing = len(posted) - len(seen)
        p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
        print(f"calls rung: {len(posted)}, shown: {len(seen)}, never shown: {missing}, errors: {len(errors)}")
        if lat:
            print(f"pop-up latency s: median {statistics.median(lat):.2f}, p95 {p95:.2f}, max {lat[-1]:.2f}")
        for e in errors[:5]:
            print("  error:", e)
        return 0 if (not errors and not missing and p95 <= 2.0) else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 60))
