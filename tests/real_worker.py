"""A real Celery worker for tests: solo pool, in a thread of the test process, on the Redis broker.

Starting a worker changes the Celery app it runs on, for the rest of the process: ``WorkController.setup_queues``
selects the queues it consumes *on the app* (``app.amqp.queues``). A worker started for the imports queue alone
left every later worker of the same test process (pytest-xdist runs many files in one) consuming only that queue,
so the reports browser test's task sat in the default queue, "Waiting", whenever it ran after the imports test.
``real_worker`` restores the selection and eager mode on the way out, and always names the queues it consumes.
"""

from contextlib import contextmanager


@contextmanager
def real_worker(app, *, queues=None, shutdown_timeout=30):
    from celery.contrib.testing.worker import start_worker

    selected = app.amqp.queues._consume_from  # None: every declared queue (what a fresh worker consumes)
    eager = app.conf.task_always_eager
    queues = list(queues or [app.conf.task_default_queue])
    app.conf.task_always_eager = False
    try:
        app.amqp.queues.select(queues)
        app.control.purge()  # what is left in these queues from earlier tests of this process
        with start_worker(app, queues=queues, perform_ping_check=False, pool="solo", loglevel="WARNING",
                          shutdown_timeout=shutdown_timeout) as worker:
            yield worker
    finally:
        app.amqp.queues._consume_from = selected
        app.conf.task_always_eager = eager
