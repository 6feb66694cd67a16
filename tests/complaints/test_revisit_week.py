"""The weekly revisit analysis (周回访情况分析表): its numbers, the Tuesday notice (once per week), the page
and its download (managers only), the beat schedule."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from complaints.models import ClockKind, ClockState, ComplaintClock
from complaints.weekly import previous_week, revisit_week_analysis, revisit_week_notify
from csmgmt.core.models import Notification
from csmgmt.core.registry import jobs
from tests.factories import ComplaintEventFactory, ComplaintFactory

TZ = ZoneInfo("Asia/Shanghai")
WEEK = dt.date(2026, 11, 16)  # Monday; the Tuesday after is 2026-11-24


def at(day, hh=10, month=11):
    return dt.datetime(2026, month, day, hh, 0, tzinfo=TZ)


def revisit(when, attitude, result, action="revisit"):
    complaint = ComplaintFactory(received_at=when - dt.timedelta(days=5), stage="close" if action == "revisit"
                                 else "plan")
    return ComplaintEventFactory(complaint=complaint, action=action, from_stage="revisit",
                                 to_stage="close" if action == "revisit" else "plan", at=when,
                                 data={"satisfaction_attitude": attitude, "satisfaction_result": result})


@pytest.fixture
def week(db):
    revisit(at(16, 0), 5, 4)
    revisit(at(18), 4, 4)
    revisit(at(22, 23), "2", 1, action="reopen")  # Sunday evening; a value kept as text counts the same
    revisit(at(15, 23), 1, 1, action="reopen")  # the Sunday before: not this week
    revisit(at(23, 0), 5, 5)  # the Monday after: not this week
    c = ComplaintFactory(stage="revisit", received_at=at(1))
    ComplaintClock.objects.create(complaint=c, kind=ClockKind.REVISIT, started_at=at(10), due_at=at(17))  # running, late
    d = ComplaintFactory(stage="closed", received_at=at(1))
    ComplaintClock.objects.create(complaint=d, kind=ClockKind.REVISIT, started_at=at(10), due_at=at(17),
                                  met_at=at(18), state=ClockState.MISSED)
    e = ComplaintFactory(stage="closed", received_at=at(1))
    ComplaintClock.objects.create(complaint=e, kind=ClockKind.REVISIT, started_at=at(10), due_at=at(19),
                                  met_at=at(18), state=ClockState.MET)
    f = ComplaintFactory(stage="revisit", received_at=at(1))
    ComplaintClock.objects.create(complaint=f, kind=ClockKind.REVISIT, started_at=at(3), due_at=at(10))  # week before


def test_the_analysis_counts_the_weeks_revisits_satisfaction_reopened_and_overdue(week):
    a = revisit_week_analysis(week_start=dt.date(2026, 11, 19), now=at(24, 9))  # any day picks its week
    assert (a.week_start, a.week_end) == (WEEK, dt.date(2026, 11, 22))
    assert (a.revisits, a.reopened, a.overdue) == (3, 1, 2)
    assert a.attitude == {5: 1, 4: 1, 2: 1}
    assert a.result == {4: 2, 1: 1}
    assert [(att, res) for _label, att, res in a.distribution()] == [(1, 0), (1, 2), (0, 0), (1, 0), (0, 1)]
    assert a.reopened_rate == pytest.approx(1 / 3)


def test_the_past_week_is_the_calendar_week_before(db):
    assert previous_week(dt.date(2026, 11, 24)) == WEEK
    assert previous_week(dt.date(2026, 11, 23)) == WEEK


def test_the_tuesday_job_notifies_each_manager_once(week, make_employee):
    managers = [make_employee("manager"), make_employee("manager")]
    agent = make_employee("agent")
    assert revisit_week_notify(today=dt.date(2026, 11, 24)) == 2
    assert revisit_week_notify(today=dt.date(2026, 11, 24)) == 0  # run twice: nothing more
    for m in managers:
        [notice] = Notification.objects.filter(recipient=m)
        assert notice.link == "/complaints/revisits/week/?week=2026-11-16"
        assert notice.key == f"revisit-week-2026-11-16-{m.pk}"
    assert not Notification.objects.filter(recipient=agent).exists()
    assert revisit_week_notify(today=dt.date(2026, 12, 1)) == 2  # the next week is a new notice


def test_the_job_is_scheduled_on_tuesdays_at_nine():
    [job] = [j for j in jobs() if j.name == "complaints.revisit_week_send"]
    assert job.task == "complaints.tasks.revisit_week_send"
    assert job.crontab == {"minute": "0", "hour": "9", "day_of_week": "2"}


def test_a_manager_sees_the_page_and_downloads_the_xlsx(week, client_for):
    manager = client_for("manager")
    response = manager.get("/complaints/revisits/week/?week=2026-11-16", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    a = response.context["a"]
    assert (a.revisits, a.reopened) == (3, 1)
    html = response.content.decode()
    assert 'id="stat-revisits">3<' in html and "2026-11-16 – 2026-11-22" in html
    response = manager.get("/complaints/revisits/week/?week=2026-11-16&format=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[v for v in r if v is not None] for r in ws.values]
    assert rows[0] == ["Weekly revisit analysis", "2026-11-16 – 2026-11-22"]
    assert rows[1:5] == [["Revisits", 3], ["Reopened", 1], ["Reopened rate", pytest.approx(1 / 3)],
                         ["Revisits overdue", 2]]
    assert rows[5] == []
    assert rows[6] == ["Satisfaction", "Attitude", "Result"]
    assert [r[1:] for r in rows[7:12]] == [[1, 0], [1, 2], [0, 0], [1, 0], [0, 1]]


def test_a_bad_week_shows_the_past_week_with_a_message(week, client_for):
    response = client_for("manager").get("/complaints/revisits/week/?week=soon", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "“soon” is not a date (YYYY-MM-DD)" in response.content.decode()


@pytest.mark.parametrize("role", ["agent", "supervisor", "handler", "custodian"])
def test_other_roles_are_refused_the_page_and_the_download(week, client_for, role):
    before = (Notification.objects.count(), ComplaintClock.objects.count())
    client = client_for(role)
    assert client.get("/complaints/revisits/week/").status_code == 403
    assert client.get("/complaints/revisits/week/?format=xlsx").status_code == 403
    assert (Notification.objects.count(), ComplaintClock.objects.count()) == before


def test_the_page_costs_the_same_queries_with_1_and_with_20_revisits(client_for):
    manager = client_for("manager")
    revisit(at(17), 5, 5)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get("/complaints/revisits/week/?week=2026-11-16").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(19):
        revisit(at(17 + i % 5), 1 + i % 5, 5 - i % 5, action="reopen" if i % 3 else "revisit")
    assert count() == small
