from celery import shared_task


@shared_task(name="complaints.tasks.clocks_remind", ignore_result=True)
def clocks_remind(batch: int = 500) -> dict:
    """Every 5 minutes (beat): idempotent, bounded; each notice is sent once (see the service)."""
    from .services import clocks_remind as run

    return run(batch=batch)


@shared_task(name="complaints.tasks.revisit_week_send", ignore_result=True)
def revisit_week_send() -> int:
    """Tuesdays 09:00 (beat): the past week's revisit analysis to the managers; keyed, so a second run
    sends nothing."""
    from .weekly import revisit_week_notify

    return revisit_week_notify()
