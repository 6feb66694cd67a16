"""Issue 17: after ``load_demo`` the work lists show overdue, amber and fine rows (what each demo role sees)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from csmgmt.core.deadlines import deadline_of


def levels(rows, now) -> set[str]:
    return {deadline_of(row, now).level for row in rows}


@pytest.mark.django_db
def test_the_demo_work_lists_show_overdue_amber_and_fine_rows(settings, tmp_path):
    from complaints import selectors as complaints
    from staff.attendance import selectors as attendance
    from tickets import selectors as tickets

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo stores photos, a signature and evidence files
    call_command("load_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["agent", "supervisor", "handler"]).select_related("employee")}
    now = timezone.now()
    all_three = {"overdue", "soon", "ok"}

    assert levels(complaints.queue_page(users["agent"], "mine", 1)[0], now) >= all_three
    assert levels(complaints.queue_page(users["handler"], "department", 1)[0], now) >= all_three
    assert levels(attendance.pending_leave_rows(users["supervisor"])
                  + attendance.pending_correction_rows(users["supervisor"]), now) >= all_three
    assert levels(tickets.my_open_calls(users["agent"].employee), now) >= all_three
    assert levels(list(tickets.department_queue(users["handler"])[:25]), now) >= all_three
