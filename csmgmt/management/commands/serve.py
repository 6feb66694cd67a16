"""Serve the app for development with its Celery workers and beat; Ctrl+C stops them all. Imports run on a
worker of their own (queue ``imports``), so reminders and reports never wait behind one."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Run the web server, a Celery worker, a Celery worker for imports and Celery beat together "
            "(Ctrl+C stops them all).")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        python = sys.executable
        settings.CELERY_DATA_DIR.joinpath("queue").mkdir(parents=True, exist_ok=True)
        settings.CELERY_DATA_DIR.joinpath("control").mkdir(parents=True, exist_ok=True)
        extra = [] if settings.REDIS_URL else ["--without-mingle", "--without-gossip"]
        commands = {
            "worker": [python, "-m", "celery", "-A", "csmgmt", "worker", "-l", "info", "--concurrency", "2",
                       "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "-n", "default@%h", *extra],
            "imports": [python, "-m", "celery", "-A", "csmgmt", "worker", "-l", "info", "--concurrency", "1",
                        "-Q", settings.IMPORTS_QUEUE, "-n", "imports@%h", *extra],
            "beat": [python, "-m", "celery", "-A", "csmgmt", "beat", "-l", "info",
                     "--schedule", str(settings.CELERY_DATA_DIR / "beat-schedule")],
            "web": [python, "manage.py", "runserver", addrport],
        }
        procs = {}
        # A `kill` (SIGTERM) or a closed terminal (SIGHUP) stops them all like Ctrl+C does: the children run in
        # their own sessions, so only this process hears the signal and must pass it on.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        try:
            for name, cmd in commands.items():
                procs[name] = subprocess.Popen(cmd, start_new_session=True)
                self.stdout.write(f"started {name} (pid {procs[name].pid})")
            self.stdout.write(self.style.SUCCESS(f"csmgmt is at http://{addrport}/ — Ctrl+C stops it."))
            while all(p.poll() is None for p in procs.values()):
                time.sleep(0.5)
            dead = [n for n, p in procs.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(dead)} stopped; stopping the rest.")
        except KeyboardInterrupt:
            self.stdout.write("\nstopping…")
        finally:
            for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):  # a second signal must not cut this short
                signal.signal(signum, signal.SIG_IGN)
            for proc in procs.values():
                _signal_group(proc, signal.SIGTERM)  # the whole group: runserver's reloader child, the worker's pool
            deadline = time.time() + 10
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    _signal_group(proc, signal.SIGKILL)
                    proc.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _signal_group(proc, signum):
    try:
        os.killpg(proc.pid, signum)  # each child leads its own session, hence its own process group
    except ProcessLookupError:
        pass
