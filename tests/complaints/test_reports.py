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
    with django_assert_num_queries(9):  # 2 for the list, 7 for the statistics, whatever the size
        rows = complaints_sheet_write(ws, year=local.year, month=local.month)
    assert rows == 2
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[1]
    by_number = {r[0]: dict(zip(header, r)) for r in values[2:4]}
    assert by_number[met.number]["Complaint closed"].startswith("Met (")
    assert by_number[met.number]["Repeat"] == "Yes"
    assert by_number[late.number]["Department reports result or progress"].startswith("Overdue (")
    assert ["Complaints", 2] in [r[:2] for r in values]
