from celery import shared_task

from .services import notification_email_send


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)
