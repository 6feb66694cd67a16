"""A real Celery worker, on Redis, runs the heartbeat task and the row appears in the database."""

import os
import time

import pytest

from tests.conftest import require_service


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
    from celery.contrib.testing.worker import start_worker

    from csmgmt.celery import app
    from csmgmt.models import Heartbeat

    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        result = app.send_task("csmgmt.tasks.heartbeat")
        deadline = time.time() + 20
        while time.time() < deadline and not Heartbeat.objects.filter(name="worker").exists():
            time.sleep(0.1)
    assert result.id
    beat = Heartbeat.objects.get(name="worker")
    assert beat.runs == 1
