"""The whole monthly workbook for a seeded month (October 2026): every sheet's name and header row
exactly, and its numbers equal to the database; formula-like text kept as text; voided calls left out."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from openpyxl import load_workbook

from complaints.models import ClockKind, ClockState, ComplaintClock
from csmgmt.core.sheets import Period
from csmgmt.reports import workbook_write
from lostfound.models import Claim, FoundItem, HandoverBatch
from staff.attendance.services.days import day_status_recompute
from staff.models import Punch
from staff.scoring.presets import presets_install
from staff.scoring.services.materialise import month_materialise
from tests.factories import (CallFactory, ComplaintFactory, DepartmentFactory, EmployeeFactory, FoundItemFactory,
                             RosterEntryFactory, shift)

TZ = ZoneInfo("Asia/Shanghai")
OCT = Period(2026, 10)

SHEETS = ["Summary", "Calls", "Complaints", "Complaint statistics", "Attendance", "Scores", "Department fund",
          "Lost and Found", "Lost and Found by category", "Targets"]
with translation.override("en"):
    CLOCKS = [str(k.label) for k in ClockKind]  # REGULATIONS §8: a met/missed column per clock kind
HEADERS = {
    "Summary": ["Metric", "Value"],
    "Calls": ["Number", "Received at", "Channel", "Direction", "Category", "Caller phone", "Caller name", "Summary",
              "Outcome", "Department", "Agent", "Closed at", "Valid call (有效电话)"],
    "Complaints": ["Number", "Received at", "Stage", "Severity", "Upheld", "Department", "Demand", "Repeat",
                   *CLOCKS, "Attitude satisfaction", "Result satisfaction", "Closed at"],
    "Complaint statistics": ["Figure", "Complaints", "Met", "Missed", "Running"],
    "Attendance": ["Employee No", "Name", "Department", *[str(d) for d in range(1, 32)], "Working days", "On time",
                   "Late", "Late > 30 min", "Early leave", "Early leave > 30 min", "Missed punch", "Absent",
                   "Leave days", "Sick leave", "Personal leave", "Official leave", "Compensatory time off",
                   "Annual leave", "Days worked", "Days worked ÷ 21.75 (partial month)"],
    "Scores": ["Employee No", "Name", "Department", "Base", "Deductions", "Rewards", "Score", "Fines (CNY)",
               "Rewards (CNY)", "Flags"],
    "Department fund": ["Department", "Line", "Violations", "Bracket", "Amount (CNY)", "Flags", "Note"],
    "Lost and Found": ["Number", "Found at", "Category", "Description", "Valuable", "Status", "Claimed at",
                       "Handed to finance at"],
    "Lost and Found by category": ["Category", "Registered", "Claimed", "Handed to finance", "Disposed",
                                   "Still held at the end of the month"],
    # REGULATIONS §10 (issue 20): each figure and its target
    "Targets": ["Row", "Name", "Employee No", "Team",
                "First-contact resolution (问题解决率)", "First-contact resolution (问题解决率): target",
                "Replies on time", "Replies on time: target", "Complaint clocks met", "Complaint clocks met: target",
                "Complaints revisited within 7 days", "Complaints revisited within 7 days: target",
                "Customer satisfaction (1–5)", "Customer satisfaction (1–5): target", "QA score (质检)",
                "QA score (质检): target"],
}
SUMMARY_ORDER = ["Calls", "Valid calls (有效电话)", "First-contact resolution rate",
                 "Missed calls (not answered; not in calls, valid calls or first-contact resolution)",
                 "Missed calls called back", "Complaints received", "Complaints closed",
                 "Clocks met rate", "Average satisfaction", "Found items registered", "Found items claimed",
                 "Handed to finance", "Found items disposed", "Found items still held at the end of the month"]


def at(day, hh=10, mm=0, month=10):
    return dt.datetime(2026, month, day, hh, mm, tzinfo=TZ)


@pytest.fixture
def month(db):
    presets_install()
    qa = DepartmentFactory(code="QA", name="质量管理部")
    log = DepartmentFactory(code="LOG", name="物流配送部")
    agent = EmployeeFactory(roles=["agent"], employee_no="CS-001", name="张伟")
    # calls: 3 in October (one voided, one with a formula-like summary), one in November
    CallFactory(number="LD-1", received_at=at(1), agent=agent, summary="咨询门票")
    CallFactory(number="LD-2", received_at=at(2), agent=agent, outcome="transferred", status="open", department=qa,
                summary="+86 转接")
    CallFactory(number="LD-3", received_at=at(3), agent=agent, status="voided", void_reason="重复登记")
    CallFactory(number="LD-4", received_at=at(1, month=11), agent=agent)
    # complaints: 3 received in October (closed, withdrawn, open with an overdue clock), one in September
    closed = ComplaintFactory(number="TS-1", received_at=at(5), agent=agent, stage="closed", upheld=True,
                              severity="major", responsible_department=qa, demand="compensation", is_repeat=True,
                              satisfaction_attitude=5, satisfaction_result=4, closed_at=at(9), fault_level="none",
                              content="=cmd|' /C calc'!A0")
    ComplaintFactory(number="TS-2", received_at=at(6), agent=agent, stage="withdrawn", withdrawn_reason="客户撤回",
                     withdrawn_at=at(7), against_department=log)
    open_ = ComplaintFactory(number="TS-3", received_at=at(20), agent=agent, stage="plan", upheld=False,
                             responsible_department=log, satisfaction_attitude=2)
    ComplaintFactory(number="TS-0", received_at=at(30, month=9), agent=agent)
    ComplaintClock.objects.create(complaint=closed, kind=ClockKind.FIRST_REPLY, started_at=at(5), due_at=at(5, 12),
                                  met_at=at(5, 11), state=ClockState.MET)
    ComplaintClock.objects.create(complaint=closed, kind=ClockKind.CLOSE, started_at=at(5), due_at=at(8),
                                  met_at=at(9), state=ClockState.MISSED)
    ComplaintClock.objects.create(complaint=open_, kind=ClockKind.DEPT_REPORT, started_at=at(20), due_at=at(22))
    ComplaintClock.objects.create(complaint=open_, kind=ClockKind.FIRST_REPLY, started_at=at(20),
                                  due_at=at(20, 12), met_at=at(20, 11), state=ClockState.MET)
    # attendance: a hand-made roster and punches for 张伟 (days 2–5 shift A 08:00–17:00, day 6 rest)
    for day in (2, 3, 4, 5):
        RosterEntryFactory(employee=agent, date=dt.date(2026, 10, day), shift=shift("A"))
    RosterEntryFactory(employee=agent, date=dt.date(2026, 10, 6), shift=shift("REST"))
    for stamp in (at(2, 7, 55), at(2, 17, 5), at(3, 8, 10), at(3, 17, 0), at(5, 7, 58)):
        Punch.objects.create(employee=agent, at=stamp, source="import")
    for day in (2, 3, 4, 5, 6):
        day_status_recompute(employee_id=agent.pk, date=dt.date(2026, 10, day), now=at(1, month=11))
    month_materialise(year=2026, month=10)
    # lost and found: 3 registered in October (claimed, handed to finance, still held), one registered in November
    claimed = FoundItemFactory(number="SW-1", found_at=at(3), description="@黑色钱包", category="bag",
                               status="claimed")
    handed = FoundItemFactory(number="SW-2", found_at=at(4), description="雨伞", category="other", valuable=False)
    FoundItemFactory(number="SW-3", found_at=at(10), category="phone")
    late = FoundItemFactory(number="SW-4", found_at=at(31, 23))
    for item, registered in ((claimed, at(3, 11)), (handed, at(4, 11)), (late, at(1, 9, month=11))):
        FoundItem.objects.filter(pk=item.pk).update(registered_at=registered)
    FoundItem.objects.filter(number="SW-3").update(registered_at=at(10, 11))
    Claim.objects.create(item=claimed, claimant_name="李娜", id_type="id_card", id_number="110101199001011234",
                         phone="13900000000", description_given="黑色钱包", verified_by=agent, released_by=agent,
                         signed_on_paper=True, claimed_at=at(8))
    batch = HandoverBatch.objects.create(number="JC-1", period="202610", status="confirmed", confirmed_at=at(30),
                                         confirmed_by=agent)
    FoundItem.objects.filter(pk=handed.pk).update(status="finance", handover_batch=batch)
    return agent


@pytest.fixture
def workbook(month, tmp_path):
    path = tmp_path / "oct.xlsx"
    workbook_write(period=OCT, language="en", path=path)
    return load_workbook(path)


def rows_of(ws):
    return [list(r) for r in ws.values]


def test_every_sheet_and_header_row_is_exactly_as_the_issue_says(workbook):
    assert workbook.sheetnames == SHEETS
    for name, headers in HEADERS.items():
        assert rows_of(workbook[name])[0][:len(headers)] == headers, name
        if name != "Summary":
            assert len(rows_of(workbook[name])[0]) == len(headers), name
            assert workbook[name].auto_filter.ref.startswith("A1:")
            assert workbook[name].freeze_panes in ("A2", "D2")


def test_the_summary_rows_come_in_order_and_equal_the_database(workbook):
    metrics = [r for r in rows_of(workbook["Summary"])[1:15]]
    assert [r[0] for r in metrics] == SUMMARY_ORDER
    values = {r[0]: r[1] for r in metrics}
    assert values["Calls"] == 2
    assert values["Valid calls (有效电话)"] == 0  # the fixture's calls carry no valid marking
    assert values["First-contact resolution rate"] == pytest.approx(0.5)
    # the month's exchange counted nothing (issue 21: missed calls on their own rows)
    assert (values[SUMMARY_ORDER[3]], values["Missed calls called back"]) == (0, 0)
    assert values["Complaints received"] == 3
    assert values["Complaints closed"] == 1
    assert values["Clocks met rate"] == pytest.approx(2 / 4)  # 2 met; 1 missed, 1 running past due
    assert values["Average satisfaction"] == pytest.approx((5 + 4 + 2) / 3, abs=0.005)
    assert (values["Found items registered"], values["Found items claimed"], values["Handed to finance"]) == (3, 1, 1)
    assert (values["Found items disposed"], values["Found items still held at the end of the month"]) == (0, 1)


def test_the_complaints_sheet_lists_every_complaint_received_in_the_month(workbook):
    rows = rows_of(workbook["Complaints"])[1:]
    assert [r[0] for r in rows] == ["TS-1", "TS-2", "TS-3"]
    clocks = {name: i for i, name in enumerate(HEADERS["Complaints"])}
    assert rows[0][:8] == ["TS-1", dt.datetime(2026, 10, 5, 10, 0), "Closed", "Major (重大)", "Yes", "质量管理部",
                           "Compensation (赔偿)", "Yes"]
    assert rows[0][-3:] == ["Very satisfied (非常满意)", "Satisfied (满意)", dt.datetime(2026, 10, 9, 10, 0)]
    # one column per clock kind: first reply met at 11:00 (due 12:00); closed on the 9th, due on the 8th
    assert rows[0][clocks["First reply to the customer"]] == "Met"
    with translation.override("en"):
        assert rows[0][clocks[str(ClockKind.CLOSE.label)]] == "Missed"
    assert rows[0][clocks["Assigned to a department"]] is None  # that clock never ran
    assert rows[1][2] == "Withdrawn" and rows[1][5] == "物流配送部" and rows[1][4] is None
    assert rows[2][4] == "No" and rows[2][-3] == "Dissatisfied (不满意)"
    assert rows[2][clocks["Department reports result or progress"]] == "Missed"  # due on the 22nd, still running


def test_the_attendance_sheet_has_the_codes_of_the_hand_made_roster(workbook, month):
    ws = workbook["Attendance"]
    [row] = rows_of(ws)[1:]
    assert row[:3] == ["CS-001", "张伟", month.department.name]
    codes = row[3:34]
    assert codes[:7] == [None, "P", "L", "A", "M", "R", None]
    assert all(c is None for c in codes[6:])
    assert row[34:] == [4, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 3, None]  # no leave; days worked P, L, M; a whole month
    assert ws["E2"].fill.fgColor.rgb.endswith("C6EFCE")  # P green
    assert ws["G2"].fill.fgColor.rgb.endswith("FFC7CE")  # A red


def test_the_attendance_sheet_has_as_many_day_columns_as_the_month(month, tmp_path):
    path = tmp_path / "feb.xlsx"
    workbook_write(period=Period(2026, 2), language="en", path=path)
    header = rows_of(load_workbook(path)["Attendance"])[0]
    assert header[3:31] == [str(d) for d in range(1, 29)] and header[31] == "Working days"


def test_the_scores_sheet_gives_the_seeded_employees_score(workbook):
    rows = rows_of(workbook["Scores"])[1:]
    by_no = {r[0]: r for r in rows}
    # points preset: late −0.5, absent −5, missed punch −0.5 → deductions 6, score 10 − 6 = 4
    assert by_no["CS-001"][1:9] == ["张伟", by_no["CS-001"][2], 10, 6, 0, 4, 0, 0]
    assert by_no["CS-001"][9] == "Verbal warning"
    for r in rows:
        assert Decimal(str(r[6])) == Decimal(str(r[3])) - Decimal(str(r[4])) + Decimal(str(r[5]))


def test_the_lost_and_found_sheet_lists_the_months_registrations(workbook):
    rows = rows_of(workbook["Lost and Found"])[1:]
    assert [r[0] for r in rows] == ["SW-1", "SW-2", "SW-3"]
    assert rows[0] == ["SW-1", dt.datetime(2026, 10, 3, 10, 0), "Bag", "'@黑色钱包", "No", "Claimed",
                       dt.datetime(2026, 10, 8, 10, 0), None]
    assert rows[1][5:] == ["Handed to finance", None, dt.datetime(2026, 10, 30, 10, 0)]
    assert rows[2][4:7] == ["Yes", "Registered", None]


def test_voided_calls_are_left_out_and_each_sheet_counts_the_database(workbook):
    calls = rows_of(workbook["Calls"])[1:]
    assert [r[0] for r in calls] == ["LD-1", "LD-2"]


def test_formula_like_text_is_written_as_text_in_every_sheet(workbook):
    cells = [workbook["Calls"]["H3"], workbook["Lost and Found"]["D2"]]
    assert [c.value for c in cells] == ["'+86 转接", "'@黑色钱包"]
    assert all(c.data_type == "s" for c in cells)
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_the_workbook_in_chinese_has_chinese_sheet_names(month, tmp_path):
    path = tmp_path / "oct-zh.xlsx"
    workbook_write(period=OCT, language="zh-hans", path=path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "来电", "投诉", "投诉统计", "考勤", "考核", "部门基金", "失物招领", "失物招领分类汇总", "考核指标"]
    assert rows_of(wb["投诉"])[0][0] == "编号"
    assert rows_of(wb["考勤"])[0][:3] == ["工号", "姓名", "部门"]


def test_writing_the_workbook_costs_the_same_queries_whatever_the_months_size(month, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            workbook_write(period=OCT, language="en", path=tmp_path / "q.xlsx")
        return len(ctx.captured_queries)

    small = queries()
    for i in range(20):
        CallFactory(received_at=at(1 + i), agent=month)
        c = ComplaintFactory(received_at=at(1 + i), agent=month, satisfaction_attitude=3)
        ComplaintClock.objects.create(complaint=c, kind=ClockKind.ASSIGN, started_at=at(1 + i), due_at=at(2 + i))
        FoundItemFactory(found_at=at(1 + i))
        employee = EmployeeFactory()
        RosterEntryFactory(employee=employee, date=dt.date(2026, 10, 1 + i), shift=shift("B"))
    FoundItem.objects.filter(registered_at__gte=at(12, month=11)).update(registered_at=at(15))
    assert queries() == small


def test_the_job_run_twice_for_a_month_leaves_one_current_file_with_every_sheet(month, settings, tmp_path,
                                                                                django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from csmgmt.models import MonthlyReport
    from csmgmt.report_services import report_request

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            report_request(period=OCT, language="en")
    [current] = MonthlyReport.objects.filter(month=dt.date(2026, 10, 1), status=MonthlyReport.Status.DONE)
    assert MonthlyReport.objects.filter(status=MonthlyReport.Status.SUPERSEDED).count() == 1
    with default_storage.open(current.file.name, "rb") as fh:
        assert load_workbook(fh).sheetnames == SHEETS
    stored = [p for p in (tmp_path / "media").rglob("*.xlsx")]
    assert [p.name for p in stored] == [current.file.name.rsplit("/", 1)[-1]]


# --- how it looks: charts, formats, widths, frozen panes, colours ------------------------------------------


@pytest.fixture
def workbook_path(month, tmp_path):
    path = tmp_path / "oct.xlsx"
    workbook_write(period=OCT, language="en", path=path)
    return path


CHARTS = [  # title, category axis, value axis — in the order they are drawn on the Summary sheet
    ("Calls per day", "Day", "Calls"), ("Calls by category", "Category", "Calls"),
    ("Calls by channel", "Channel", "Calls"), ("Calls by outcome", "Outcome", "Calls"),
    ("Calls by agent", "Agent", "Calls"), ("Complaints by department", "Department", "Complaints"),
    ("Found items by category", "Category", "Items"),
]


def test_the_summary_sheet_has_its_charts_with_their_titles(workbook_path):
    import zipfile

    from lxml import etree

    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
    with zipfile.ZipFile(workbook_path) as zf:
        charts = sorted((n for n in zf.namelist() if n.startswith("xl/charts/")),
                        key=lambda n: int(n.removeprefix("xl/charts/chart").removesuffix(".xml")))
        assert charts == [f"xl/charts/chart{i}.xml" for i in range(1, len(CHARTS) + 1)]
        xml = [etree.fromstring(zf.read(name)) for name in charts]
        drawing = etree.fromstring(zf.read("xl/drawings/drawing1.xml"))
        summary_rels = zf.read("xl/worksheets/_rels/sheet1.xml.rels").decode()  # sheet1 is Summary
    titles = [x.xpath("/c:chartSpace/c:chart/c:title//a:t/text()", namespaces=ns) for x in xml]
    assert titles == [[title] for title, _cat, _val in CHARTS]
    axis_titles = [x.xpath("//c:plotArea/*[self::c:catAx or self::c:valAx]/c:title//a:t/text()", namespaces=ns)
                   for x in xml]
    assert axis_titles == [[cat, val] for _title, cat, val in CHARTS]
    assert [len(x.xpath("//c:plotArea/c:barChart", namespaces=ns)) for x in xml] == [1] * len(CHARTS)
    assert len(drawing.xpath("//xdr:graphicFrame", namespaces=ns)) == len(CHARTS)
    assert "drawing1.xml" in summary_rels


def chart_blocks(ws):
    """{chart title: [(category, value), ...]} from the data blocks under the Summary's metrics."""
    rows = [list(r)[:2] for r in ws.values]
    titles = {t for t, _c, _v in CHARTS}
    blocks = {}
    for i, (first, _second) in enumerate(rows):
        if first in titles:
            points = []
            for category, value in rows[i + 2:]:  # after the title and the header row
                if category is None:
                    break
                points.append((category, value))
            blocks[first] = points
    return blocks


def test_the_chart_data_equals_the_database(workbook):
    blocks = chart_blocks(workbook["Summary"])
    assert list(blocks) == [t for t, _c, _v in CHARTS]
    per_day = dict(blocks["Calls per day"])
    assert len(per_day) == 31 and per_day[1] == 1 and per_day[2] == 1 and sum(per_day.values()) == 2
    # LD-1 and LD-2 (LD-3 is voided, LD-4 is November)
    assert blocks["Calls by category"] == [("Enquiry (咨询)", 2)]
    assert blocks["Calls by channel"] == [("Phone (电话)", 2)]
    assert blocks["Calls by outcome"] == [("Resolved on the call (当场解决)", 1),
                                          ("Transferred to a department (转部门)", 1)]
    assert blocks["Calls by agent"] == [("张伟 CS-001", 2)]
    assert blocks["Complaints by department"] == [("物流配送部", 2), ("质量管理部", 1)]
    assert sorted(blocks["Found items by category"]) == sorted([("Bag", 1), ("Other", 1), ("Phone", 1)])


def test_formats_widths_bold_headers_and_frozen_panes(workbook):
    calls = workbook["Calls"]
    assert calls["B2"].number_format == "yyyy-mm-dd hh:mm"  # Received at
    summary = workbook["Summary"]
    rates = {r[0].value: r[1] for r in summary.iter_rows(min_row=2, max_row=10)}
    assert rates["First-contact resolution rate"].number_format == "0.0%"
    assert rates["Clocks met rate"].number_format == "0.0%"
    assert rates["Calls"].number_format == "General"
    assert [calls.column_dimensions[c].width for c in "ABCDEFGHIJKL"] == [18, 17, 14, 14, 16, 16, 12, 40, 22, 14,
                                                                          10, 17]
    assert summary.column_dimensions["A"].width == 36
    for ws in workbook.worksheets:
        header = next(ws.iter_rows(max_row=1))
        assert all(c.font.b and c.font.color.rgb.endswith("FFFFFF") and c.fill.fgColor.rgb.endswith("1F4E78")
                   for c in header if c.value), ws.title
        if ws.title != "Summary":
            from openpyxl.utils import get_column_letter

            assert all(ws.column_dimensions[get_column_letter(i)].width for i in range(1, len(header) + 1)), ws.title
    assert workbook["Attendance"].freeze_panes == "D2"
    assert {ws.title: ws.freeze_panes for ws in workbook.worksheets if ws.title != "Attendance"} == {
        t: "A2" for t in SHEETS if t != "Attendance"}
    assert workbook["Scores"]["H2"].number_format == "#,##0.00"  # Fines (CNY)


# Code -> (fill, text colour, bold): the legend in docs/reports.md.
LEGEND = {"P": ("C6EFCE", "006100", False), "L": ("FFEB9C", "9C5700", False), "E": ("FFEB9C", "9C5700", False),
          "LE": ("F8CBAD", "833C0B", False), "M": ("E4DFEC", "5B2C6F", False), "A": ("FFC7CE", "9C0006", True),
          "V": ("DDEBF7", "1F4E78", False), "R": ("EDEDED", "595959", False)}


def test_every_attendance_code_has_its_colour(db, tmp_path):
    from staff.models import DayStatus

    nov = Period(2026, 11)
    employee = EmployeeFactory(employee_no="CS-900", name="赵敏")
    for day, code in enumerate(LEGEND, start=1):
        RosterEntryFactory(employee=employee, date=dt.date(2026, 11, day), shift=shift("REST" if code == "R" else "A"))
        if code != "R":
            DayStatus.objects.create(employee=employee, date=dt.date(2026, 11, day), shift=shift("A"), code=code,
                                     computed_code=code, leave_fraction=1 if code == "V" else 0)
    RosterEntryFactory(employee=employee, date=dt.date(2026, 11, 9), shift=shift("A"))  # not judged yet
    path = tmp_path / "nov.xlsx"
    workbook_write(period=nov, language="en", path=path)
    ws = load_workbook(path)["Attendance"]
    row = list(ws.iter_rows(min_row=2, max_row=2))[0]
    assert [c.value for c in row[3:13]] == [*LEGEND, None, None]
    for cell, (fill, colour, bold) in zip(row[3:11], LEGEND.values()):
        assert (cell.fill.fill_type, cell.fill.fgColor.rgb[-6:], cell.font.color.rgb[-6:], bool(cell.font.b)) == (
            "solid", fill, colour, bold), cell.value
    assert row[11].fill.fill_type is None  # a rostered day not judged yet is plain
    assert row[12].fill.fill_type is None  # not rostered


def test_text_starting_with_a_minus_is_written_as_text(month, tmp_path):
    CallFactory(number="LD-5", received_at=at(4), agent=month, summary="-2+3 客户报价", caller_name="-1")
    path = tmp_path / "minus.xlsx"
    workbook_write(period=OCT, language="en", path=path)
    ws = load_workbook(path)["Calls"]
    [row] = [r for r in ws.iter_rows(min_row=2) if r[0].value == "LD-5"]
    assert (row[7].value, row[7].data_type) == ("'-2+3 客户报价", "s")
    assert (row[6].value, row[6].data_type) == ("'-1", "s")  # text with a leading ', not the number −1


# --- what is left out: voided penalty records; complaints and found items have nothing voided --------------


def test_a_voided_penalty_record_is_left_out_of_the_scores_sheet(month, make_employee, tmp_path):
    from staff.models import PenaltyRecord
    from staff.scoring.services.appeals import appeal_decide, appeal_file

    manager = make_employee("manager")
    absent = PenaltyRecord.objects.get(employee=month, date=dt.date(2026, 10, 4), status="active")
    assert absent.points == Decimal("-5")
    appeal = appeal_file(record=absent, by=month, reason="当天在外培训")
    appeal_decide(appeal=appeal, by=manager, uphold=True, reason="培训记录属实")
    assert PenaltyRecord.objects.get(pk=absent.pk).status == "voided"
    path = tmp_path / "voided.xlsx"
    workbook_write(period=OCT, language="en", path=path)
    by_no = {r[0]: r for r in rows_of(load_workbook(path)["Scores"])[1:]}
    # late −0.5 and missed punch −0.5 still count; the voided absence (−5) does not: 10 − 1 = 9
    assert by_no["CS-001"][3:9] == [10, 1, 0, 9, 0, 0]


def test_complaints_and_found_items_have_no_voided_state_so_every_one_is_listed(workbook):
    from complaints.models import Stage

    # A complaint is never voided: a withdrawn one (the customer withdrew it) was received and stays,
    # with its stage; a found item is never voided either (a disposed one keeps its row). If either
    # model ever gains a voided state, its sheet must leave those out: this test says so.
    assert "voided" not in Stage.values and "voided" not in FoundItem.Status.values
    complaints = rows_of(workbook["Complaints"])[1:]
    assert [(r[0], r[2]) for r in complaints] == [("TS-1", "Closed"), ("TS-2", "Withdrawn"),
                                                 ("TS-3", "Department plans")]
    summary = {r[0]: r[1] for r in rows_of(workbook["Summary"])[1:12]}
    assert summary["Complaints received"] == 3  # the withdrawn one counts as received


def test_a_disposed_found_item_keeps_its_row_and_a_withdrawn_lost_report_adds_none(month, tmp_path):
    from lostfound.models import LostReport

    FoundItem.objects.filter(number="SW-3").update(status="disposed")
    LostReport.objects.create(number="GS-1", owner_name="李娜", owner_phone="13900000000", category="bag",
                              description="黑色钱包", lost_at=at(2), received_by=month, status="withdrawn")
    path = tmp_path / "lf.xlsx"
    workbook_write(period=OCT, language="en", path=path)
    rows = rows_of(load_workbook(path)["Lost and Found"])[1:]
    assert [(r[0], r[5]) for r in rows] == [("SW-1", "Claimed"), ("SW-2", "Handed to finance"), ("SW-3", "Disposed")]
