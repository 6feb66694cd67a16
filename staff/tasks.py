from celery import shared_task

from .services import notification_email_send


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)


# Celery discovers ``staff.tasks`` only: each area's tasks module is imported here.
from .attendance import tasks as attendance_tasks  # noqa: E402,F401

from .scoring import tasks as scoring_tasks  # noqa: E402,F401
