"""The ground's Celery tasks (imported by ``csmgmt/tasks.py``, which Celery discovers)."""

from celery import shared_task
from django.conf import settings


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notification_email(notification_id: int) -> bool:
    from .notices import notification_email_send

    return notification_email_send(notification_id=notification_id)


# On the "imports" queue (settings.CELERY_TASK_ROUTES), with a time limit: the soft one stops the import
# (nothing written, the job marked failed); the hard one ends a worker that does not stop.
@shared_task(ignore_result=True, acks_late=True, soft_time_limit=settings.IMPORT_TIME_LIMIT_SECONDS,
             time_limit=settings.IMPORT_TIME_LIMIT_SECONDS + 30)
def import_run(job_id: int) -> None:
    from .imports import import_job_run

    import_job_run(job_id=job_id)
