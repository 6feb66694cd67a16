"""What ``migrate`` leaves in the database, read as it is: no factory re-creates a missing shift and no
installer runs here (the data migrations alone). pytest-django runs these plain ``db`` tests before the
transactional ones that flush the tables."""

import datetime as dt
from decimal import Decimal as D

from staff.models import RuleSet, Shift

T = dt.time

# REGULATIONS §4: code, name, rest, start, end, ends the next day; every one with grace 0, thresholds 30,
# punch window 120 before / 240 after, active.
SHIFTS = [
    ("A", "A班", False, T(8, 0), T(17, 0), False),
    ("B", "B班", False, T(10, 0), T(19, 0), False),
    ("W", "周末/节假日班", False, T(9, 0), T(18, 0), False),
    ("N", "夜班", False, T(17, 30), T(1, 0), True),
    ("REST", "休息", True, None, None, False),
]


def test_the_default_shifts_exist_after_migrate(db):
    rows = Shift.objects.order_by("pk").values_list(
        "code", "name", "is_rest", "start", "end", "crosses_midnight", "grace_minutes", "late_threshold_minutes",
        "early_threshold_minutes", "window_before_minutes", "window_after_minutes", "active")
    assert list(rows) == [(*s, 0, 30, 30, 120, 240, True) for s in SHIFTS]


def _rules(rule_set):
    return [
        (r.code, r.event_kind, r.counts_as_violation, r.active,
         [(t.first, t.last, t.points, t.money, t.exempt) for t in r.tiers.order_by("first")],
         [(t.at, t.points, t.money, t.flag) for t in r.thresholds.order_by("at")])
        for r in rule_set.rules.order_by("order", "id")
    ]


N = None
Z = D("0")


def test_the_points_preset_is_in_force_with_exactly_the_rows_of_regulations_5(db):
    points = RuleSet.objects.get(code="points")
    assert (points.active, points.base_points, points.warning_at, points.punishment_at, points.severe_months) == (
        True, D("10"), D("5"), D("2"), 3)
    assert list(RuleSet.objects.filter(active=True).values_list("code", flat=True)) == ["points"]
    assert _rules(points) == [
        ("late", "late", True, True, [(1, N, D("-0.5"), Z, False)], []),
        ("late_over_30", "late_over_30", True, True, [(1, N, D("-2"), Z, False)], []),
        ("early", "early", True, True, [(1, N, D("-0.5"), Z, False)], []),
        ("early_over_30", "early_over_30", True, True, [(1, N, D("-2"), Z, False)], []),
        ("missed_punch", "missed_punch", True, True, [(1, N, D("-0.5"), Z, False)], []),
        ("absent", "absent", True, True, [(1, N, D("-5"), Z, False)], []),
        ("comp_leave_day", "comp_leave_day", True, True, [(1, 4, Z, Z, True), (5, N, D("-2"), Z, False)], []),
        ("complaint_general_fault", "complaint_general_fault", True, True, [(1, N, D("-1"), Z, False)],
         [(3, D("-2"), Z, ""), (5, D("-3"), Z, "")]),
        ("complaint_serious_fault", "complaint_serious_fault", True, True, [(1, N, D("-5"), Z, False)], []),
        ("complaint_missed_call", "manual:missed_call_complaint", True, True, [(1, N, Z, Z, False)],
         [(3, D("-5"), Z, ""), (5, D("-5"), Z, "")]),
        ("unfinished_work", "manual:unfinished_work", True, True, [(1, N, D("-0.5"), Z, False)], []),
        # §10: a failed inspection item "may be recorded at once as the matching manual violation of §5
        # (phone-handling rule)"; issue 20: "added to both presets where missing" — −0.5 here (our choice)
        ("phone_rule", "manual:phone_rule", True, True, [(1, N, D("-0.5"), Z, False)], []),
    ]
    assert points.brackets.count() == 0


def test_the_fines_preset_is_installed_not_in_force_with_the_rows_of_regulations_5(db):
    fines = RuleSet.objects.get(code="fines")
    fine_tiers = [(1, 2, Z, D("-20"), False), (3, 4, Z, D("-50"), False), (5, 7, Z, D("-100"), False)]
    dismiss_at_8 = [(8, Z, Z, "dismissal")]
    assert fines.active is False
    attendance = [("late", "late"), ("late_over_30", "late_over_30"), ("early", "early"),
                  ("early_over_30", "early_over_30"), ("missed_punch", "missed_punch"), ("absent", "absent")]
    assert _rules(fines) == [
        ("conduct", "manual:conduct", True, True, fine_tiers, dismiss_at_8),
        ("phone_rule", "manual:phone_rule", True, True, fine_tiers, dismiss_at_8),
        ("order_entry", "manual:order_entry", True, True,
         [(1, 2, Z, Z, False), (3, 5, Z, D("-20"), False), (6, 8, Z, D("-50"), False), (9, N, Z, D("-100"), False)],
         []),
        ("private_order", "manual:private_order", True, True, [(1, 1, Z, D("-500"), False)],
         [(2, Z, Z, "suspension"), (3, Z, Z, "dismissal")]),
        ("wrong_marking", "manual:wrong_marking", True, True,
         [(1, 1, Z, D("-200"), False), (2, 2, Z, D("-500"), False)], [(3, Z, Z, "dismissal")]),
        ("clean_month", "month:clean", False, True, [(1, N, Z, D("100"), False)], []),
        # attendance is not fined, but it spoils "no violation all month" (and is no bracket violation)
        *[(code, kind, False, True, [(1, N, Z, Z, False)], []) for code, kind in attendance],
    ]
    spoilers = fines.rules.filter(spoils_clean_month=True).order_by("order")
    assert list(spoilers.values_list("code", flat=True)) == [code for code, _kind in attendance]
    assert list(fines.brackets.order_by("first").values_list("first", "last", "money", "flag")) == [
        (0, 20, D("600"), ""), (21, 26, D("-300"), ""), (27, 33, D("-600"), ""), (34, N, Z, "management")]
