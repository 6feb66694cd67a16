"""Reads for scoring pages and the monthly workbook, with the object-level rules of who sees what:
an employee sees their own card; a supervisor also their direct reports'; a manager everyone's."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from staff.models import (Appeal, Department, Employee, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, RuleSet,
                          ScoreCard, ScoreFlag, ScoreMonth)
from staff.rules import MANUAL_PREFIX, MONTH_CLEAN

from .workflow import PENALTY_RECORD

# --- who may see whom ---------------------------------------------------------------------------------


def can_see_employee(user, employee: Employee) -> bool:
    me = getattr(user, "employee", None)
    if me is None:
        return False
    if me.pk == employee.pk:
        return can(user, "scoring.view_own")
    if can(user, "scoring.close_month"):  # managers: the whole department
        return True
    return can(user, "scoring.view_team") and employee.supervisor_id == me.pk


def visible_employee_filter(user, prefix: str = "") -> Q:
    """A filter on employees (``prefix`` e.g. "employee__") for the rows ``user`` may see."""
    me = getattr(user, "employee", None)
    if me is None:
        return Q(pk__in=[])
    if can(user, "scoring.close_month"):
        return Q()
    own = Q(**{f"{prefix}pk": me.pk})
    if can(user, "scoring.view_team"):
        return own | Q(**{f"{prefix}supervisor_id": me.pk})
    return own


def can_record_for(user, employee: Employee) -> bool:
    me = getattr(user, "employee", None)
    if me is None or not can(user, "scoring.record_manual"):
        return False
    return can(user, "scoring.close_month") or employee.supervisor_id == me.pk


def recordable_employees(user):
    me = getattr(user, "employee", None)
    qs = Employee.objects.filter(active=True).select_related("department")
    if me is None or not can(user, "scoring.record_manual"):
        return qs.none()
    if can(user, "scoring.close_month"):
        return qs
    return qs.filter(supervisor_id=me.pk)


# --- months --------------------------------------------------------------------------------------------


def month_parse(value: str | None, *, now: dt.datetime | None = None) -> tuple[int, int]:
    """"2026-11" -> (2026, 11); anything else: the current month in the app's time zone (Asia/Shanghai),
    at ``now`` (an aware datetime; default: the current time)."""
    today = timezone.localdate(now)
    try:
        year, month = (int(p) for p in (value or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def score_month_find(year: int, month: int) -> ScoreMonth | None:
    return ScoreMonth.objects.select_related("rule_set").filter(year=year, month=month).first()


def month_trail(score_month: ScoreMonth):
    return score_month.events.select_related("by").order_by("-at", "-id")


def record_trail(record: PenaltyRecord) -> list:
    """The record's events, oldest first, each with ``.label`` (one query)."""
    events = list(record.events.select_related("by").order_by("at", "id"))
    for e in events:
        e.label = PENALTY_RECORD.label(e.action)
    return events


# --- cards ---------------------------------------------------------------------------------------------

FLAG_LABELS = dict(ScoreFlag.choices)


def flag_labels(flags) -> list[str]:
    return [str(FLAG_LABELS.get(f, f)) for f in flags or ()]


def card_records(employee: Employee, score_month: ScoreMonth):
    """The employee's records of the month (voided and withdrawn ones too, marked), with rule and appeal."""
    return (PenaltyRecord.objects.filter(employee=employee, score_month=score_month)
            .select_related("rule", "appeal", "recorded_by")
            .order_by("date", "rule__order", "occurrence", "id"))


def card_of(employee: Employee, score_month: ScoreMonth) -> ScoreCard | None:
    return ScoreCard.objects.filter(employee=employee, score_month=score_month).first()


def month_cards(user, score_month: ScoreMonth):
    return (ScoreCard.objects.filter(score_month=score_month)
            .filter(visible_employee_filter(user, "employee__"))
            .select_related("employee", "department")
            .order_by("department__name", "employee__employee_no"))


def source_link(source: str, date=None) -> tuple[str, str]:
    """A readable label and (when there is a page for it) a link for an event reference; ``date``, the
    record's day, words an attendance day ("Attendance on 2026-11-05", not an internal row id)."""
    kind, _sep, rest = source.partition(":")
    if kind == "manual":
        return _("Manual entry #%(id)s") % {"id": rest}, ""
    if kind == "attendance":
        if date is not None:
            return _("Attendance on %(date)s") % {"date": date.strftime("%Y-%m-%d")}, ""
        return _("Attendance record"), ""
    if kind == "complaint":
        try:
            return _("Complaint #%(id)s") % {"id": rest}, reverse("complaints:detail", args=[int(rest)])
        except Exception:  # the complaints area has no detail page yet
            return _("Complaint #%(id)s") % {"id": rest}, ""
    if kind == "month":
        return _("The whole month %(month)s") % {"month": rest}, ""
    return source, ""


def source_links(records) -> dict:
    """{record.pk: (label, url)} for the records' sources: a manual entry that another app recorded (e.g. a quality
    inspection's failed item) links to that record through the registry's origins — one query per registered origin,
    whatever the number of records; every other source as ``source_link`` words it."""
    from csmgmt.core.registry import manual_entry_origins

    def entry_id(source):
        kind, _sep, rest = source.partition(":")
        return int(rest) if kind == "manual" and rest.isdigit() else None

    origins = manual_entry_origins(entry_id(r.source) for r in records)
    return {r.pk: origins.get(entry_id(r.source)) or source_link(r.source, r.date) for r in records}


def manual_entries_for(records) -> dict[str, ManualEntry]:
    """The manual entries the records came from, by source (one query)."""
    ids = [int(r.source.split(":", 1)[1]) for r in records if r.source.startswith("manual:")]
    if not ids:
        return {}
    return {e.source: e for e in ManualEntry.objects.filter(pk__in=ids).select_related("category", "recorded_by")}


# --- the monthly workbook ------------------------------------------------------------------------------

SCORECARD_COLUMNS = (
    ("Employee No", "employee_no"),
    ("Name", "name"),
    ("Department", "department"),
    ("Base", "base"),
    ("Deductions", "deductions"),
    ("Rewards", "rewards"),
    ("Score", "score"),
    ("Fines (CNY)", "fines"),
    ("Rewards (CNY)", "reward_money"),
    ("Flags", "flags"),
)


@dataclass(frozen=True)
class ScorecardRow:
    employee_id: int
    employee_no: str
    name: str
    department: str
    base: Decimal
    deductions: Decimal
    rewards: Decimal
    score: Decimal
    fines: Decimal
    reward_money: Decimal
    flags: str  # labels joined with "、"

    def values(self) -> list:
        return [getattr(self, attr) for _header, attr in SCORECARD_COLUMNS]


def scorecards_month(*, year: int, month: int, employee_ids=None) -> list[ScorecardRow]:
    """Each scored employee's card of the month (one query), in employee-number order; only those of
    ``employee_ids`` when given. Empty when the month was never computed. Flags are their labels in the
    active language."""
    cards = (ScoreCard.objects.filter(score_month__year=year, score_month__month=month)
             .select_related("employee", "department").order_by("employee__employee_no"))
    if employee_ids is not None:
        cards = cards.filter(employee_id__in=employee_ids)
    return [
        ScorecardRow(
            employee_id=c.employee_id, employee_no=c.employee.employee_no, name=c.employee.name,
            department=c.department.name, base=c.base, deductions=c.deductions, rewards=c.rewards, score=c.score,
            fines=c.fines, reward_money=c.reward_money, flags="、".join(flag_labels(c.flags)),
        )
        for c in cards
    ]


# --- departments and the fund --------------------------------------------------------------------------


def department_summary(user, score_month: ScoreMonth) -> list[dict]:
    """Per department (rows the user may see): employees scored, total deductions and rewards, money,
    violations and the average score. One aggregate query."""
    from django.db.models import Avg, Count

    return list(
        ScoreCard.objects.filter(score_month=score_month).filter(visible_employee_filter(user, "employee__"))
        .values("department_id", "department__name")
        .annotate(employees=Count("id"), deductions=Sum("deductions"), rewards=Sum("rewards"), fines=Sum("fines"),
                  reward_money=Sum("reward_money"), violations=Sum("violations"), average=Avg("score"))
        .order_by("department__name")
    )


def department_month(score_month: ScoreMonth):
    """Per department: the month's ledger lines (fines, rewards, bracket, adjustments)."""
    return (FundEntry.objects.filter(score_month=score_month).select_related("department", "created_by")
            .order_by("department__name", "kind", "id"))


def fund_balances(departments) -> dict[int, Decimal]:
    rows = (FundEntry.objects.filter(department__in=departments).values("department_id")
            .annotate(total=Sum("amount")))
    return {r["department_id"]: r["total"] for r in rows}


@dataclass(frozen=True)
class FundLine:
    department: str
    line: str
    violations: int | None
    bracket: str
    amount: Decimal | None
    flags: str
    note: str

    def values(self) -> list:
        return [self.department, self.line, self.violations, self.bracket, self.amount, self.flags, self.note]


def fund_month_lines(*, year: int, month: int) -> list[FundLine]:
    """REGULATIONS §5, §8: per department (scored, or with a fund line): its monthly total of violations
    (against the bracket it reached, when the rule set has brackets), the fund's lines of the month (fines in,
    rewards out, the bracket, adjustments) and the balance at the month's end (every line of this month and
    the months before). Three queries."""
    kinds = dict(FundEntry.Kind.choices)
    entries = (FundEntry.objects.filter(score_month__year=year, score_month__month=month)
               .select_related("department").order_by("kind", "id"))
    upto = Q(score_month__year__lt=year) | Q(score_month__year=year, score_month__month__lte=month)
    names, balances, violations, lines_of = {}, {}, {}, {}
    for r in FundEntry.objects.filter(upto).values("department_id", "department__name").annotate(total=Sum("amount")):
        names[r["department_id"]], balances[r["department_id"]] = r["department__name"], r["total"]
    for r in (ScoreCard.objects.filter(score_month__year=year, score_month__month=month)
              .values("department_id", "department__name").annotate(n=Sum("violations"))):
        names[r["department_id"]], violations[r["department_id"]] = r["department__name"], r["n"]
    bracket_of = {}
    for e in entries:
        if e.kind == FundEntry.Kind.BRACKET:
            bracket_of[e.department_id] = e.bracket
        lines_of.setdefault(e.department_id, []).append(
            FundLine(department=e.department.name, line=str(kinds.get(e.kind, e.kind)), violations=e.violations,
                     bracket=e.bracket, amount=e.amount, flags="、".join(flag_labels(e.flags)), note=e.note))
    lines = []
    for department_id in sorted(names, key=lambda d: names[d]):
        name = names[department_id]
        if department_id in violations:
            lines.append(FundLine(department=name, line=str(_("Violations in the month")),
                                  violations=violations[department_id], bracket=bracket_of.get(department_id, ""),
                                  amount=None, flags="", note=""))
        lines.extend(lines_of.get(department_id, []))
        lines.append(FundLine(department=name, line=str(_("Balance at the end of the month")), violations=None,
                              bracket="", amount=balances.get(department_id, ZERO_MONEY), flags="", note=""))
    return lines


ZERO_MONEY = Decimal("0.00")


def brackets_of_month(*, year: int, month: int) -> list:
    """The department brackets of the rule set the month was computed with (else the active one)."""
    from staff.models import DepartmentBracket

    score_month = ScoreMonth.objects.filter(year=year, month=month).values("rule_set_id").first()
    rule_set_id = score_month["rule_set_id"] if score_month else None
    if rule_set_id is None:
        rule_set_id = RuleSet.objects.filter(active=True).values_list("pk", flat=True).first()
    return list(DepartmentBracket.objects.filter(rule_set_id=rule_set_id).order_by("first"))


def fund_ledger(department: Department, *, limit: int = 200):
    return (FundEntry.objects.filter(department=department).select_related("score_month", "created_by")
            .order_by("-score_month__year", "-score_month__month", "kind", "-id")[:limit])


# --- appeals, rule sets, categories --------------------------------------------------------------------


def appeals_pending():
    return (Appeal.objects.filter(status=Appeal.Status.PENDING)
            .select_related("employee", "record__rule", "record__score_month").order_by("created", "id"))


def appeals_recent(limit: int = 20):
    return (Appeal.objects.exclude(status=Appeal.Status.PENDING)
            .select_related("employee", "record__rule", "decided_by").order_by("-decided_at", "-id")[:limit])


def rule_sets():
    return RuleSet.objects.order_by("-active", "name")


def rule_set_detail(rule_set_id: int) -> RuleSet:
    return RuleSet.objects.prefetch_related("rules__tiers", "rules__thresholds", "brackets").get(pk=rule_set_id)


def event_kind_choices() -> list[tuple[str, str]]:
    """Every event kind a rule may count: attendance, complaints, the manual categories, a clean month."""
    kinds = [
        ("late", _("Late ≤ 30 min")), ("late_over_30", _("Late > 30 min")), ("early", _("Early leave ≤ 30 min")),
        ("early_over_30", _("Early leave > 30 min")), ("missed_punch", _("Missed punch not corrected")),
        ("absent", _("Absence (per day)")), ("comp_leave_day", _("Compensatory day (调休)")),
        ("complaint_general_fault", _("Complaint closed: general fault")),
        ("complaint_serious_fault", _("Complaint closed: serious fault")),
        ("complaint_missed_call", _("Missed call/message that drew a complaint")),
    ]
    for category in ManualCategory.objects.filter(active=True).order_by("kind", "name"):
        kinds.append((f"{MANUAL_PREFIX}{category.code}", _("Manual: %(name)s") % {"name": category.name}))
    kinds.append((MONTH_CLEAN, _("Month-level: no violation all month")))
    return kinds


def manual_entries_recent(user, *, page_size: int = 25, before_id: int | None = None):
    qs = (ManualEntry.objects.filter(visible_employee_filter(user, "employee__"))
          .select_related("employee", "category", "recorded_by").order_by("-id"))
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    return qs[: page_size + 1]
