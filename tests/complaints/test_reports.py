import datetime as dt

from django.utils import timezone
from openpyxl import Workbook

from complaints.models import ClockKind, ComplaintClock
from complaints.reports import complaints_sheet_write


def test_the_monthly_sheet_lists_each_complaint_with_its_clocks(people, complaint_at, django_assert_num_queries):
    now = timezone.now()
    met = complaint_at("closed", upheld=True, is_repeat=True)
    ComplaintClock.objects.create(complaint=met, kind=ClockKind.CLOSE, started_at=now - dt.timedelta(hours=5),
                                  due_at=now + dt.timedelta(hours=67), met_at=now, state="met")
    late = complaint_at("plan")
    ComplaintClock.objects.create(complaint=late, kind=ClockKind.DEPT_REPORT, started_at=now - dt.timedelta(hours=50),
                                  due_at=now - dt.timedelta(hours=2))
    ws = Workbook().active
    local = timezone.localtime(now)
    with django_assert_num_queries(10):  # 2 for the list, 8 for the statistics, whatever the size
        rows = complaints_sheet_write(ws, year=local.year, month=local.month)
    assert rows == 2
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[1]
    by_number = {r[0]: dict(zip(header, r)) for r in values[2:4]}
    assert by_number[met.number]["Every complaint closed (major included)"].startswith("Met (")
    assert by_number[met.number]["Repeat"] == "Yes"
    # a clock past its due time at the month's end (now, this month) is missed: the month as it ended
    assert by_number[late.number]["Department reports result or progress"].startswith("Missed (")
    assert ["Complaints", 2] in [r[:2] for r in values]


def test_the_statistics_download_writes_names_and_texts_as_text_never_formulas(client_for, people, complaint_at):
    import io
    import zipfile

    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.factories import DepartmentFactory

    hostile = DepartmentFactory(name="+SUM(A1:A9)", code="EVIL")
    a = complaint_at("plan", complainant_name='=HYPERLINK("http://evil.example","点我")', responsible_department=hostile)
    b = complaint_at("analyse", complainant_name="-2+3")
    c = complaint_at("analyse", complainant_name="@cmd")
    month = timezone.localtime(a.received_at).strftime("%Y-%m")

    response = client_for(people["supervisor"]).get(reverse("complaints:statistics_xlsx"), {"month": month})

    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # not one formula in the sheet
    ws = load_workbook(io.BytesIO(content)).active
    cells = {cell.value: cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    # Text that starts like a formula gets a leading ' (live no more when re-saved as CSV, issue 16).
    for text in ('\'=HYPERLINK("http://evil.example","点我")', "'-2+3", "'@cmd", "'+SUM(A1:A9)"):
        assert cells[text].data_type == "s", text
    by_number = {row[0].value: [cell.value for cell in row] for row in ws.iter_rows(min_row=3)}
    assert by_number[a.number][2] == '\'=HYPERLINK("http://evil.example","点我")'
    assert by_number[a.number][5] == "'+SUM(A1:A9)"
    assert by_number[b.number][2] == "'-2+3"
    assert by_number[c.number][2] == "'@cmd"


def test_the_monthly_sheet_gives_each_complaint_its_own_clocks_when_read_side_by_side(people, complaint_at):
    """The month's complaints and their clocks are two streams read in the same order (bench/README.md,
    "Monthly workbook"): complaints received at the same instant, clocks created in any order, a complaint
    without clocks between them — each row shows its own clocks (REGULATIONS §8: the list with every clock, met
    or missed; a clock met before the month's end is met, one past its due time is missed)."""
    from csmgmt.core.sheets import Period
    from complaints.reports import _rows

    now = timezone.now()
    local = timezone.localtime(now)
    received = max(local.replace(day=1, hour=0, minute=0, second=0, microsecond=0), now - dt.timedelta(minutes=30))
    a, b, c, d = (complaint_at("plan", received_at=received) for _ in range(4))
    ComplaintClock.objects.create(complaint=d, kind=ClockKind.FIRST_REPLY, started_at=received,
                                  due_at=received + dt.timedelta(hours=2), met_at=received, state="met")
    ComplaintClock.objects.create(complaint=a, kind=ClockKind.ASSIGN, started_at=received,
                                  due_at=received - dt.timedelta(minutes=1))  # running past due: missed
    ComplaintClock.objects.create(complaint=b, kind=ClockKind.FIRST_REPLY, started_at=received,
                                  due_at=received + dt.timedelta(hours=2), met_at=received, state="met")
    ComplaintClock.objects.create(complaint=a, kind=ClockKind.FIRST_REPLY, started_at=received,
                                  due_at=received + dt.timedelta(hours=2), met_at=received, state="met")
    ComplaintClock.objects.create(complaint=d, kind=ClockKind.CLOSE, started_at=received,
                                  due_at=received + dt.timedelta(days=7))  # running, not due yet
    rows = {r[0]: r for r in _rows(Period(local.year, local.month))}
    first_reply, assign, close = 8, 9, 12  # the lead columns, then one per clock kind in §3's order
    assert [rows[x.number][first_reply] for x in (a, b, c, d)] == ["Met", "Met", "", "Met"]
    assert [rows[x.number][assign] for x in (a, b, c, d)] == ["Missed", "", "", ""]
    assert [rows[x.number][close] for x in (a, b, c, d)] == ["", "", "", "Running"]
    assert sum(1 for r in rows.values() for v in r[8:16] if v) == 5  # five clocks, each on its own complaint
