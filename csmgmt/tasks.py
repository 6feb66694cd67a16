from celery import shared_task

from .core.tasks import import_run, notification_email  # noqa: F401  (the ground's tasks, for discovery)
from .services import heartbeat_record


@shared_task(ignore_result=True)
def heartbeat() -> None:
    heartbeat_record(name="worker")


@shared_task(ignore_result=True, acks_late=True)
def monthly_report_generate(report_id: int) -> None:
    from .report_services import report_generate

    report_generate(report_id=report_id)


@shared_task(ignore_result=True)
def monthly_report_scheduled() -> None:
    from .report_services import report_scheduled

    report_scheduled()
