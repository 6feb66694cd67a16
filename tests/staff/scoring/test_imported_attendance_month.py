"""A month of attendance imported through the attendance commands (roster + time-clock export)
gives the scores REGULATIONS §4–§5 predict, under the default "points" preset. The expected table
below is computed by hand from the regulations, not by the code."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.utils import translation

from staff.attendance.selectors import attendance_month
from staff.scoring.selectors import scorecards_month
from staff.scoring.services.materialise import month_materialise
from tests.factories import EmployeeFactory

ROSTER = """employee_no,date,shift_code
W001,2026-10-01,A
W001,2026-10-02,A
W001,2026-10-03,A
W001,2026-10-04,A
W001,2026-10-05,A
W001,2026-10-06,REST
W002,2026-10-01,A
W002,2026-10-02,A
W002,2026-10-03,N
W002,2026-10-04,B
W002,2026-10-05,A
"""

# Shift A 08:00–17:00, B 10:00–19:00, N 17:30–01:00 next day; grace 0; thresholds 30 minutes.
PUNCHES = """employee_no,timestamp
W001,2026-10-01 07:55:00
W001,2026-10-01 17:05:00
W001,2026-10-02 08:10:30
W001,2026-10-02 17:00:00
W001,2026-10-03 08:45:00
W001,2026-10-03 17:02:00
W001,2026-10-04 07:50:00
W001,2026-10-04 16:45:00
W002,2026-10-01 07:58:00
W002,2026-10-02 08:00:59
W002,2026-10-02 17:00:00
W002,2026-10-03 17:29:00
W002,2026-10-04 01:00:00
W002,2026-10-04 10:20:00
W002,2026-10-04 18:20:00
W002,2026-10-05 07:59:00
W002,2026-10-05 17:00:00
"""

# Hand-computed from REGULATIONS §4 (day codes) and §5 "points" (10 base):
# W001: 1 P; 2 late 10 min (−0.5); 3 late 45 min = late > 30 (−2); 4 early 15 min (−0.5); 5 absent (−5);
#       6 REST -> 10 − 8 = 2 -> "punishment" (score ≤ 2)
# W002: 1 only a clock-in = missed punch (−0.5); 2 08:00:59 is on time; 3 night shift 17:29 → 01:00 on time;
#       4 B late 20 (−0.5) and early 40 = early > 30 (−2); 5 P -> 10 − 3 = 7, no flag
EXPECTED_CODES = {
    "W001": {1: "P", 2: "L", 3: "L", 4: "E", 5: "A", 6: "R"},
    "W002": {1: "M", 2: "P", 3: "P", 4: "LE", 5: "P"},
}
EXPECTED_SCORES = {
    "W001": {"deductions": D("8"), "score": D("2"), "flags": "Punishment"},
    "W002": {"deductions": D("3"), "score": D("7"), "flags": ""},
}


@pytest.fixture
def staff_members(db):
    from staff.scoring.presets import presets_install

    presets_install()
    return [EmployeeFactory(employee_no=no, name=name, roles=["agent"]) for no, name in (("W001", "周杰"), ("W002", "吴敏"))]


def _import(tmp_path, command, text):
    path = tmp_path / f"{command}.csv"
    path.write_text(text, encoding="utf-8")
    call_command(command, str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_an_imported_month_of_attendance_scores_as_the_regulations_predict(tmp_path, staff_members):
    _import(tmp_path, "import_roster", ROSTER)
    _import(tmp_path, "import_punches", PUNCHES)
    month = {row.employee.employee_no: row for row in attendance_month(year=2026, month=10)}
    for no, codes in EXPECTED_CODES.items():
        assert {day: code for day, code in month[no].codes.items() if code} == codes, no

    month_materialise(year=2026, month=10)
    with translation.override("en"):
        cards = {c.employee_no: c for c in scorecards_month(year=2026, month=10)}
    for no, expected in EXPECTED_SCORES.items():
        card = cards[no]
        assert (card.base, card.deductions, card.rewards, card.score, card.flags) == (
            D("10"), expected["deductions"], D("0"), expected["score"], expected["flags"]), no
