"""Where the engine's events come from: manual entries (here), attendance and complaints (their areas).

Each other area offers a selector returning plain dicts ``{"employee_id", "date", "kind", "source"}``
(optionally ``"extra"``) for a month:

- ``staff.attendance.selectors.attendance_score_events(*, year, month)``: kinds "late", "late_over_30",
  "early", "early_over_30", "missed_punch" (not corrected by month end), "absent" (per day),
  "comp_leave_day" (per day of 调休; the rule charges the days beyond 4); source "attendance:day:<id>".
- ``complaints.selectors.complaint_score_events(*, year, month)``: "complaint_general_fault",
  "complaint_serious_fault" for complaints closed in the month (local time) with that fault level for the
  responsible employee; source "complaint:<id>". Missed calls that drew a complaint are recorded by
  supervisors as the manual category "missed_call_complaint".

A module or function that does not exist contributes nothing; an error inside one that exists is
not hidden.
"""

import datetime as dt
import importlib
import importlib.util

from staff.models import ManualEntry
from staff.rules import Event, manual_kind, month_last_day

ADAPTERS = (
    ("staff.attendance.selectors", "attendance_score_events"),
    ("complaints.selectors", "complaint_score_events"),
)


def manual_events(*, year: int, month: int) -> list[Event]:
    rows = (ManualEntry.objects.filter(voided=False, date__gte=dt.date(year, month, 1),
                                       date__lte=month_last_day(year, month))
            .values_list("pk", "employee_id", "date", "category__code"))
    return [Event(employee_id=employee_id, date=date, kind=manual_kind(code), source=f"manual:{pk}")
            for pk, employee_id, date, code in rows]


def _adapter(module_name: str, function_name: str):
    try:
        if importlib.util.find_spec(module_name) is None:
            return None
    except ModuleNotFoundError:  # the parent package itself is missing
        return None
    return getattr(importlib.import_module(module_name), function_name, None)


def events_for_month(*, year: int, month: int) -> list[Event]:
    events = manual_events(year=year, month=month)
    for module_name, function_name in ADAPTERS:
        function = _adapter(module_name, function_name)
        if function is None:
            continue
        for row in function(year=year, month=month):
            events.append(Event(employee_id=row["employee_id"], date=row["date"], kind=row["kind"],
                                source=row["source"], extra=row.get("extra") or {}))
    return events
