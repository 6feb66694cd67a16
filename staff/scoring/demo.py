"""Demo scoring data for ``load_demo`` (runs after ``staff.demo``): violations and praise recorded by the
supervisors this month and last month, both months computed, last month closed, one appeal waiting, one
upheld (its record voided), and a manager's adjustment of the department fund.

Idempotent, also when loaded again later in the month: an entry is found by (employee, category, note)
within its month, whatever day it got (an entry's day is capped at today, so it may differ between loads);
the appeals and the fund adjustment are found by their text; months are recomputed only while open."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from staff.models import (Appeal, Department, Employee, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, RuleSet,
                          ScoreMonth)
from staff.rules import month_last_day

from .presets import presets_install
from .selectors import month_shift
from .services.appeals import appeal_decide, appeal_file
from .services.materialise import month_materialise
from .services.months import fund_adjust, month_close
from .services.rule_sets import rule_save

# (employee_no, category code, day of month, note, recorded by employee_no)
ENTRIES = [
    ("CS101", "unfinished_work", 3, "当日来电登记未录完，次日补录。", "CS002"),
    ("CS101", "unfinished_work", 10, "客户回访表未按时提交。", "CS002"),
    ("CS101", "conduct", 12, "在工作区大声接打私人电话。", "CS002"),
    ("CS102", "unfinished_work", 6, "投诉记录单缺少客户联系方式。", "CS002"),
    ("CS103", "customer_praise", 8, "客户来电表扬耐心解答售后问题。", "CS002"),
    ("CS201", "unfinished_work", 5, "交接班日志未签字。", "CS003"),
    ("CS202", "customer_praise", 14, "主动帮助客户找回遗失的钱包，客户致谢。", "CS003"),
]
LAST_MONTH = [
    ("CS101", "unfinished_work", 7, "日报未提交。", "CS002"),
    ("CS104", "unfinished_work", 15, "工单分类错误，需返工。", "CS002"),
    ("CS203", "customer_praise", 20, "客户书面表扬服务热情。", "CS003"),
]
PENDING_APPEAL = "回访表当天已交给组长，系统延迟录入。"
UPHELD_APPEAL = ("CS102", "投诉记录单缺少客户联系方式。", "客户明确拒绝留下联系方式，我已在备注中写明。",
                 "核对通话录音，客户拒绝提供联系方式，不属于工作未完成。")
FUND_NOTE = "购买团队活动饮料和水果"


def _praise_rule(manager):
    category, _ = ManualCategory.objects.get_or_create(
        code="customer_praise", defaults={"name": "客户表扬", "kind": ManualCategory.Kind.PRAISE})
    points = RuleSet.objects.get(code="points")
    if not points.rules.filter(code="customer_praise").exists():
        rule_save(rule_set=points, by=manager, tiers=[{"first": 1, "last": None, "points": Decimal("1"),
                                                        "money": Decimal("0")}], thresholds=[],
                  fields={"code": "customer_praise", "name": "客户表扬", "event_kind": "manual:customer_praise",
                          "counts_as_violation": False, "active": True, "order": 50})
    return category


def _entries(rows, year, month, last_day, people):
    """Create the month's entries that are missing, keyed by (employee, category, note) in the month."""
    start, end = dt.date(year, month, 1), month_last_day(year, month)
    for no, code, day, note, by in rows:
        category = ManualCategory.objects.get(code=code)
        if ManualEntry.objects.filter(employee=people[no], category=category, note=note,
                                      date__gte=start, date__lte=end).exists():
            continue
        ManualEntry.objects.create(employee=people[no], category=category, date=dt.date(year, month, min(day, last_day)),
                                   note=note, recorded_by=people[by])


def _appeals(people, manager, year, month):
    """One appeal waiting (CS101's latest deduction) and one upheld (CS102's entry, voided)."""
    records = PenaltyRecord.objects.filter(score_month__year=year, score_month__month=month,
                                           status=PenaltyRecord.Status.ACTIVE, points__lt=0)
    record = records.filter(employee=people["CS101"]).order_by("date", "id").last()
    if record is not None and not Appeal.objects.filter(employee=people["CS101"], reason=PENDING_APPEAL).exists():
        appeal_file(record=record, by=people["CS101"], reason=PENDING_APPEAL)
    no, note, reason, decision = UPHELD_APPEAL
    if no not in people or Appeal.objects.filter(employee=people[no], reason=reason).exists():
        return
    entry = ManualEntry.objects.filter(employee=people[no], note=note, date__year=year, date__month=month).first()
    record = records.filter(employee=people[no], source=entry.source).first() if entry else None
    if record is not None:
        appeal = appeal_file(record=record, by=people[no], reason=reason)
        appeal_decide(appeal=appeal, by=manager, uphold=True, reason=decision)


def load(stdout=None, *, today: dt.date | None = None):
    """``today`` (default: today in the app's time zone) is the day the demo is loaded on."""
    presets_install()
    people = {e.employee_no: e for e in Employee.objects.select_related("user")}
    if "CS001" not in people:
        return
    manager = people["CS001"]
    _praise_rule(manager)
    today = today or timezone.localdate()
    last_year, last_month = month_shift(today.year, today.month, -1)
    _entries(ENTRIES, today.year, today.month, today.day, people)
    _entries(LAST_MONTH, last_year, last_month, 28, people)
    last = ScoreMonth.objects.filter(year=last_year, month=last_month).first()
    if last is None or last.is_open:
        month_close(year=last_year, month=last_month, by=manager)
    month_materialise(year=today.year, month=today.month, by=manager)
    _appeals(people, manager, today.year, today.month)
    department = Department.objects.filter(code="CS").first()
    if department is not None and not FundEntry.objects.filter(kind=FundEntry.Kind.ADJUSTMENT, note=FUND_NOTE).exists():
        fund_adjust(department=department, year=today.year, month=today.month, amount=Decimal("-120"),
                    note=FUND_NOTE, by=manager)
    if stdout:
        stdout.write(f"  scoring: {ManualEntry.objects.count()} manual entries, "
                     f"{PenaltyRecord.objects.count()} records, {Appeal.objects.count()} appeals")
