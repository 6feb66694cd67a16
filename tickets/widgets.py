"""The agent's home panel: my open calls and the replies due soonest."""

from django.utils import timezone

from .selectors import MY_CALLS_CAPTION, my_open_calls


def my_calls(request) -> dict:
    employee = getattr(request.user, "employee", None)
    calls = my_open_calls(employee) if employee else []
    return {"calls": calls, "now": timezone.now(), "caption": MY_CALLS_CAPTION}


def my_revisits(request) -> dict:
    """The agent's revisits waiting, soonest due first (REGULATIONS §10): five at most, one query."""
    from .selectors import revisit_queue

    rows = list(revisit_queue(request.user, "mine")[:5])
    return {"revisits": rows, "now": timezone.now()}
