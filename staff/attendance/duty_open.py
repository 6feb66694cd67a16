"""Reads of the duty log's two §7 rules (REGULATIONS §7):

- "the entry starts from what is open": :func:`open_items_now` gathers the complaints in progress, the promised
  replies and repair requests not yet done and the items in custody from every app that registered a provider
  (``csmgmt.core.registry.register_open_items``), so staff imports none of those apps;
- "a rostered shift whose handover is not signed by the end of the next shift is flagged to the supervisor":
  :func:`next_shift_end` and :func:`unsigned_handovers`. "The next shift" is the next one somebody is rostered on
  (a defined shift nobody works, such as the weekend shift on a weekday, is no handover); when nobody is rostered
  after it yet, the same shift the next day.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csmgmt.core.registry import open_items_providers
from staff.models import DutyLogEntry, Employee, RosterEntry, Shift

# the groups of the list, in this order (an app may add a kind of its own: shown under its own name)
OPEN_KINDS = {
    "complaint": _("Complaints in progress"),
    "promised_reply": _("Promised replies not yet given"),
    "repair": _("Repair requests not yet done"),
    "custody": _("Items in custody"),
}


def open_items_now() -> list[dict]:
    """Every registered provider's open items, as stored on the entry (JSON: the due time as ISO text)."""
    rows = []
    for provider in open_items_providers():
        for item in provider():
            rows.append({"kind": item.kind, "number": item.number, "title": item.title, "url": item.url,
                         "due": item.due.isoformat() if item.due else None, "who": item.who, "state": item.state})
    return rows


@dataclass
class OpenGroup:
    kind: str
    label: object
    items: list


def open_groups(rows: list[dict]) -> list[OpenGroup]:
    """The stored (or current) rows grouped by kind, in :data:`OPEN_KINDS` order; every kind is shown, empty too."""
    by_kind = defaultdict(list)
    for row in rows or []:
        due = row.get("due")
        by_kind[row.get("kind", "")].append({**row, "due": dt.datetime.fromisoformat(due) if due else None})
    kinds = list(OPEN_KINDS) + [k for k in by_kind if k not in OPEN_KINDS]
    return [OpenGroup(kind=k, label=OPEN_KINDS.get(k, k), items=by_kind.get(k, [])) for k in kinds]


# --- handovers not signed in time ------------------------------------------------------------------


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def shift_span(day: dt.date, shift: Shift) -> tuple[dt.datetime, dt.datetime]:
    """When ``shift`` on ``day`` starts and ends (a shift that ends at or before its start ends the next day)."""
    start = _at(day, shift.start)
    end_day = day + dt.timedelta(days=1) if shift.crosses_midnight or shift.end <= shift.start else day
    return start, _at(end_day, shift.end)


def next_shift_end(day: dt.date, shift: Shift, rostered: list[tuple[dt.date, Shift]]) -> dt.datetime:
    """The end of the shift after ``shift`` on ``day``: the rostered shift (of ``rostered``, (date, shift) pairs
    someone works) that starts next after it; when none is rostered after it, the same shift the next day."""
    start, _end = shift_span(day, shift)
    later = sorted(span for span in (shift_span(d, s) for d, s in rostered) if span[0] > start)
    if later:
        return later[0][1]
    return shift_span(day + dt.timedelta(days=1), shift)[1]


@dataclass
class UnsignedHandover:
    date: dt.date
    shift: Shift
    deadline: dt.datetime
    supervisors: list  # [Employee]


def unsigned_handovers(*, now: dt.datetime, days: int = 7) -> list[UnsignedHandover]:
    """Rostered (date, working shift) pairs of the last ``days`` days whose handover (the shift's entry, signed by
    both) is not signed although the next shift has ended, with the supervisors to tell: the rostered employees'
    supervisors (or, for an employee without one, their department's head). A fixed number of queries."""
    shifts = list(Shift.objects.filter(active=True, is_rest=False, start__isnull=False, end__isnull=False))
    if not shifts:
        return []
    today = timezone.localtime(now).date()
    first = today - dt.timedelta(days=days)
    rostered = defaultdict(set)  # (date, shift id) -> {supervisor id}
    for day, shift_id, supervisor_id, head_id in (
            RosterEntry.objects.filter(date__gte=first, date__lte=today + dt.timedelta(days=1), shift__in=shifts)
            .values_list("date", "shift_id", "employee__supervisor_id", "employee__department__head_id")):
        boss = supervisor_id or head_id
        rostered[(day, shift_id)].add(boss)
    signed = set(DutyLogEntry.objects.filter(date__gte=first, date__lte=today, addendum_to__isnull=True,
                                             state=DutyLogEntry.State.SIGNED_BY_BOTH)
                 .values_list("date", "shift_id"))
    by_id = {s.pk: s for s in shifts}
    worked = [(day, by_id[shift_id]) for day, shift_id in rostered]
    late = []
    for (day, shift_id), bosses in sorted(rostered.items(), key=lambda kv: (kv[0][0], by_id[kv[0][1]].start)):
        if (day, shift_id) in signed or day > today:
            continue
        deadline = next_shift_end(day, by_id[shift_id], worked)
        if deadline <= now:
            late.append(UnsignedHandover(date=day, shift=by_id[shift_id], deadline=deadline,
                                         supervisors=sorted(b for b in bosses if b)))
    people = {e.pk: e for e in Employee.objects.filter(pk__in={b for h in late for b in h.supervisors}, active=True)}
    for handover in late:
        handover.supervisors = [people[b] for b in handover.supervisors if b in people]
    return late
