"""The engine against every worked example of REGULATIONS §5 (no database)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staff import rules
from staff.rules import Event, Flag, Kind
from staff.scoring.presets import preset_rule_set

POINTS = preset_rule_set("points")
FINES = preset_rule_set("fines")
Y, M = 2026, 11
MISSED_CALL = "manual:missed_call_complaint"  # recorded by a supervisor (nothing else produces it)


def events(kind, n, employee_id=1, start_day=1):
    return [Event(employee_id=employee_id, date=dt.date(Y, M, start_day + i % 28), kind=kind, source=f"test:{kind}:{i}")
            for i in range(n)]


def evaluate(evs, rule_set, employees=()):
    return rules.evaluate(evs, rule_set, year=Y, month=M, employees=employees)


def total(outcomes, attr):
    return sum((getattr(o, attr) for o in outcomes), D("0"))


# --- per-occurrence tiers: conduct violations in the fines preset ---------------------------------


@pytest.mark.parametrize(("n", "fine_of_nth", "month_total"), [
    (1, D("-20"), D("-20")),
    (2, D("-20"), D("-40")),
    (3, D("-50"), D("-90")),
    (4, D("-50"), D("-140")),
    (5, D("-100"), D("-240")),
    (7, D("-100"), D("-440")),
    (8, D("0"), D("-440")),
])
def test_conduct_tiers_cost_20_then_50_then_100(n, fine_of_nth, month_total):
    outcomes = [o for o in evaluate(events("manual:conduct", n), FINES) if o.kind == Kind.OCCURRENCE]
    assert [o.occurrence for o in outcomes] == list(range(1, n + 1))
    assert outcomes[-1].money == fine_of_nth
    assert total(outcomes, "money") == month_total


def test_the_eighth_conduct_violation_raises_a_dismissal_recommendation_and_the_seventh_does_not():
    seven = evaluate(events("manual:conduct", 7), FINES)
    eight = evaluate(events("manual:conduct", 8), FINES)
    assert [o for o in seven if o.flags] == []
    flagged = [o for o in eight if o.flags]
    assert len(flagged) == 1
    assert (flagged[0].kind, flagged[0].occurrence, flagged[0].flags) == (Kind.THRESHOLD, 8, (Flag.DISMISSAL,))
    assert flagged[0].source == "test:manual:conduct:7"  # the event that reached 8


def test_tier_labels_name_the_occurrence_range():
    outcomes = evaluate(events("manual:conduct", 5), FINES)
    assert [o.tier for o in outcomes] == ["1–2", "1–2", "3–4", "3–4", "5–7"]


@pytest.mark.parametrize(("n", "fines"), [
    (1, [D("0")]),
    (2, [D("0"), D("0")]),
    (3, [D("0"), D("0"), D("-20")]),
    (5, [D("0"), D("0"), D("-20"), D("-20"), D("-20")]),
    (6, [D("0"), D("0"), D("-20"), D("-20"), D("-20"), D("-50")]),
    (9, [D("0"), D("0"), D("-20"), D("-20"), D("-20"), D("-50"), D("-50"), D("-50"), D("-100")]),
    (10, [D("0"), D("0"), D("-20"), D("-20"), D("-20"), D("-50"), D("-50"), D("-50"), D("-100"), D("-100")]),
])
def test_order_entry_two_free_then_20_50_100(n, fines):
    assert [o.money for o in evaluate(events("manual:order_entry", n), FINES)] == fines


# --- threshold extras ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "points"), [(1, D("-1")), (2, D("-2")), (3, D("-5")), (4, D("-6")), (5, D("-10")),
                                           (6, D("-11"))])
def test_attitude_complaints_total_minus_1_2_then_5_at_3_and_10_at_5(n, points):
    assert total(evaluate(events("complaint_general_fault", n), POINTS), "points") == points


@pytest.mark.parametrize(("n", "points"), [(1, D("0")), (2, D("0")), (3, D("-5")), (4, D("-5")), (5, D("-10")),
                                           (6, D("-10"))])
def test_missed_calls_cost_5_at_3_and_10_at_5(n, points):
    assert total(evaluate(events(MISSED_CALL, n), POINTS), "points") == points


def test_threshold_extras_are_their_own_outcomes_keyed_by_n():
    outcomes = evaluate(events(MISSED_CALL, 5), POINTS)
    extras = [o for o in outcomes if o.kind == Kind.THRESHOLD]
    assert [(o.occurrence, o.points, o.key) for o in extras] == [(3, D("-5"), "at:3"), (5, D("-5"), "at:5")]


def test_private_order_500_then_suspension_then_dismissal():
    outcomes = evaluate(events("manual:private_order", 3), FINES)
    assert total(outcomes, "money") == D("-500")
    assert [o.flags for o in outcomes if o.flags] == [(Flag.SUSPENSION,), (Flag.DISMISSAL,)]


def test_wrong_marking_200_then_500_then_dismissal():
    outcomes = evaluate(events("manual:wrong_marking", 3), FINES)
    assert [o.money for o in outcomes if o.kind == Kind.OCCURRENCE] == [D("-200"), D("-500"), D("0")]
    assert [o.flags for o in outcomes if o.flags] == [(Flag.DISMISSAL,)]


# --- the points preset's attendance rows --------------------------------------------------------------


@pytest.mark.parametrize(("kind", "n", "points"), [
    ("late", 3, D("-1.5")),
    ("late_over_30", 2, D("-4")),
    ("early", 1, D("-0.5")),
    ("early_over_30", 1, D("-2")),
    ("missed_punch", 2, D("-1")),
    ("absent", 2, D("-10")),
    ("comp_leave_day", 4, D("0")),
    ("comp_leave_day", 5, D("-2")),
    ("comp_leave_day", 7, D("-6")),
    ("complaint_serious_fault", 1, D("-5")),
    ("manual:unfinished_work", 2, D("-1")),
])
def test_points_preset_per_occurrence_amounts(kind, n, points):
    assert total(evaluate(events(kind, n), POINTS), "points") == points


@pytest.mark.parametrize("days", [1, 2, 3, 4])
def test_the_first_four_compensatory_days_are_neither_records_nor_violations(days):
    outcomes = evaluate(events("comp_leave_day", days), POINTS, employees=[1])
    assert outcomes == []
    totals = rules.employee_totals(outcomes, POINTS, employees=[1])[1]
    assert (totals.score, totals.deductions, totals.violations) == (D("10"), D("0"), 0)
    assert rules.department_outcomes(outcomes, FINES, {1: 7})[0].violations == 0


def test_compensatory_days_beyond_four_cost_2_each_and_count_from_the_fifth():
    outcomes = evaluate(events("comp_leave_day", 6), POINTS, employees=[1])
    assert [(o.occurrence, o.tier, o.points, o.source, o.counts_as_violation) for o in outcomes] == [
        (5, "5+", D("-2"), "test:comp_leave_day:4", True), (6, "5+", D("-2"), "test:comp_leave_day:5", True)]
    totals = rules.employee_totals(outcomes, POINTS, employees=[1])[1]
    assert (totals.score, totals.violations) == (D("6"), 2)
    assert rules.department_outcomes(outcomes, FINES, {1: 7})[0].violations == 2


def test_an_exempt_tier_still_numbers_its_occurrences_and_keeps_its_threshold_extras():
    rule_set = rules.RuleSet(rules=(rules.Rule(
        code="r", event_kind="x", tiers=(rules.Tier(1, 2, exempt=True), rules.Tier(3, None, money=D("-10"))),
        thresholds=(rules.Threshold(at=2, flag=Flag.VERBAL_WARNING),)),))
    outcomes = evaluate(events("x", 3), rule_set)
    assert [(o.kind, o.occurrence, o.money, o.flags) for o in outcomes] == [
        (Kind.THRESHOLD, 2, D("0"), (Flag.VERBAL_WARNING,)), (Kind.OCCURRENCE, 3, D("-10"), ())]


def test_an_occurrence_beyond_every_tier_still_counts_as_a_violation():
    outcomes = [o for o in evaluate(events("manual:conduct", 9), FINES) if o.kind == Kind.OCCURRENCE]
    assert [(o.occurrence, o.money, o.counts_as_violation) for o in outcomes[-2:]] == [
        (8, D("0"), True), (9, D("0"), True)]


def test_events_outside_the_month_and_unknown_kinds_count_nothing():
    evs = [Event(1, dt.date(Y, M - 1, 30), "late", "a"), Event(1, dt.date(Y, M, 1), "teleported", "b")]
    assert evaluate(evs, POINTS) == []


def test_occurrences_are_numbered_by_date_whatever_the_input_order():
    evs = [Event(1, dt.date(Y, M, 20), "manual:conduct", "late-one"), Event(1, dt.date(Y, M, 2), "manual:conduct", "x"),
           Event(1, dt.date(Y, M, 9), "manual:conduct", "y")]
    assert [(o.source, o.occurrence) for o in evaluate(evs, FINES)] == [("x", 1), ("y", 2), ("late-one", 3)]


# --- month-level rewards ------------------------------------------------------------------------------


def test_a_clean_month_earns_100_and_a_violation_loses_it():
    outcomes = evaluate(events("manual:conduct", 1, employee_id=2), FINES, employees=[1, 2])
    month = [o for o in outcomes if o.kind == Kind.MONTH]
    assert [(o.employee_id, o.money, o.date, o.source) for o in month] == [
        (1, D("100"), dt.date(Y, M, 30), "month:2026-11")]


@pytest.mark.parametrize("kind", ["late", "late_over_30", "early", "early_over_30", "missed_punch", "absent"])
def test_in_the_fines_preset_attendance_costs_nothing_but_loses_the_clean_month(kind):
    outcomes = evaluate(events(kind, 3), FINES, employees=[1, 2])
    assert [(o.employee_id, o.kind, o.money, o.counts_as_violation) for o in outcomes] == [
        (1, Kind.OCCURRENCE, D("0"), False)] * 3 + [(2, Kind.MONTH, D("100"), False)]
    totals = rules.employee_totals(outcomes, FINES, employees=[1, 2])
    assert (totals[1].fines, totals[1].reward_money, totals[1].violations) == (D("0"), D("0"), 0)
    assert rules.department_outcomes(outcomes, FINES, {1: 7, 2: 7})[0].violations == 0  # not a bracket violation


def test_allowed_compensatory_days_do_not_lose_a_clean_month():
    rule_set = rules.RuleSet(rules=(*FINES.rules, *(r for r in POINTS.rules if r.code == "comp_leave_day")))
    outcomes = evaluate(events("comp_leave_day", 4), rule_set, employees=[1])
    assert [(o.kind, o.money) for o in outcomes] == [(Kind.MONTH, D("100"))]


# --- department brackets ------------------------------------------------------------------------------


@pytest.mark.parametrize(("violations", "money", "flags", "label"), [
    (0, D("600"), (), "0–20"),
    (20, D("600"), (), "0–20"),
    (21, D("-300"), (), "21–26"),
    (26, D("-300"), (), "21–26"),
    (27, D("-600"), (), "27–33"),
    (33, D("-600"), (), "27–33"),
    (34, D("0"), (Flag.MANAGEMENT,), "34+"),
])
def test_department_brackets(violations, money, flags, label):
    # spread over 5 employees of department 9, so no single person's tiers matter
    evs = [e for i in range(5) for e in events("manual:order_entry", violations // 5 + (i < violations % 5), employee_id=i)]
    departments = {i: 9 for i in range(5)}
    outcomes = evaluate(evs, FINES, employees=departments)
    (dept,) = rules.department_outcomes(outcomes, FINES, departments)
    assert (dept.department_id, dept.violations, dept.money, dept.flags, dept.bracket) == (9, violations, money, flags,
                                                                                          label)


def test_free_occurrences_count_towards_the_department_total_but_rewards_do_not():
    evs = events("manual:order_entry", 2, employee_id=1)
    outcomes = evaluate(evs, FINES, employees=[1, 2])
    (dept,) = rules.department_outcomes(outcomes, FINES, {1: 9, 2: 9})
    assert dept.violations == 2


# --- score flags --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "previous", "flags"), [
    (D("10"), (), ()),
    (D("5.5"), (), ()),
    (D("5"), (), (Flag.VERBAL_WARNING,)),
    (D("2.5"), (), (Flag.VERBAL_WARNING,)),
    (D("2"), (), (Flag.PUNISHMENT,)),
    (D("-3"), (), (Flag.PUNISHMENT,)),
    (D("5"), (D("4"), D("5")), (Flag.VERBAL_WARNING, Flag.SEVERE)),
    (D("1"), (D("4"), D("0")), (Flag.PUNISHMENT, Flag.SEVERE)),
    (D("5"), (D("4"), D("5.5")), (Flag.VERBAL_WARNING,)),
    (D("5"), (D("4"), None), (Flag.VERBAL_WARNING,)),
    (D("5"), (D("4"),), (Flag.VERBAL_WARNING,)),
    (D("6"), (D("4"), D("4")), ()),
])
def test_score_flags(score, previous, flags):
    assert rules.score_flags(score, previous, POINTS) == flags


def test_month_score_is_base_plus_rewards_minus_deductions_and_may_go_below_zero():
    evs = events("absent", 3) + events("late", 1)
    totals = rules.employee_totals(evaluate(evs, POINTS), POINTS, employees=[1, 2])
    assert totals[1] == rules.Totals(base=D("10"), deductions=D("15.5"), rewards=D("0"), score=D("-5.5"),
                                     fines=D("0"), reward_money=D("0"), violations=4, flags=(Flag.PUNISHMENT,))
    assert totals[2].score == D("10") and totals[2].flags == ()


def test_threshold_flags_appear_in_the_totals():
    totals = rules.employee_totals(evaluate(events("manual:conduct", 8), FINES), FINES)
    assert totals[1].flags == (Flag.DISMISSAL,)
    assert totals[1].fines == D("440")


# --- tier validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("ranges", "ok"), [
    ([(1, 2), (3, 4), (5, None)], True),
    ([(1, 2), (5, 7)], True),  # a gap is allowed: those occurrences cost nothing
    ([(1, None)], True),
    ([(1, 3), (3, 4)], False),  # overlap
    ([(3, 4), (1, 2)], False),  # not ascending
    ([(1, None), (3, 4)], False),  # an open row must be last
    ([(2, 1)], False),
    ([(0, 1)], False),
])
def test_tier_errors(ranges, ok):
    assert (rules.tier_errors(ranges) == []) is ok


# --- properties ---------------------------------------------------------------------------------------

KINDS = sorted({r.event_kind for r in POINTS.rules} | {r.event_kind for r in FINES.rules} - {rules.MONTH_CLEAN})
event_rows = st.lists(st.tuples(st.integers(1, 4), st.integers(1, 30), st.sampled_from(KINDS)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(rows=event_rows, preset=st.sampled_from(["points", "fines"]))
def test_the_score_is_the_base_plus_the_sum_of_the_outcomes(rows, preset):
    rule_set = preset_rule_set(preset)
    evs = [Event(e, dt.date(Y, M, d), k, f"s{i}") for i, (e, d, k) in enumerate(rows)]
    outcomes = evaluate(evs, rule_set, employees=[1, 2, 3, 4])
    totals = rules.employee_totals(outcomes, rule_set, employees=[1, 2, 3, 4])
    for employee_id, t in totals.items():
        mine = [o for o in outcomes if o.employee_id == employee_id]
        assert t.score == rule_set.base_points + total(mine, "points")
        assert t.reward_money - t.fines == total(mine, "money")
    keys = [(o.employee_id, o.rule_code, o.key) for o in outcomes]
    assert len(keys) == len(set(keys))  # every outcome has its own key (the materialiser relies on it)


@settings(max_examples=40, deadline=None)
@given(rows=event_rows)
def test_the_engine_does_not_depend_on_the_order_of_its_input(rows):
    evs = [Event(e, dt.date(Y, M, d), k, f"s{i:03d}") for i, (e, d, k) in enumerate(rows)]
    assert evaluate(evs, FINES, employees=[1, 2]) == evaluate(list(reversed(evs)), FINES, employees=[1, 2])
