"""Penalty and reward scoring (REGULATIONS §5) as pure functions over plain rows: no database here.

Input: a month's :class:`Event` rows (who, when, what kind, where it came from) and a :class:`RuleSet`
(plain dataclasses built from the rule set tables). Output: one :class:`Outcome` per penalty or reward,
plus :class:`DepartmentOutcome` for the department brackets, and per-employee :class:`Totals`.

Signs: ``points`` and ``money`` are seen from the employee: a deduction or a fine is negative, a reward
positive. Tiers are chosen by the occurrence's number in the calendar month (1st, 2nd, …), and "以上"
includes the number itself: tiers 1–2 ¥20, 3–4 ¥50, 5–7 ¥100 with a threshold at 8 read "occurrences
1–2 cost 20, 3–4 cost 50, 5–7 cost 100, and the 8th raises a dismissal recommendation".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

ZERO = Decimal("0")

# --- event kinds (other areas produce these exact strings) --------------------------------------------
ATTENDANCE_KINDS = ("late", "late_over_30", "early", "early_over_30", "missed_punch", "absent", "comp_leave_day")
COMPLAINT_KINDS = ("complaint_general_fault", "complaint_serious_fault", "complaint_missed_call")
MANUAL_PREFIX = "manual:"
MONTH_CLEAN = "month:clean"  # a month-level rule: rewards an employee with no violation in the month


def manual_kind(category_code: str) -> str:
    return f"{MANUAL_PREFIX}{category_code}"


class Flag:
    VERBAL_WARNING = "verbal_warning"
    PUNISHMENT = "punishment"
    SEVERE = "severe"
    SUSPENSION = "suspension"
    DISMISSAL = "dismissal"
    MANAGEMENT = "management"

    ALL = (VERBAL_WARNING, PUNISHMENT, SEVERE, SUSPENSION, DISMISSAL, MANAGEMENT)


class Kind:
    OCCURRENCE = "occurrence"
    THRESHOLD = "threshold"
    MONTH = "month"


# --- input ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    employee_id: int
    date: dt.date
    kind: str
    source: str  # "attendance:day:123", "complaint:45", "manual:7"
    extra: Mapping = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Tier:
    first: int
    last: int | None = None  # inclusive; None: and every later occurrence
    points: Decimal = ZERO
    money: Decimal = ZERO
    exempt: bool = False  # allowed occurrences: no outcome at all, not a violation (调休 days 1–4)

    def covers(self, n: int) -> bool:
        return n >= self.first and (self.last is None or n <= self.last)

    @property
    def label(self) -> str:
        if self.last is None:
            return f"{self.first}+"
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}–{self.last}"


@dataclass(frozen=True)
class Threshold:
    at: int
    points: Decimal = ZERO
    money: Decimal = ZERO
    flag: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    event_kind: str
    tiers: tuple[Tier, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    counts_as_violation: bool = True
    id: int | None = None
    name: str = ""
    spoils_clean_month: bool = False  # also without counting as a violation (attendance in the fines preset)

    @property
    def spoils(self) -> bool:
        return self.counts_as_violation or self.spoils_clean_month


@dataclass(frozen=True)
class Bracket:
    first: int
    last: int | None = None
    money: Decimal = ZERO  # seen from the department fund: +600 goes into the fund, -300 comes out
    flag: str = ""

    def covers(self, n: int) -> bool:
        return n >= self.first and (self.last is None or n <= self.last)

    @property
    def label(self) -> str:
        if self.last is None:
            return f"{self.first}+"
        return f"{self.first}–{self.last}"


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    brackets: tuple[Bracket, ...] = ()
    base_points: Decimal = Decimal("10")
    warning_at: Decimal = Decimal("5")
    punishment_at: Decimal = Decimal("2")
    severe_months: int = 3


# --- output --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    employee_id: int
    rule_code: str
    kind: str  # Kind.*
    occurrence: int  # the occurrence's number in the month; for a threshold its N; 0 for a month rule
    tier: str
    points: Decimal
    money: Decimal
    flags: tuple[str, ...]
    source: str
    date: dt.date
    counts_as_violation: bool = False
    rule_id: int | None = None

    @property
    def key(self) -> str:
        """What identifies this outcome inside (month, employee, rule): stable when others change."""
        if self.kind == Kind.OCCURRENCE:
            return self.source
        if self.kind == Kind.THRESHOLD:
            return f"at:{self.occurrence}"
        return "month"


@dataclass(frozen=True)
class DepartmentOutcome:
    department_id: int
    violations: int
    bracket: str
    money: Decimal
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Totals:
    base: Decimal
    deductions: Decimal  # positive number of points taken off
    rewards: Decimal  # positive number of points added
    score: Decimal
    fines: Decimal  # positive CNY
    reward_money: Decimal  # positive CNY
    violations: int
    flags: tuple[str, ...]


# --- validation (shared with the rule set forms) ------------------------------------------------------


def tier_errors(ranges: Sequence[tuple[int, int | None]], *, minimum: int = 1) -> list[str]:
    """Ranges (first, last) must each be well formed, ascend and not overlap; only the last may be open."""
    errors = []
    previous_last: int | None = minimum - 1
    for index, (first, last) in enumerate(ranges, start=1):
        if first < minimum:
            errors.append(_("Row %(n)s: “from” must be at least %(min)s.") % {"n": index, "min": minimum})
        if last is not None and last < first:
            errors.append(_("Row %(n)s: “to” (%(last)s) is before “from” (%(first)s).")
                          % {"n": index, "last": last, "first": first})
        if previous_last is None:
            errors.append(_("Row %(n)s: the row before it has no “to”, so it already covers every later number.")
                          % {"n": index})
        elif first <= previous_last:
            errors.append(_("Row %(n)s: starts at %(first)s, which overlaps the row before it or is not in "
                            "ascending order.") % {"n": index, "first": first})
        previous_last = last
    return errors


def tier_for(tiers: Iterable[Tier], n: int) -> Tier | None:
    for tier in tiers:
        if tier.covers(n):
            return tier
    return None


def bracket_for(brackets: Iterable[Bracket], n: int) -> Bracket | None:
    for bracket in brackets:
        if bracket.covers(n):
            return bracket
    return None


def month_last_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


# --- the engine ----------------------------------------------------------------------------------------


def evaluate(events: Iterable[Event], rule_set: RuleSet, *, year: int, month: int,
             employees: Iterable[int] = ()) -> list[Outcome]:
    """Every penalty and reward of the month. ``employees`` are the people scored even without
    events (month-level rules such as a clean month need them). A clean month is one without an
    occurrence of a rule that counts as a violation or is marked "spoils a clean month". Events outside the month and kinds
    no rule counts are ignored. Occurrences are numbered by (date, source) within each kind. An
    occurrence in an *exempt* tier is allowed: it gives no outcome (no record) and is no violation,
    though it still takes its number (the 5th 调休 day is the 5th)."""
    by_kind: dict[tuple[int, str], list[Event]] = defaultdict(list)
    for event in events:
        if event.date.year == year and event.date.month == month:
            by_kind[(event.employee_id, event.kind)].append(event)
    rules_by_kind: dict[str, list[Rule]] = defaultdict(list)
    month_rules = []
    for rule in rule_set.rules:
        if rule.event_kind == MONTH_CLEAN:
            month_rules.append(rule)
        else:
            rules_by_kind[rule.event_kind].append(rule)

    outcomes: list[Outcome] = []
    violators: set[int] = set()
    for (employee_id, kind), rows in sorted(by_kind.items()):
        rows.sort(key=lambda e: (e.date, e.source))
        for rule in rules_by_kind.get(kind, ()):
            thresholds = {t.at: t for t in rule.thresholds}
            for n, event in enumerate(rows, start=1):
                tier = tier_for(rule.tiers, n)
                extra = thresholds.get(n)
                if tier is not None and tier.exempt:
                    # an allowed occurrence (e.g. the first 4 调休 days): still numbered, never recorded
                    if extra is not None:
                        outcomes.append(_threshold_outcome(employee_id, rule, extra, n, event))
                    continue
                outcomes.append(Outcome(
                    employee_id=employee_id, rule_code=rule.code, rule_id=rule.id, kind=Kind.OCCURRENCE,
                    occurrence=n, tier=tier.label if tier else "", points=tier.points if tier else ZERO,
                    money=tier.money if tier else ZERO, flags=(), source=event.source, date=event.date,
                    counts_as_violation=rule.counts_as_violation,
                ))
                if rule.spoils:
                    violators.add(employee_id)
                if extra is not None:
                    outcomes.append(_threshold_outcome(employee_id, rule, extra, n, event))
    if month_rules:
        scored = sorted(set(employees) | {employee_id for employee_id, _kind in by_kind})
        last_day = month_last_day(year, month)
        for rule in month_rules:
            tier = tier_for(rule.tiers, 1)
            for employee_id in scored:
                if employee_id in violators:
                    continue
                outcomes.append(Outcome(
                    employee_id=employee_id, rule_code=rule.code, rule_id=rule.id, kind=Kind.MONTH, occurrence=0,
                    tier="", points=tier.points if tier else ZERO, money=tier.money if tier else ZERO,
                    flags=(), source=f"month:{year:04d}-{month:02d}", date=last_day,
                ))
    return outcomes


def _threshold_outcome(employee_id: int, rule: Rule, extra: Threshold, n: int, event: Event) -> Outcome:
    return Outcome(
        employee_id=employee_id, rule_code=rule.code, rule_id=rule.id, kind=Kind.THRESHOLD, occurrence=n, tier="",
        points=extra.points, money=extra.money, flags=(extra.flag,) if extra.flag else (), source=event.source,
        date=event.date,
    )


def department_outcomes(outcomes: Iterable[Outcome], rule_set: RuleSet,
                        departments: Mapping[int, int]) -> list[DepartmentOutcome]:
    """The department's monthly count of violations (every occurrence of a violation rule, free ones
    included) against the brackets. ``departments`` maps employee id -> department id; every department
    named there gets an outcome, even with no violation (≤ 20 is a reward)."""
    counts: dict[int, int] = {d: 0 for d in set(departments.values())}
    for outcome in outcomes:
        if outcome.kind == Kind.OCCURRENCE and outcome.counts_as_violation:
            department_id = departments.get(outcome.employee_id)
            if department_id is not None:
                counts[department_id] = counts.get(department_id, 0) + 1
    result = []
    if not rule_set.brackets:
        return result
    for department_id, count in sorted(counts.items()):
        bracket = bracket_for(rule_set.brackets, count)
        result.append(DepartmentOutcome(
            department_id=department_id, violations=count, bracket=bracket.label if bracket else "",
            money=bracket.money if bracket else ZERO, flags=(bracket.flag,) if bracket and bracket.flag else (),
        ))
    return result


def score_flags(score: Decimal, previous_scores: Sequence[Decimal | None], rule_set: RuleSet) -> tuple[str, ...]:
    """≤ warning_at: verbal warning; ≤ punishment_at: punishment (instead); at or below warning_at for
    ``severe_months`` months running (this one and the ones before, newest first): severe."""
    flags = []
    if score <= rule_set.punishment_at:
        flags.append(Flag.PUNISHMENT)
    elif score <= rule_set.warning_at:
        flags.append(Flag.VERBAL_WARNING)
    run = [score, *previous_scores[: max(rule_set.severe_months - 1, 0)]]
    if (len(run) >= rule_set.severe_months
            and all(s is not None and s <= rule_set.warning_at for s in run)):
        flags.append(Flag.SEVERE)
    return tuple(flags)


def employee_totals(outcomes: Iterable[Outcome], rule_set: RuleSet, *, employees: Iterable[int] = (),
                    previous_scores: Mapping[int, Sequence[Decimal | None]] | None = None) -> dict[int, Totals]:
    """Base, deductions, rewards, score (base + rewards − deductions, may go below 0), money and flags
    (the rules' threshold flags and the score flags) per employee."""
    previous_scores = previous_scores or {}
    acc: dict[int, dict] = {}
    for employee_id in employees:
        acc.setdefault(employee_id, _empty())
    for outcome in outcomes:
        row = acc.setdefault(outcome.employee_id, _empty())
        if outcome.points < 0:
            row["deductions"] -= outcome.points
        else:
            row["rewards"] += outcome.points
        if outcome.money < 0:
            row["fines"] -= outcome.money
        else:
            row["reward_money"] += outcome.money
        if outcome.kind == Kind.OCCURRENCE and outcome.counts_as_violation:
            row["violations"] += 1
        for flag in outcome.flags:
            if flag not in row["flags"]:
                row["flags"].append(flag)
    result = {}
    for employee_id, row in acc.items():
        score = rule_set.base_points + row["rewards"] - row["deductions"]
        flags = list(row["flags"])
        for flag in score_flags(score, previous_scores.get(employee_id, ()), rule_set):
            if flag not in flags:
                flags.append(flag)
        result[employee_id] = Totals(
            base=rule_set.base_points, deductions=row["deductions"], rewards=row["rewards"], score=score,
            fines=row["fines"], reward_money=row["reward_money"], violations=row["violations"],
            flags=tuple(sorted(flags, key=_flag_order)),
        )
    return result


def _flag_order(flag: str) -> int:
    return Flag.ALL.index(flag) if flag in Flag.ALL else len(Flag.ALL)


def _empty() -> dict:
    return {"deductions": ZERO, "rewards": ZERO, "fines": ZERO, "reward_money": ZERO, "violations": 0, "flags": []}
