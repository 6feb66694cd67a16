"""Writes for calls and customers (REGULATIONS §2)."""

from django.db import transaction
from django.utils import timezone

from .models import Call


def call_mark_opened_as_complaint(*, call: Call, by) -> Call:
    """The complaints app calls this when a complaint is opened from ``call`` (outcome 转投诉).
    The edit lands in the call's history with ``by`` as the user."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        call.outcome = Call.Outcome.COMPLAINT
        call._history_user = getattr(by, "user", by)
        call.save(update_fields=["outcome", "updated_at"])
    return call


def call_close(*, call: Call, by) -> Call:
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status == Call.Status.OPEN:
            call.status = Call.Status.CLOSED
            call.closed_at = timezone.now()
            call._history_user = getattr(by, "user", by)
            call.save(update_fields=["status", "closed_at", "updated_at"])
    return call
