from celery import shared_task

from .services import call_reply_reminders_send


@shared_task(name="tickets.tasks.call_reply_reminders")
def call_reply_reminders() -> dict:
    """Every 5 minutes (beat): idempotent; each reminder is sent once (unique notification key)."""
    result = call_reply_reminders_send()
    return {"due": result.due_sent, "overdue": result.overdue_sent}
