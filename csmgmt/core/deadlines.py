"""One rule for every work list (issue 17, "queues driven by deadlines"): a row's next deadline, how urgent it is,
and the words that say so.

A list's selector annotates each row with ``deadline_due`` (when the next thing is due) and ``deadline_started``
(when that clock started: the start of the "last quarter" rule) in the database, and orders by
:func:`by_deadline` (soonest first, rows without a deadline last). The page shows the cell with the
``{% deadline row %}`` tag (``csmgmt/templatetags/deadlines.py``, one template ``partials/deadline.html``), which
reads :func:`deadline_of`:

- **overdue** (red) from the due instant on;
- **soon** (amber) when it is due within 2 hours (2 hours exactly included), or within the last quarter of its
  clock (the time left is at most a quarter of the time from start to due);
- **ok** otherwise; **none** when the row has no deadline.

The level is always written as text as well as shown in colour: "overdue 3 h", "due in 1 h 20 min".
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import pgettext

SOON = dt.timedelta(hours=2)

OVERDUE, DUE_SOON, ON_TIME, NO_DEADLINE = "overdue", "soon", "ok", "none"
LEVELS = (OVERDUE, DUE_SOON, ON_TIME, NO_DEADLINE)


def level_of(due: dt.datetime | None, started: dt.datetime | None, now: dt.datetime) -> str:
    """The urgency of a deadline ``due`` whose clock started at ``started``, at ``now``."""
    if due is None:
        return NO_DEADLINE
    left = due - now
    if left <= dt.timedelta(0):
        return OVERDUE
    if left <= SOON:
        return DUE_SOON
    if started is not None and started < due and left * 4 <= due - started:
        return DUE_SOON
    return ON_TIME


def span_text(delta: dt.timedelta) -> str:
    """A length in words, to the minute, two units at most: "2 d 3 h", "1 h 20 min", "3 h", "45 min"."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        if hours:
            return pgettext("duration", "%(d)s d %(h)s h") % {"d": days, "h": hours}
        return pgettext("duration", "%(d)s d") % {"d": days}
    if hours:
        if mins:
            return pgettext("duration", "%(h)s h %(m)s min") % {"h": hours, "m": mins}
        return pgettext("duration", "%(h)s h") % {"h": hours}
    return pgettext("duration", "%(m)s min") % {"m": mins}


def countdown_text(due: dt.datetime | None, now: dt.datetime) -> str:
    """ "overdue 3 h", "due in 1 h 20 min" or "" (no deadline); within a minute of the due instant "due in under
    1 min" before it, "overdue: due now" from it on (the words always agree with :func:`level_of`)."""
    if due is None:
        return ""
    left = due - now
    if left <= dt.timedelta(0):
        if left > -dt.timedelta(minutes=1):
            return pgettext("deadline", "overdue: due now")
        return pgettext("deadline", "overdue %(span)s") % {"span": span_text(left)}
    if left < dt.timedelta(minutes=1):
        return pgettext("deadline", "due in under 1 min")
    return pgettext("deadline", "due in %(span)s") % {"span": span_text(left)}


@dataclass(frozen=True)
class Deadline:
    due: dt.datetime | None
    started: dt.datetime | None
    now: dt.datetime
    label: object = ""  # what is due (e.g. a clock's name); may be empty
    paused: bool = False  # no clock runs because its clocks are paused (waiting on the customer)

    @property
    def level(self) -> str:
        return level_of(self.due, self.started, self.now)

    @property
    def text(self) -> str:
        return countdown_text(self.due, self.now)


def deadline_of(row, now: dt.datetime | None = None) -> Deadline:
    """The deadline of a list row annotated with ``deadline_due`` / ``deadline_started`` (and optionally
    ``deadline_label``, and ``deadline_paused`` when its clocks may be paused)."""
    return Deadline(due=getattr(row, "deadline_due", None), started=getattr(row, "deadline_started", None),
                    now=now or timezone.now(), label=getattr(row, "deadline_label", "") or "",
                    paused=bool(getattr(row, "deadline_paused", False)))


def by_deadline(*then) -> list:
    """The order of a work list: soonest deadline first, rows without one last, then ``then``."""
    return [F("deadline_due").asc(nulls_last=True), *then]
