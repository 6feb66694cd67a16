from django.utils import timezone

from csmgmt.models import Heartbeat
from csmgmt.services import heartbeat_record
from csmgmt.tasks import heartbeat


def test_healthz_reports_database_broker_and_no_heartbeat_yet(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["heartbeat"] is None
    assert body["heartbeat_fresh"] is False
    assert body["status"] == "starting"  # no worker heartbeat yet (issue 16)


def test_healthz_shows_a_fresh_heartbeat_after_the_task_ran(client, db):
    heartbeat.delay()  # eager in tests: the real task code, run in process
    beat = Heartbeat.objects.get(name="worker")
    body = client.get("/healthz").json()
    assert beat.runs == 1
    assert body["heartbeat"] == beat.last_seen.isoformat()
    assert body["heartbeat_fresh"] is True


def test_heartbeat_counts_runs_and_a_stale_one_is_reported(client, db, settings):
    heartbeat_record()
    heartbeat_record()
    assert Heartbeat.objects.get(name="worker").runs == 2
    Heartbeat.objects.filter(name="worker").update(last_seen=timezone.now() - timezone.timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["heartbeat_fresh"] is False
    assert body["heartbeat_age_seconds"] >= 600


def test_healthz_is_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
    assert response.json()["database"] == "ok"


def test_the_heartbeat_job_is_installed_for_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="heartbeat")
    assert task.task == "csmgmt.tasks.heartbeat"
    assert task.interval.every == 60


def test_installing_jobs_again_keeps_a_managers_edit(db):
    from django_celery_beat.models import PeriodicTask

    from csmgmt.jobs import jobs_install

    PeriodicTask.objects.filter(name="heartbeat").update(enabled=False, description="edited")
    assert jobs_install() == 0
    task = PeriodicTask.objects.get(name="heartbeat")
    assert (task.enabled, task.description) == (False, "edited")


def test_healthz_is_503_when_the_database_is_unreachable(client, db, tmp_path):
    """A real connection to where no database is (a closed port; for SQLite, a folder that does not exist)."""
    from django.db import connections
    from django.db.utils import load_backend

    original = connections["default"]
    broken = {**original.settings_dict}
    if original.vendor == "postgresql":
        broken.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    else:
        broken["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    unreachable = load_backend(broken["ENGINE"]).DatabaseWrapper(broken, "default")
    connections["default"] = unreachable
    try:
        response = client.get("/healthz")
    finally:
        connections["default"] = original
        unreachable.close()
    body = response.json()
    assert response.status_code == 503
    assert body["database"].startswith("down") and body["status"] == "error"
    assert body["broker"] == "ok"
    assert client.get("/healthz").status_code == 200  # back once the database is
