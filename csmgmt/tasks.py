from celery import shared_task

from .services import heartbeat_record


@shared_task(ignore_result=True)
def heartbeat() -> None:
    heartbeat_record(name="worker")
