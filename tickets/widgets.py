"""The agent's home panel: my open calls and the replies due soonest."""

from django.utils import timezone

from .selectors import MY_CALLS_CAPTION, my_open_calls


def my_calls(request) -> dict:
    employee = getattr(request.user, "employee", None)
    calls = my_open_calls(employee) if employee else []
    return {"calls": calls, "now": timezone.now(), "caption": MY_CALLS_CAPTION}
