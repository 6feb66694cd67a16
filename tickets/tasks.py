from celery import shared_task

from .follow_up import repair_callback_remind, repair_callback_reminders_send
from .revisits import revisit_overdue_reminders_send
from .services import call_reply_reminders_send


@shared_task(name="tickets.tasks.call_reply_reminders")
def call_reply_reminders() -> dict:
    """Every 5 minutes (beat): idempotent; each reminder is sent once (unique notification key)."""
    result = call_reply_reminders_send()
    return {"due": result.due_sent, "overdue": result.overdue_sent}


@shared_task(name="tickets.tasks.repair_callback")
def repair_callback(call_id: int) -> bool:
    """Queued at intake for a repair request's call-back mark: reminds the owner then, once, unless someone was on
    site first (too early, or already sent: nothing)."""
    return repair_callback_remind(call_id=call_id)


@shared_task(name="tickets.tasks.repair_callback_reminders")
def repair_callback_reminders() -> dict:
    """Every minute (beat): the repair requests whose call-back mark has come, each reminded once."""
    return {"sent": repair_callback_reminders_send()}


@shared_task(name="tickets.tasks.revisit_overdue_reminders")
def revisit_overdue_reminders() -> dict:
    """Every 15 minutes (beat): each overdue revisit's owner reminded once per due time (the notice's key)."""
    return {"sent": revisit_overdue_reminders_send()}
