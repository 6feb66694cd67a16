"""The workbook's Department fund sheet under the "fines" preset (REGULATIONS §5, §8: "the department's monthly
total against its brackets, and the department fund's lines and balance"). The expected rows are worked out by hand
from §5's table, never read from the preset: conduct violations cost ¥20 for the 1st–2nd and ¥50 for the 3rd–4th;
"no violation all month" rewards ¥100; a department monthly total of ≤ 20 violations puts +¥600 into the fund,
21–26 −¥300, 27–33 −¥600, > 33 is flagged for management. Fines go into the fund, rewards are paid out of it."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import translation

from csmgmt.core.sheets import Period
from staff.models import Employee
from staff.scoring.reports import SHEETS
from staff.scoring.services.materialise import month_materialise
from staff.scoring.services.months import fund_adjust
from tests.factories import EmployeeFactory, ManualEntryFactory, cs_department

pytestmark = pytest.mark.django_db


def fund_sheet_rows(period):
    spec = next(s for s in SHEETS if s.key == "fund")
    with translation.override("en"):
        return spec.headers(), [list(r) for r in spec.rows(period)]


def test_the_fund_sheet_gives_the_departments_total_against_its_brackets_and_the_funds_lines_and_balance(
        fines_active):
    cs = cs_department()
    supervisor = EmployeeFactory(roles=["supervisor"], department=cs, employee_no="CS-020", name="李娜")
    fined = EmployeeFactory(roles=["agent"], department=cs, supervisor=supervisor, employee_no="CS-001", name="张伟")
    EmployeeFactory(roles=["agent"], department=cs, supervisor=supervisor, employee_no="CS-002", name="王芳")
    manager = EmployeeFactory(roles=["manager"], department=cs, employee_no="CS-030", name="王磊")
    # last month's balance carried over
    fund_adjust(department=cs, year=2026, month=10, amount=D("500"), note="上月结余转入", by=manager)
    # 张伟: three conduct violations in November
    for day in (2, 3, 4):
        ManualEntryFactory(employee=fined, date=dt.date(2026, 11, day), recorded_by=supervisor, note="与同事争吵")
    month_materialise(year=2026, month=11)

    headers, rows = fund_sheet_rows(Period(2026, 11))
    assert headers == ["Department", "Line", "Violations", "Bracket", "Amount (CNY)", "Flags", "Note"]
    lines, brackets = rows[:rows.index([])], rows[rows.index([]) + 1:]
    # fines: 20 + 20 + 50 = 90 into the fund; rewards: the four of 客服部 without a violation (王芳, 李娜, 王磊 and the
    # manager who put the preset in force) get ¥100 each out of it; 3 violations in the department: the "≤ 20"
    # bracket, +600; balance 500 + 90 − 400 + 600 = 790
    assert Employee.objects.filter(department=cs).count() == 5
    assert {tuple(r[1:5]) for r in lines[1:-1]} == {
        ("Fines collected", None, "", D("90.00")), ("Rewards paid", None, "", D("-400.00")),
        ("Department bracket", 3, "0–20", D("600.00"))}
    assert lines[0] == ["客服部", "Violations in the month", 3, "0–20", None, "", ""]
    assert lines[-1] == ["客服部", "Balance at the end of the month", None, "", D("790.00"), "", ""]
    assert brackets == [
        ["Department brackets", "", "Violations", "", "To the department fund (CNY)", "Flags"],
        ["", "", "0–20", "", D("600.00"), ""],
        ["", "", "21–26", "", D("-300.00"), ""],
        ["", "", "27–33", "", D("-600.00"), ""],
        ["", "", "≥ 34", "", D("0.00"), "Flagged for management"],
    ]
