"""The telephone's rows of the monthly workbook's Summary (issue 21): missed calls are counted on their own —
a missed call is not a logged call, so it is neither a valid call (REGULATIONS §2, marked by the agent on a logged
call) nor in the first-contact resolution rate (§8, of logged calls)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import ExchangeCall

# missed: inbound, hung up, never answered (as ``ExchangeCall.missed``), in the month it rang
MISSED = Q(direction=ExchangeCall.Direction.INBOUND, answered_at__isnull=True, ended_at__isnull=False)


def missed_counts(start, end) -> dict:
    """{"missed": n, "called_back": n} for the calls that rang in [start, end): one aggregate query."""
    return ExchangeCall.objects.filter(MISSED, ringing_at__gte=start, ringing_at__lt=end).aggregate(
        missed=Count("id"), called_back=Count("id", filter=Q(callback_call__isnull=False)))


def summary(period):
    counts = missed_counts(period.start, period.end)
    return [(_("Missed calls (not answered; not in calls, valid calls or first-contact resolution)"),
             counts["missed"], None),
            (_("Missed calls called back"), counts["called_back"], None)]
