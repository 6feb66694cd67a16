from celery import shared_task


@shared_task(name="complaints.tasks.clocks_remind", ignore_result=True)
def clocks_remind(batch: int = 500) -> dict:
    """Every 5 minutes (beat): idempotent, bounded; each notice is sent once (see the service)."""
    from .services import clocks_remind as run

    return run(batch=batch)
