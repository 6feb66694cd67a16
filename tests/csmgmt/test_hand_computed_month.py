"""A hand-computed month (REGULATIONS §8): a small customer-service department runs November 2026 through the
product's own services — a roster, a time-clock export, a late, a sick leave asked ahead, a same-day sick call
phoned in before the shift and recorded after it started, an absence, three complaints (one closed inside its 3
days, one that misses them but meets the 7 days, a major one still awaiting the manager when the month ends), lost
and found, a fund adjustment — and the monthly workbook a manager asks for is read back with
openpyxl and checked cell by cell against figures worked out by hand from the rules (the comments show the
arithmetic; nothing is read back from the code's constants).

The wall clock is set for each step (``on(moment)``), as the department would live it; nothing of our own
code is replaced."""

import datetime as dt
import io
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from complaints.services import complaint_create, complaint_record_revisit, complaint_transition
from csmgmt.core.sheets import Period
from csmgmt.report_services import report_generate, report_request
from lostfound.models import FoundItem
from lostfound.selectors import handover_items
from lostfound.services import (claim_release, found_item_dispose, found_item_register, found_item_store,
                                handover_confirm, handover_prepare)
from staff.attendance.services.leave import leave_approve, leave_phone_in, leave_request
from staff.attendance.services.punches import punches_import
from staff.attendance.services.roster import roster_import
from staff.models import Employee, ScoreMonth
from staff.scoring.presets import presets_install
from staff.scoring.services.months import fund_adjust
from tests.factories import DepartmentFactory, EmployeeFactory, cs_department

TZ = ZoneInfo("Asia/Shanghai")
NOV = Period(2026, 11)
def _pdf() -> bytes:
    """A one-page PDF (a certificate must open and have a page)."""
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


def t(month, day, hh=0, mm=0):
    return dt.datetime(2026, month, day, hh, mm, tzinfo=TZ)


@contextmanager
def on(moment):
    """The wall clock reads ``moment`` (Django's clock: every service, auto_now field and workflow move)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def csv(text: str) -> io.BytesIO:
    data = io.BytesIO(text.encode("utf-8"))
    data.name = "export.csv"
    return data


def rows_of(ws):
    return [list(r) for r in ws.values]


@pytest.fixture
def department(db):
    presets_install()  # the "points" preset is the active rule set, as shipped
    cs = cs_department()
    qa = DepartmentFactory(code="QA", name="质量管理部")
    log = DepartmentFactory(code="LOG", name="物流配送部")
    manager = EmployeeFactory(roles=["manager"], employee_no="CS-030", name="王磊")
    supervisor = EmployeeFactory(roles=["supervisor"], employee_no="CS-020", name="李娜", supervisor=manager)
    zhang = EmployeeFactory(roles=["agent"], employee_no="CS-001", name="张伟", supervisor=supervisor)
    wang = EmployeeFactory(roles=["agent"], employee_no="CS-002", name="王芳", supervisor=supervisor)
    zhao = EmployeeFactory(roles=["agent"], employee_no="CS-003", name="赵强", supervisor=supervisor)
    custodian = EmployeeFactory(roles=["custodian"], employee_no="CS-010", name="陈静", supervisor=supervisor)
    handler_qa = EmployeeFactory(roles=["handler"], employee_no="QA-001", name="周敏", department=qa)
    handler_log = EmployeeFactory(roles=["handler"], employee_no="LOG-001", name="吴刚", department=log)
    return {"cs": cs, "qa": qa, "log": log, "manager": manager, "supervisor": supervisor, "zhang": zhang,
            "wang": wang, "zhao": zhao, "custodian": custodian, "handler_qa": handler_qa, "handler_log": handler_log}


def _complaint(by, received, demand, against, content):
    with on(received):
        return complaint_create(by=by, data={"received_at": received, "channel": "phone", "complainant_name": "刘先生",
                                             "complainant_phone": "13800138000", "content": content,
                                             "demand": demand, "against_department": against})


def _move(c, action, by, when, comment="", **data):
    with on(when):
        return complaint_transition(complaint=c, action=action, by=by, comment=comment, data=data)


def _revisit(c, by, when, attitude, result):
    with on(when):
        return complaint_record_revisit(complaint=c, by=by, data={"satisfaction_attitude": attitude,
                                                                  "satisfaction_result": result})


def _plan(c, by, when, promised, compensation=None):
    return _move(c, "submit_plan", by, when, findings="核实属实", action_immediate="当天补发", promised_by=promised,
                 compensation=compensation)


@pytest.fixture
def november(department):
    d = department
    sup, zhang, wang, zhao, mgr, cust = (d["supervisor"], d["zhang"], d["wang"], d["zhao"], d["manager"],
                                         d["custodian"])

    # --- the roster, made before the month (shift A 08:00–17:00; 张伟 rests on the 7th, works the 9th) ------
    with on(t(10, 30, 16)):
        roster_import(by=sup, file=csv(
            "employee_no,date,shift_code\n"
            + "".join(f"CS-001,2026-11-0{day},A\n" for day in (2, 3, 4, 5, 6)) + "CS-001,2026-11-07,REST\n"
            + "CS-001,2026-11-09,A\n"
            + "".join(f"CS-002,2026-11-0{day},A\n" for day in (2, 3, 4, 5, 6))
            + "CS-003,2026-11-02,A\nCS-003,2026-11-03,A\n"))

    # --- lost and found before the month: two coats and an umbrella kept by the custodian ----------------------
    def register(when, category, description, found_at):
        with on(when):
            return found_item_register(by=zhang, source="visitor", category=category, description=description,
                                       found_place="一楼大厅", found_at=found_at, finder_name="游客")

    def store(item, when):
        with on(when):
            return found_item_store(item=item, by=cust, storage_place="保管柜 A", handover_person="张伟")

    coat = register(t(9, 20, 10), "clothing", "灰色外套", t(9, 20, 9))
    scarf = register(t(9, 25, 10), "clothing", "红色围巾", t(9, 25, 9))
    umbrella = register(t(10, 15, 10), "other", "黑色雨伞", t(10, 15, 9))
    for item, when in ((coat, t(9, 20, 18)), (scarf, t(9, 25, 18)), (umbrella, t(10, 15, 18))):
        store(item, when)
    with on(t(10, 20, 9)):  # last month's fund carried over
        fund_adjust(department=d["cs"], year=2026, month=10, amount=Decimal("500"), note="上月结余转入", by=mgr)

    # --- November ----------------------------------------------------------------------------------------------
    # the 1st: this month's finance handover is prepared with what is past its 30 days: the coat (found 9-20)
    # and the scarf (9-25); the umbrella (10-15) is not due yet
    with on(t(11, 1, 2)):
        batch = handover_prepare(period="202611")
    with on(t(11, 2, 10)):  # the scarf's owner comes before the handover
        claim_release(item_id=scarf.pk, by=cust, claimant_name="孙丽", id_type="id_card",
                      id_number="110101199001011234", phone="13900000001", description_given="红色围巾",
                      verified_by=cust, signed_on_paper=True)
    with on(t(11, 3, 10)):
        handover_confirm(batch=batch, by=cust, finance_receiver="财务部 何会计")

    # complaint 1, ordinary: received 11-02 09:00, closed 11-04 10:00, inside its 3 days (due 11-05 09:00)
    c1 = _complaint(zhang, t(11, 2, 9), "apology", d["qa"], "包装破损")
    _move(c1, "uphold", zhang, t(11, 2, 9, 30), severity="ordinary", cause="包装破损", verified=True)
    _move(c1, "assign", sup, t(11, 2, 10), responsible_department=d["qa"])
    _plan(c1, d["handler_qa"], t(11, 3, 9), promised=t(11, 4, 12))
    _move(c1, "approve", sup, t(11, 3, 10))
    _move(c1, "respond", zhang, t(11, 3, 11), response_method="phone", response_text="已道歉并补发",
          customer_agreed=True)
    _revisit(c1, zhang, t(11, 4, 9), 5, 4)
    _move(c1, "close", sup, t(11, 4, 10), fault_level="general", responsible_employee=zhang, closing_note="结案")

    # 张伟's sick leave for the 4th, asked on the 3rd with its certificate, approved by 李娜
    with on(t(11, 3, 12)):
        leave = leave_request(by=zhang, kind="sick", start_date=dt.date(2026, 11, 4), end_date=dt.date(2026, 11, 4),
                              reason="发烧", certificate=SimpleUploadedFile("cert.pdf", _pdf(),
                                                                           content_type="application/pdf"))
    with on(t(11, 3, 14)):
        leave_approve(leave=leave, by=sup)

    # a same-day sick call (REGULATIONS §4): 张伟 phones 李娜 at 07:20 on the 9th, before his 08:00 shift; she
    # records it at 08:40, after the shift started, with the time of the call — it is the first level, and one day
    # needs no manager: approved at once, and the day is sick leave, not 旷工
    with on(t(11, 9, 8, 40)):
        phoned = leave_phone_in(by=sup, employee=zhang, kind="sick", start_date=dt.date(2026, 11, 9),
                                end_date=dt.date(2026, 11, 9), reason="发烧，早上 7:20 来电", called_at=t(11, 9, 7, 20),
                                now=t(11, 9, 8, 40))
    assert (phoned.state, phoned.called_at) == ("approved", t(11, 9, 7, 20))

    # lost and found of the month
    phone = register(t(11, 5, 10), "phone", "黑色手机", t(11, 5, 9, 30))
    store(phone, t(11, 5, 18))
    with on(t(11, 8, 14)):
        claim_release(item_id=phone.pk, by=cust, claimant_name="钱伟", id_type="id_card", id_number="110101198502023456",
                      phone="13900000002", description_given="黑色手机", verified_by=cust, signed_on_paper=True)
    bag = register(t(11, 10, 10), "bag", "蓝色背包", t(11, 10, 9))
    store(bag, t(11, 10, 18))
    keys = register(t(11, 12, 10), "keys", "钥匙串", t(11, 12, 9))
    with on(t(11, 20, 10)):
        found_item_dispose(item=keys, by=cust, reason="无人认领，已损坏")

    # complaint 2, ordinary: received 11-09 09:00; first reply at 12:00 (due 11:00), assigned at 12:30 (due
    # 12:00), closed 11-13 11:00, after its 3 days (due 11-12 09:00)
    c2 = _complaint(wang, t(11, 9, 9), "exchange", d["qa"], "收到的商品有划痕")
    _move(c2, "uphold", wang, t(11, 9, 12), severity="ordinary", cause="质检疏漏", verified=True)
    _move(c2, "assign", sup, t(11, 9, 12, 30), responsible_department=d["qa"])
    _plan(c2, d["handler_qa"], t(11, 10, 10), promised=t(11, 12, 12))
    _move(c2, "approve", sup, t(11, 10, 11))
    _move(c2, "respond", wang, t(11, 10, 14), response_method="phone", response_text="安排换货", customer_agreed=True)
    _revisit(c2, wang, t(11, 13, 10), 4, 4)
    _move(c2, "close", sup, t(11, 13, 11), fault_level="none", closing_note="换货完成")

    # complaint 3, major (compensation): received 11-27 10:00, awaiting the manager when the month ends
    c3 = _complaint(zhang, t(11, 27, 10), "compensation", d["log"], "配送延误三天")
    _move(c3, "uphold", zhang, t(11, 27, 10, 30), severity="major", cause="配送延误", verified=True)
    _move(c3, "assign", sup, t(11, 27, 11), responsible_department=d["log"])
    _plan(c3, d["handler_log"], t(11, 28, 9), promised=t(12, 2, 12), compensation=Decimal("200"))
    _move(c3, "approve_first", sup, t(11, 28, 15))

    with on(t(11, 25, 16)):
        fund_adjust(department=d["cs"], year=2026, month=11, amount=Decimal("-120"), note="团队活动茶点", by=mgr)

    # --- December 1st: the time clock's export of November is imported; nothing was ever scored -------------
    with on(t(12, 1, 1, 5)):
        punches_import(by=sup, file=csv(
            "employee_no,timestamp\n"
            "CS-001,2026-11-02 07:55\nCS-001,2026-11-02 17:02\n"  # on time
            "CS-001,2026-11-03 08:10\nCS-001,2026-11-03 17:00\n"  # 10 minutes late
            "CS-001,2026-11-05 07:58\n"  # clocked in only: missed punch
            "CS-001,2026-11-06 08:00\nCS-001,2026-11-06 17:00\n"  # on time (08:00 is not late)
            "CS-002,2026-11-02 07:50\nCS-002,2026-11-02 17:10\n"  # on time; nothing on the 3rd: absent
            "CS-002,2026-11-04 08:45\nCS-002,2026-11-04 17:05\n"  # 45 minutes late: late > 30 min
            "CS-002,2026-11-05 07:59\nCS-002,2026-11-05 16:40\n"  # left 20 minutes early
            "CS-002,2026-11-06 07:57\nCS-002,2026-11-06 17:00\n"  # on time
            "CS-003,2026-11-02 07:58\nCS-003,2026-11-02 17:00\nCS-003,2026-11-03 07:59\nCS-003,2026-11-03 17:01\n"))
    # 赵强 left on November 3rd, after his two days (he stays in November's sheets, pro-rated)
    Employee.objects.filter(pk=zhao.pk).update(active=False, left_on=dt.date(2026, 11, 3))
    return {**d, "c1": c1, "c2": c2, "c3": c3, "batch": batch, "coat": coat, "scarf": scarf, "bag": bag,
            "phone": phone, "keys": keys}


def _generate(by, when):
    """A manager asks for November's workbook (English) at ``when``; the worker makes it."""
    with on(when), translation.override("en"):
        report, _created = report_request(period=NOV, language="en", by=by)
        report = report_generate(report_id=report.pk)
    assert report.status == "done", report.error
    with default_storage.open(report.file.name, "rb") as fh:
        return load_workbook(io.BytesIO(fh.read()))


def _later_moves(d):
    """December: the major complaint is approved, answered, revisited and closed; the bag is claimed."""
    c3 = d["c3"]
    _move(c3, "approve_final", d["manager"], t(12, 1, 10))
    _move(c3, "respond", d["zhang"], t(12, 1, 11), response_method="phone", response_text="赔偿 200 元",
          customer_agreed=True)
    _revisit(c3, d["zhang"], t(12, 2, 10), 5, 5)
    _move(c3, "close", d["supervisor"], t(12, 3, 10), fault_level="none", closing_note="已赔偿")
    with on(t(12, 2, 10)):
        claim_release(item_id=d["bag"].pk, by=d["custodian"], claimant_name="郑强", id_type="id_card",
                      id_number="110101199203034567", phone="13900000003", description_given="蓝色背包",
                      verified_by=d["custodian"], signed_on_paper=True)


# REGULATIONS §3: six clocks — first reply, assigned, the department's report, the ordinary complaint's 3 days,
# every complaint's 7 days, the revisit — and beside them the plan's promise and the agreed next reply time;
# one column each on the Complaints sheet, in that order
CLOCK_COLUMNS = ["First reply to the customer", "Assigned to a department", "Department reports result or progress",
                 "Ordinary complaint closed", "Every complaint closed (major included)", "Revisit after response",
                 "Deadline promised to the customer", "Agreed next reply time"]

SHEETS = ["Summary", "Calls", "Complaints", "Complaint statistics", "Attendance", "Scores", "Department fund",
          "Lost and Found", "Lost and Found by category", "Targets"]


def test_a_hand_computed_month_gives_every_cell_of_its_workbook(november):
    assert not ScoreMonth.objects.filter(year=2026, month=11, materialised_at__isnull=False).exists()
    wb = _generate(november["manager"], t(12, 1, 1, 10))
    assert wb.sheetnames == SHEETS
    _check_every_sheet(wb)


def test_regenerating_the_month_later_gives_the_same_figures(november):
    """What happened after the month ended (the major complaint's approval, answer, revisit and close; the bag
    claimed) is not November's: the workbook made on December 3rd equals the one made on the 1st."""
    first = _generate(november["manager"], t(12, 1, 1, 10))
    _later_moves(november)
    later = _generate(november["manager"], t(12, 3, 12))
    for name in SHEETS:
        assert rows_of(later[name]) == rows_of(first[name]), name
    _check_every_sheet(later)
    assert _later_edits(later) == [["None"]]  # moves after the month are not edits of its records


def _later_edits(wb):
    rows = rows_of(wb["Summary"])
    start = next(i for i, r in enumerate(rows) if r[0] == "Later edits to this month's records")
    assert rows[start][:3] == ["Later edits to this month's records", "Changed at", "By"]
    block = []
    for row in rows[start + 1:]:
        values = list(row[:3])
        while values and values[-1] is None:
            values.pop()
        if not values:
            break
        block.append(values)
    return block


def test_a_record_of_the_month_corrected_later_changes_the_figures_and_the_summary_says_which(november):
    """张伟 forgot to clock out on 11-05 (a missed punch); on 12-02 he asks for the correction and 李娜 approves it:
    regenerated, November's sheet shows the day on time, and the Summary lists the corrected day."""
    from staff.attendance.services.corrections import correction_decide, correction_request

    first = _generate(november["manager"], t(12, 1, 1, 10))
    with on(t(12, 2, 9)):
        correction = correction_request(by=november["zhang"], date=dt.date(2026, 11, 5), kind="punch",
                                        punch_at=t(11, 5, 17, 0), direction="out", reason="忘记打卡")
    with on(t(12, 2, 9, 30)):
        correction_decide(correction=correction, by=november["supervisor"], approve=True)
    later = _generate(november["manager"], t(12, 3, 12))
    zhang_before = next(r for r in rows_of(first["Attendance"]) if r[0] == "CS-001")
    zhang_after = next(r for r in rows_of(later["Attendance"]) if r[0] == "CS-001")
    assert (zhang_before[3 + 4], zhang_after[3 + 4]) == ("M", "P")  # the 5th
    assert _later_edits(first) == [["None"]]
    assert _later_edits(later) == [["Attendance of 张伟 on 2026-11-05", dt.datetime(2026, 12, 2, 9, 30), "李娜"]]


def _check_every_sheet(wb):
    # ---- Summary -------------------------------------------------------------------------------------------
    summary = {r[0]: r[1] for r in rows_of(wb["Summary"])[1:] if r and r[0]}
    assert summary["Calls"] == 0
    assert summary["Complaints received"] == 3
    assert summary["Complaints closed"] == 2  # complaints 1 and 2; complaint 3 still awaits the manager
    assert summary["Clocks met rate"] == pytest.approx(_met_rate())
    # revisit answers by the month's end: (5 + 4) and (4 + 4) → 17 / 4
    assert summary["Average satisfaction"] == pytest.approx(4.25)
    # lost and found: registered 3 (phone, bag, keys); claimed 2 (scarf 11-02, phone 11-08); handed to finance 1
    # (the coat, 11-03); disposed 1 (keys); still held on 11-30 24:00: the bag and the umbrella
    assert summary["Found items registered"] == 3
    assert summary["Found items claimed"] == 2
    assert summary["Handed to finance"] == 1
    assert summary["Found items disposed"] == 1
    assert summary["Found items still held at the end of the month"] == 2

    # ---- Complaints: one row per complaint, a column per clock kind, as the month ended -----------------------
    rows = rows_of(wb["Complaints"])
    assert rows[0] == ["Number", "Received at", "Stage", "Severity", "Upheld", "Department", "Demand", "Repeat",
                       *CLOCK_COLUMNS, "Attitude satisfaction", "Result satisfaction", "Closed at"]
    clock = {name: 8 + i for i, name in enumerate(CLOCK_COLUMNS)}
    c1, c2, c3 = rows[1:]
    assert c1[:8] == ["TS-202611-0001", dt.datetime(2026, 11, 2, 9, 0), "Closed", "Ordinary (一般)", "Yes", "质量管理部",
                      "Apology (道歉)", None]
    assert c1[-3:] == ["Very satisfied (非常满意)", "Satisfied (满意)", dt.datetime(2026, 11, 4, 10, 0)]
    assert [c1[clock[n]] for n in ("First reply to the customer", "Assigned to a department",
                                   "Department reports result or progress", "Revisit after response")] == \
        ["Met", "Met", "Met", "Met"]
    assert c2[:8] == ["TS-202611-0002", dt.datetime(2026, 11, 9, 9, 0), "Closed", "Ordinary (一般)", "Yes", "质量管理部",
                      "Exchange (换货)", None]
    assert c2[-3:] == ["Satisfied (满意)", "Satisfied (满意)", dt.datetime(2026, 11, 13, 11, 0)]
    assert [c2[clock[n]] for n in ("First reply to the customer", "Assigned to a department",
                                   "Department reports result or progress", "Revisit after response")] == \
        ["Missed", "Missed", "Met", "Met"]
    # complaint 3 when November ended: awaiting the manager's approval, not answered, not revisited
    assert c3[:8] == ["TS-202611-0003", dt.datetime(2026, 11, 27, 10, 0), "Awaiting manager's approval", "Major (重大)",
                      "Yes", "物流配送部", "Compensation (赔偿)", None]
    assert c3[-3:] == [None, None, None]
    assert [c3[clock[n]] for n in ("First reply to the customer", "Assigned to a department",
                                   "Department reports result or progress", "Revisit after response")] == \
        ["Met", "Met", "Met", None]  # no revisit clock yet: it starts with the response (December)
    _check_close_clocks(c1, c2, c3, clock)

    # ---- Complaint statistics (《客户投诉统计表》) --------------------------------------------------------------
    stats = rows_of(wb["Complaint statistics"])
    assert stats[0] == ["Figure", "Complaints", "Met", "Missed", "Running"]
    block = _blocks(stats[1:])
    assert block[None] == [["Complaints received", 3], ["Closed by the end of the month", 2],
                           ["Withdrawn by the end of the month", 0], ["Repeat complaints", 0],
                           ["Average satisfaction with attitude", 4.5],  # (5 + 4) / 2
                           ["Average satisfaction with result", 4]]  # (4 + 4) / 2
    assert block["By customer's demand"] == [["Apology (道歉)", 1], ["Compensation (赔偿)", 1], ["Exchange (换货)", 1]]
    assert block["By responsible department"] == [["质量管理部", 2], ["物流配送部", 1]]
    assert block["By severity"] == [["Ordinary (一般)", 2], ["Major (重大)", 1]]
    assert block["Upheld or not"] == [["Yes", 3]]
    assert block["By cause"] == [["包装破损", 1], ["质检疏漏", 1], ["配送延误", 1]]
    clocks = {r[0]: r[2:5] for r in block["Deadlines per clock"]}
    assert clocks["First reply to the customer"] == [2, 1, 0]  # met: 1 and 3; missed: 2
    assert clocks["Assigned to a department"] == [2, 1, 0]
    assert clocks["Department reports result or progress"] == [3, 0, 0]
    assert clocks["Revisit after response"] == [2, 0, 0]  # complaint 3's starts in December
    _check_close_clock_statistics(clocks)

    # ---- Attendance -----------------------------------------------------------------------------------------
    att = rows_of(wb["Attendance"])
    assert att[0][:3] == ["Employee No", "Name", "Department"] and att[0][3:33] == [str(d) for d in range(1, 31)]
    totals = att[0][33:]
    assert totals == ["Working days", "On time", "Late", "Late > 30 min", "Early leave", "Early leave > 30 min",
                      "Missed punch", "Absent", "Leave days", "Sick leave", "Personal leave", "Official leave",
                      "Compensatory time off", "Annual leave", "Days worked", "Days worked ÷ 21.75 (partial month)"]
    by_no = {r[0]: r for r in att[1:]}
    assert sorted(by_no) == ["CS-001", "CS-002", "CS-003"]  # the three rostered (赵强 left, still listed)
    zhang, wang, zhao = by_no["CS-001"], by_no["CS-002"], by_no["CS-003"]
    assert zhang[:3] == ["CS-001", "张伟", "客服部"]
    # days 1–9: not rostered, on time, late (08:10), sick leave, missed punch, on time, rest, not rostered, and the
    # sick call of the 9th: on leave, not absent (V), though nobody punched and it was recorded after 08:00
    assert zhang[3:12] == [None, "P", "L", "V", "M", "P", "R", None, "V"] and set(zhang[12:33]) == {None}
    assert wang[3:10] == [None, "P", "A", "L", "E", "P", None] and set(wang[10:33]) == {None}
    assert zhao[3:6] == [None, "P", "P"] and set(zhao[6:33]) == {None}
    totals_of = {no: dict(zip(totals, by_no[no][33:])) for no in by_no}
    # 张伟: 6 working days (the rest day counts nowhere); on time 2; late 1; missed punch 1; absent 0; 2 days of
    # sick leave (the 4th, asked ahead, and the 9th, phoned in); days worked 4 (on time, late, missed punch); a
    # whole month: no ratio
    assert [totals_of["CS-001"][k] for k in totals] == [6, 2, 1, 0, 0, 0, 1, 0, 2, 2, 0, 0, 0, 0, 4, None]
    # 王芳: 5 working days; on time 2; late 45 min counts as "> 30 min"; early 20 min; absent 1 (the 3rd);
    # days worked 4 (2 on time, the late day, the early day)
    assert [totals_of["CS-002"][k] for k in totals] == [5, 2, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, None]
    # 赵强 left on the 3rd: a partial month, 2 days worked ÷ 21.75 = 0.0919… → 0.09
    assert [totals_of["CS-003"][k] for k in totals] == [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0.09]

    # ---- Scores (points preset, base 10): one row per rostered employee, and every scored one ---------------
    scores = rows_of(wb["Scores"])
    assert scores[0] == ["Employee No", "Name", "Department", "Base", "Deductions", "Rewards", "Score", "Fines (CNY)",
                         "Rewards (CNY)", "Flags"]
    assert scores[1:] == [
        # late ≤ 30 −0.5, missed punch −0.5, complaint 1 closed with his general fault −1: 10 − 2 = 8
        ["CS-001", "张伟", "客服部", 10, 2, 0, 8, 0, 0, None],
        # absent −5, late > 30 −2, early ≤ 30 −0.5: 10 − 7.5 = 2.5 → at or below 5: verbal warning
        ["CS-002", "王芳", "客服部", 10, 7.5, 0, 2.5, 0, 0, "Verbal warning"],
        ["CS-003", "赵强", "客服部", 10, 0, 0, 10, 0, 0, None],  # has left, was rostered: still scored
        ["CS-010", "陈静", "客服部", 10, 0, 0, 10, 0, 0, None],
        ["CS-020", "李娜", "客服部", 10, 0, 0, 10, 0, 0, None],
        ["CS-030", "王磊", "客服部", 10, 0, 0, 10, 0, 0, None],
    ]

    # ---- Department fund ------------------------------------------------------------------------------------
    fund = rows_of(wb["Department fund"])
    assert fund[0] == ["Department", "Line", "Violations", "Bracket", "Amount (CNY)", "Flags", "Note"]
    assert fund[1:] == [
        # 张伟 3 (late, missed punch, complaint) + 王芳 3 (absent, late > 30, early) = 6; the points preset has no
        # brackets
        ["客服部", "Violations in the month", 6, None, None, None, None],
        ["客服部", "Adjustment", None, None, -120, None, "团队活动茶点"],
        ["客服部", "Balance at the end of the month", None, None, 380, None, None],  # 500 (October) − 120
    ]

    # ---- Lost and found: the month's registrations as they stood at its end, and the figures by category -------
    lf = rows_of(wb["Lost and Found"])
    assert lf[1:] == [
        ["SW-202611-0001", dt.datetime(2026, 11, 5, 9, 30), "Phone", "黑色手机", "Yes", "Claimed",
         dt.datetime(2026, 11, 8, 14, 0), None],
        ["SW-202611-0002", dt.datetime(2026, 11, 10, 9, 0), "Bag", "蓝色背包", "No", "Stored", None, None],
        ["SW-202611-0003", dt.datetime(2026, 11, 12, 9, 0), "Keys", "钥匙串", "No", "Disposed", None, None],
    ]
    by_category = {r[0]: r[1:] for r in rows_of(wb["Lost and Found by category"])[1:]}
    # registered, claimed, handed to finance, disposed, still held at the end of the month
    assert by_category == {
        "Cash": [0, 0, 0, 0, 0], "Phone": [1, 1, 0, 0, 0], "Camera": [0, 0, 0, 0, 0], "Bag": [1, 0, 0, 0, 1],
        "ID / cards": [0, 0, 0, 0, 0], "Keys": [1, 0, 0, 1, 0],
        "Clothing": [0, 1, 1, 0, 0],  # the scarf claimed, the coat handed to finance (both registered in Sept)
        "Other": [0, 0, 0, 0, 1],  # the umbrella (October) is still held
        "Total": [3, 2, 1, 1, 2],
    }


def _check_close_clocks(c1, c2, c3, clock):
    """Complaint 1 closed 11-04 10:00, inside its 3 days (due 11-05 09:00); complaint 2 closed 11-13 11:00, after
    its 3 days (due 11-12 09:00) but inside its 7 (due 11-16 09:00); complaint 3 (major: the 7-day clock only,
    due 12-04 10:00) still running when November ended."""
    three, seven = "Ordinary complaint closed", "Every complaint closed (major included)"
    promise, next_reply = "Deadline promised to the customer", "Agreed next reply time"
    assert (c1[clock[three]], c2[clock[three]]) == ("Met", "Missed")
    # a major complaint does not run the 3-day clock: started at receipt, it stopped as not needed when the analysis
    # found the complaint major
    assert c3[clock[three]] == "Not needed"
    assert (c1[clock[seven]], c2[clock[seven]], c3[clock[seven]]) == ("Met", "Met", "Running")
    # the plan's promise, met by the response: 11-03 11:00 ≤ 11-04 12:00; 11-10 14:00 ≤ 11-12 12:00; complaint 3
    # promised 12-02 12:00, answered in December: running at the month's end
    assert (c1[clock[promise]], c2[clock[promise]], c3[clock[promise]]) == ("Met", "Met", "Running")
    assert (c1[clock[next_reply]], c2[clock[next_reply]], c3[clock[next_reply]]) == (None, None, None)  # none agreed


def _check_close_clock_statistics(clocks):
    assert clocks["Ordinary complaint closed"] == [1, 1, 0]  # complaints 1 and 2 (3 is major: none)
    assert clocks["Every complaint closed (major included)"] == [2, 0, 1]  # 3 still running at the month's end
    assert clocks["Deadline promised to the customer"] == [2, 0, 1]
    assert clocks["Agreed next reply time"] == [0, 0, 0]  # no next reply was agreed


def _met_rate() -> float:
    """Of the clocks decided by the month's end, the share met. Complaint 1 met all seven (first reply 09:30 ≤
    11:00, assigned 10:00 ≤ 12:00, plan 11-03 09:00 ≤ 11-04 10:00, revisit 11-04 ≤ 11-10, closed 11-04 10:00 ≤
    11-05 09:00 (3 days) and ≤ 11-09 09:00 (7 days), answered 11-03 11:00 ≤ its promise 11-04 12:00); complaint 2
    met 4 (plan, revisit, closed ≤ 11-16 09:00 (7 days), answered 11-10 14:00 ≤ its promise 11-12 12:00) and
    missed 3 (first reply, assigned, closed after 3 days); complaint 3 met 3 (first reply, assigned, plan), its
    7-day clock and its promise still running: 14 met of 17."""
    return 14 / 17


def _blocks(rows):
    """The statistics sheet's blocks: {heading: [rows]} (the lead block under None), blank rows between."""
    blocks, heading = {None: []}, None
    for row in rows:
        values = [v for v in row]
        while values and values[-1] is None:
            values.pop()
        if not values:
            heading = "next"
            continue
        if heading == "next":
            heading = values[0]
            blocks[heading] = []
            continue
        blocks[heading].append(values)
    return blocks


def test_the_finance_handover_list_lists_only_what_was_handed_over(november):
    # the scarf was on the prepared list, but its owner claimed it before the handover: the coat alone went
    assert [i.number for i in handover_items(november["batch"])] == ["SW-202609-0001"]
    assert FoundItem.objects.get(pk=november["scarf"].pk).handover_batch_id == november["batch"].pk


def test_a_report_for_a_month_never_scored_computes_its_scores_first(november):
    """No silent empty sheet: nobody ever computed November's scores (the roster and the punches were imported
    afterwards); the workbook asked for on December 1st has every rostered employee's score."""
    assert not ScoreMonth.objects.filter(year=2026, month=11, materialised_at__isnull=False).exists()
    wb = _generate(november["manager"], t(12, 1, 1, 10))
    scored = {r[0]: r[6] for r in rows_of(wb["Scores"])[1:]}
    assert {no: scored[no] for no in ("CS-001", "CS-002", "CS-003")} == {"CS-001": 8, "CS-002": 2.5, "CS-003": 10}


def test_the_pages_showing_the_months_figures_agree_with_the_workbook(november, client):
    """The lost-and-found summary, the complaint statistics page and the month's scores page give November's
    figures as the workbook does (they read the same selectors), after later moves too."""
    wb = _generate(november["manager"], t(12, 1, 1, 10))
    _later_moves(november)
    client.force_login(november["manager"].user)
    with translation.override("en"):
        summary = client.get("/lostfound/summary/", {"month": "2026-11"}).context
        stats = client.get("/complaints/statistics/", {"month": "2026-11"}).context["stats"]
    sheet = {r[0]: r[1:] for r in rows_of(wb["Lost and Found by category"])[1:]}
    with translation.override("en"):
        page = {str(r["category"]): [r["registered"], r["claimed"], r["finance"], r["disposed"], r["held"]]
                for r in summary["by_category"]}
    page["Total"] = [summary["totals"][k] for k in ("registered", "claimed", "finance", "disposed", "held")]
    assert page == sheet
    clocks = {r[0]: r[2:5] for r in _blocks(rows_of(wb["Complaint statistics"])[1:])["Deadlines per clock"]}
    with translation.override("en"):
        assert {str(r["label"]): [r["met"], r["missed"], r["running"]] for r in stats["clocks"]} == clocks
    assert (stats["totals"]["n_total"], stats["totals"]["n_closed"]) == (3, 2)  # complaint 3 closed in December
    with translation.override("en"):
        cards = client.get("/staff/scores/month/", {"month": "2026-11"}).context["cards"]
    page_scores = {c.employee.employee_no: c.score for c in cards}
    assert page_scores == {r[0]: r[6] for r in rows_of(wb["Scores"])[1:]}
    assert {no: page_scores[no] for no in ("CS-001", "CS-002", "CS-003")} == {"CS-001": 8, "CS-002": 2.5, "CS-003": 10}
