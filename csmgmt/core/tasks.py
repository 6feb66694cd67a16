"""The ground's Celery tasks (imported by ``csmgmt/tasks.py``, which Celery discovers)."""

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notification_email(notification_id: int) -> bool:
    from .notices import notification_email_send

    return notification_email_send(notification_id=notification_id)


@shared_task(ignore_result=True, acks_late=True)
def import_run(job_id: int) -> None:
    from .imports import import_job_run

    import_job_run(job_id=job_id)
