"""A real Celery worker, on Redis, runs the heartbeat task and the row appears in the database."""

import os
import time

import pytest

from tests.conftest import require_service
from tests.real_worker import real_worker


@pytest.fixture
def redis_broker(settings):
    url = os.environ.get("REDIS_URL", "")
    available = False
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            available = True
        except redis.RedisError:
            pass
    require_service(available, "needs Redis (set REDIS_URL=redis://127.0.0.1:6379/0)")
    return url


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_heartbeat_task(redis_broker):
    from csmgmt.celery import app
    from csmgmt.models import Heartbeat

    with real_worker(app, shutdown_timeout=10):
        result = app.send_task("csmgmt.tasks.heartbeat")
        deadline = time.time() + 20
        while time.time() < deadline and not Heartbeat.objects.filter(name="worker").exists():
            time.sleep(0.1)
    assert result.id
    beat = Heartbeat.objects.get(name="worker")
    assert beat.runs == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_imports_queue_runs_a_queued_import(redis_broker, settings, tmp_path):
    """Imports are routed to their own queue (issue 16); a worker consuming it runs them."""
    from django.core.files.base import ContentFile

    from csmgmt.celery import app
    from csmgmt.core.models import ImportJob
    from csmgmt.core.tasks import import_run
    from staff.models import Punch
    from tests.factories import EmployeeFactory

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    agent = EmployeeFactory(roles=["agent"], employee_no="T100")
    supervisor = EmployeeFactory(roles=["supervisor"])
    agent.supervisor = supervisor
    agent.save()
    job = ImportJob(kind="punches", original_name="p.csv", requested_by=supervisor)
    job.file.save("p.csv", ContentFile(b"employee_no,timestamp\nT100,2026-11-02 07:58:00\n"), save=False)
    job.save()

    with real_worker(app, queues=[settings.IMPORTS_QUEUE], shutdown_timeout=10):
        import_run.delay(job.pk)
        deadline = time.time() + 30
        while time.time() < deadline and ImportJob.objects.get(pk=job.pk).status in ("pending", "running"):
            time.sleep(0.1)
    job.refresh_from_db()
    assert job.status == "done", job.summary
    assert Punch.objects.filter(employee=agent).count() == 1


def test_a_worker_for_one_queue_leaves_the_next_worker_consuming_its_own(redis_broker, settings):
    """The reports browser test waited forever when it ran after the imports test in one process: starting a
    worker on the imports queue had selected that queue on the app, so the next worker consumed nothing else."""
    from csmgmt.celery import app

    before = app.amqp.queues.consume_from.keys()
    with real_worker(app, queues=[settings.IMPORTS_QUEUE], shutdown_timeout=10):
        assert set(app.amqp.queues.consume_from) == {settings.IMPORTS_QUEUE}
    assert app.amqp.queues.consume_from.keys() == before
    with real_worker(app, shutdown_timeout=10):
        assert set(app.amqp.queues.consume_from) == {"celery"}
