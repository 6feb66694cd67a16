import pytest

from staff.models import DayStatus, DutyLogEntry, LeaveRequest, Punch, RosterEntry

pytestmark = pytest.mark.django_db


def test_demo_loads_every_page_something_and_is_idempotent():
    from staff import demo as staff_demo
    from staff.attendance import demo

    staff_demo.load()
    demo.load()
    counts = [m.objects.count() for m in (RosterEntry, Punch, DayStatus, LeaveRequest, DutyLogEntry)]
    demo.load()
    assert [m.objects.count() for m in (RosterEntry, Punch, DayStatus, LeaveRequest, DutyLogEntry)] == counts
    assert all(counts[:2]) and counts[3] == 6 and counts[4] == 2
    assert set(LeaveRequest.objects.values_list("state", flat=True)) == {
        "pending_supervisor", "pending_manager", "approved", "refused"}
