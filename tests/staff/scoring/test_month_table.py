"""A month of attendance and complaint events, in the shape the other areas' selectors return (fed through
a stand-in adapter), plus supervisors' manual entries, through ``events_for_month`` into records and
scorecards, against a table computed by hand from REGULATIONS §5 ("points" preset, base 10). The same kind
of check fed by the real attendance import commands is ``test_imported_attendance_month.py``."""

import datetime as dt
from decimal import Decimal as D

from staff.scoring import sources
from staff.scoring.selectors import scorecards_month
from staff.scoring.services.materialise import month_materialise
from tests.factories import EmployeeFactory, ManualCategoryFactory, ManualEntryFactory
from tests.staff.scoring import fake_adapters

Y, M = 2026, 11

# employee -> [(day, kind), ...]
MONTH = {
    "A": [(3, "late"), (5, "late"), (12, "late"), (20, "early")],
    "B": [(4, "late_over_30"), (9, "absent")],
    "C": [(d, "comp_leave_day") for d in (2, 3, 9, 10, 16, 17)] + [(24, "missed_punch"), (25, "missed_punch")],
    "D": [(2, "absent"), (3, "absent")] + [(d, "complaint_general_fault") for d in (10, 11, 12)],
    "E": [(d, "manual:missed_call_complaint") for d in (1, 8, 15, 22, 29)],  # recorded by a supervisor
    "F": [],
}
# hand-computed: deductions, score, flags
EXPECTED = {
    "A": (D("2"), D("8"), ""),  # 3 × 0.5 late + 0.5 early
    "B": (D("7"), D("3"), "Verbal warning"),  # 2 (late > 30) + 5 (absent)
    "C": (D("5"), D("5"), "Verbal warning"),  # days 5 and 6 of 调休: 2 × 2; 2 missed punches × 0.5
    "D": (D("15"), D("-5"), "Punishment"),  # 2 × 5 absent; complaints −1 −1 −1 and −2 at 3
    "E": (D("10"), D("0"), "Punishment"),  # missed calls: −5 at 3, −5 more at 5
    "F": (D("0"), D("10"), ""),
}


def test_a_month_of_events_gives_the_hand_computed_scores(presets, monkeypatch):
    people = {key: EmployeeFactory(employee_no=f"T-{key}", name=f"测试{key}") for key in MONTH}
    missed_call = ManualCategoryFactory(code="missed_call_complaint")
    for key, rows in MONTH.items():
        for day, kind in rows:
            if kind == "manual:missed_call_complaint":
                ManualEntryFactory(employee=people[key], category=missed_call, date=dt.date(Y, M, day),
                                   note="漏接电话，客户投诉")
    fake_adapters.MONTH_ROWS[:] = [
        {"employee_id": people[key].pk, "date": dt.date(Y, M, day), "kind": kind,
         "source": f"attendance:day:{people[key].pk}-{day}-{kind}" if not kind.startswith("complaint")
         else f"complaint:{people[key].pk}{day:02d}"}
        for key, rows in MONTH.items() for day, kind in rows if not kind.startswith("manual:")
    ]
    monkeypatch.setattr(sources, "ADAPTERS", (("tests.staff.scoring.fake_adapters", "month_rows"),))
    month_materialise(year=Y, month=M)
    cards = {r.employee_no: r for r in scorecards_month(year=Y, month=M)}
    got = {key: (cards[f"T-{key}"].deductions, cards[f"T-{key}"].score, cards[f"T-{key}"].flags) for key in MONTH}
    assert got == EXPECTED
