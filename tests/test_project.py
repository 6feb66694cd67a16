"""Project-level promises: migrations complete, deploy checks clean, demo data idempotent,
Compose services that refer to real modules and files."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from staff.models import Department, Employee

ROOT = Path(__file__).resolve().parent.parent


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DEBUG="false", SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-123456",
               ALLOWED_HOSTS="cs.example.com", DJANGO_SETTINGS_MODULE="csmgmt.settings")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_load_demo_is_idempotent_and_gives_the_demo_logins(db, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo stores photos, a signature and evidence files
    call_command("load_demo", stdout=io.StringIO())
    counts = (Department.objects.count(), Employee.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Department.objects.count(), Employee.objects.count()) == counts
    assert set(Department.objects.values_list("name", flat=True)) >= {
        "客服部", "生产部", "质量管理部", "物流配送部", "市场营销部", "工程部", "财务部"}
    assert 18 <= counts[1] <= 25
    from django.contrib.auth import get_user_model

    for username in ("agent", "supervisor", "manager", "handler", "custodian", "admin"):
        assert get_user_model().objects.get(username=username).check_password("demo")
    assert Employee.objects.get(user__username="handler").department.name == "质量管理部"


def test_load_demo_refuses_with_debug_off_unless_forced(db, settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=io.StringIO())
    assert Employee.objects.count() == 0
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert Employee.objects.count() > 0


def _referenced_paths(command):
    """Modules (-A x, -m x, x:app, --config python:x) and files a service command names."""
    text = command if isinstance(command, str) else " ".join(command)
    tokens = text.split()
    modules, files = [], []
    for i, tok in enumerate(tokens):
        if tok in ("-A", "--app", "-m") and i + 1 < len(tokens):
            modules.append(tokens[i + 1])
        elif ":" in tok and tok.split(":")[0].replace(".", "").isidentifier() and tok.endswith(("application", "app")):
            modules.append(tok.split(":")[0])
        elif tok.endswith((".py", ".sh", ".conf.py")):
            files.append(tok)
    return modules, files


def test_docker_compose_services_refer_to_real_modules_and_files():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], f"{name} has no health check"
    assert "volumes" in compose and compose["volumes"]
    import importlib.util

    checked = 0
    for name in ("web", "worker", "beat"):
        modules, files = _referenced_paths(services[name]["command"])
        assert modules or files, f"{name}: nothing to check in {services[name]['command']!r}"
        for module in modules:
            if module in ("celery", "gunicorn"):
                continue
            assert importlib.util.find_spec(module) is not None, f"{name}: no module {module}"
            checked += 1
        for f in files:
            assert (ROOT / f).exists(), f"{name}: no file {f}"
            checked += 1
    assert checked >= 3
    dockerfile = (ROOT / services["web"]["build"]["dockerfile"] if isinstance(services["web"].get("build"), dict)
                  else ROOT / "Dockerfile")
    assert dockerfile.exists()
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY") and "--from" not in line:
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists() or src == ".", f"Dockerfile copies missing {src}"


def test_load_demo_speaks_chinese_in_a_chinese_locale(db, settings):
    from django.utils import translation

    settings.DEBUG = False
    with translation.override("zh-hans"):
        with pytest.raises(CommandError, match="DEBUG 已关闭.*--force"):
            call_command("load_demo", stdout=io.StringIO())
        call_command("load_demo", "--force", stdout=(out := io.StringIO()))
    assert "演示数据已就绪。登录名（密码“demo”）：agent, supervisor" in out.getvalue()


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT"])
def test_serve_stops_its_web_server_worker_and_beat_when_it_is_stopped(tmp_path, signum):
    """`make run`'s `manage.py serve`: a kill (SIGTERM) stops all four children (web, the worker, the imports
    worker — issue 16 — and beat) like Ctrl+C (SIGINT) does —
    they run in their own sessions, so nothing else would reach them."""
    import re
    import signal
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}", CELERY_DATA_DIR=str(tmp_path / "celery"),
               PYTHONUNBUFFERED="1", DJANGO_SETTINGS_MODULE="csmgmt.settings")
    log = tmp_path / "serve.log"  # a file, not a pipe: the children's logs must never block on a full pipe
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    pids = {}
    try:
        deadline = time.time() + 60
        while len(pids) < 4 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.2)
            pids = {name: int(pid) for name, pid in re.findall(r"started (\w+) \(pid (\d+)\)", log.read_text())}
        assert set(pids) == {"worker", "imports", "beat", "web"}, log.read_text()
        time.sleep(2)  # let them get going
        proc.send_signal(getattr(signal, signum))
        proc.wait(timeout=30)
        assert "stopping" in log.read_text()

        def alive(pid):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            return True

        assert [name for name, pid in pids.items() if alive(pid)] == []
        # nor anything they started (runserver's reloader child, the worker's pool): their process groups are
        # empty, apart from zombies waiting for init
        time.sleep(1)
        left = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True).stdout.split("\n")
        groups = {str(pid) for pid in pids.values()}
        assert [row for row in left if row.split()[:1] and row.split()[0] in groups and "Z" not in row.split()[1]] == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in pids.values():
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
