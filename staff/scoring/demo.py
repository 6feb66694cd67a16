"""Demo scoring data for ``load_demo`` (runs after ``staff.demo``): violations and praise recorded by the
supervisors this month and last month, both months computed, last month closed, one appeal waiting.
Idempotent: entries are found by (employee, category, date, note); months are recomputed only while open."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from staff.models import Appeal, Employee, ManualCategory, ManualEntry, PenaltyRecord, RuleSet, ScoreMonth

from .presets import presets_install
from .selectors import month_shift
from .services import appeal_file, month_close, month_materialise, rule_save

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


def _praise_rule(manager_user):
    category, _ = ManualCategory.objects.get_or_create(
        code="customer_praise", defaults={"name": "客户表扬", "kind": ManualCategory.Kind.PRAISE})
    points = RuleSet.objects.get(code="points")
    if not points.rules.filter(code="customer_praise").exists():
        rule_save(rule_set=points, by=manager_user, tiers=[{"first": 1, "last": None, "points": Decimal("1"),
                                                             "money": Decimal("0")}], thresholds=[],
                  fields={"code": "customer_praise", "name": "客户表扬", "event_kind": "manual:customer_praise",
                          "counts_as_violation": False, "active": True, "order": 50})
    return category


def _entries(rows, year, month, last_day, people):
    for no, code, day, note, by in rows:
        date = dt.date(year, month, min(day, last_day))
        ManualEntry.objects.get_or_create(
            employee=people[no], category=ManualCategory.objects.get(code=code), date=date, note=note,
            defaults={"recorded_by": people[by]})


def load(stdout=None):
    presets_install()
    people = {e.employee_no: e for e in Employee.objects.select_related("user")}
    if "CS001" not in people:
        return
    manager = people["CS001"].user
    _praise_rule(manager)
    today = timezone.localdate()
    last_year, last_month = month_shift(today.year, today.month, -1)
    _entries(ENTRIES, today.year, today.month, today.day, people)
    _entries(LAST_MONTH, last_year, last_month, 28, people)
    last = ScoreMonth.objects.filter(year=last_year, month=last_month).first()
    if last is None or last.is_open:
        month_close(year=last_year, month=last_month, by=manager)
    month_materialise(year=today.year, month=today.month, by=manager)
    record = (PenaltyRecord.objects.filter(employee=people["CS101"], score_month__year=today.year,
                                           score_month__month=today.month, status=PenaltyRecord.Status.ACTIVE,
                                           points__lt=0).order_by("date").last())
    if record is not None and not Appeal.objects.filter(record__employee=people["CS101"]).exists():
        appeal_file(record=record, by=people["CS101"].user, reason="回访表当天已交给组长，系统延迟录入。")
    if stdout:
        stdout.write(f"  scoring: {ManualEntry.objects.count()} manual entries, "
                     f"{PenaltyRecord.objects.count()} records, {Appeal.objects.count()} appeals")
