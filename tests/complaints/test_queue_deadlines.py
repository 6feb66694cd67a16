"""Issue 17, queues driven by deadlines: every complaint work list shows each complaint's next deadline (its running
clock due soonest) with a countdown in words, sorts by it by default (soonest first, none last), colours it by the
one rule (overdue; amber within 2 hours or the last quarter of its clock; fine), says what its menu badge counts,
and refuses the roles it is not for."""

import re

import pytest
from django.urls import reverse

from complaints.models import ClockKind, Complaint, ComplaintClock
from tests.deadline_support import H, M, deadline_rows, frozen_now

CAPTIONS = {  # what each menu badge counts (issue 17), as the page and the badge's tooltip say it
    "complaints:mine": "Open complaints you registered",
    "complaints:approvals": "Plans waiting for your approval",
    "complaints:department": "Open complaints assigned to your department",
    "complaints:revisits": "Complaints waiting for their revisit",
    "complaints:overdue": "Open complaints with a clock past its deadline",
}


def clock(complaint, kind, *, started, due, state="running"):
    return ComplaintClock.objects.create(complaint=complaint, kind=kind, started_at=started, due_at=due, state=state)


def boundary_rows(now, make, kind=ClockKind.CLOSE):
    """Five complaints, created in an order that is not the deadline order: (complaint, expected level, text)."""
    fine = make()  # 12 h 1 min left of a 48 h clock (a quarter is 12 h): fine
    clock(fine, kind, started=now - 36 * H + M, due=now + 12 * H + M)
    none = make()  # no running clock: no deadline, listed last
    clock(none, ClockKind.FIRST_REPLY, started=now - 3 * H, due=now - H, state="met")
    quarter = make()  # exactly the last quarter of a 48-hour clock: amber
    clock(quarter, kind, started=now - 36 * H, due=now + 12 * H)
    two_hours = make()  # exactly 2 h left: amber
    clock(two_hours, kind, started=now - 100 * H, due=now + 2 * H)
    overdue = make()  # 3 h past due: red
    clock(overdue, kind, started=now - 171 * H, due=now - 3 * H)
    return [(overdue, "overdue", "overdue 3 h"), (two_hours, "soon", "due in 2 h"),
            (quarter, "soon", "due in 12 h"), (fine, "ok", "due in 12 h 1 min"), (none, "none", "")]


QUEUES = [  # (url name, who looks, the stage its rows are at, fields)
    ("complaints:mine", "agent", "plan"),
    ("complaints:department", "handler", "plan"),
    ("complaints:approvals", "supervisor", "approve"),
]


@pytest.mark.parametrize("url_name, role, stage", QUEUES)
def test_a_queue_shows_each_next_deadline_by_level_soonest_first(monkeypatch, client_for, people, complaint_at,
                                                                  url_name, role, stage):
    now = frozen_now(monkeypatch)
    expected = boundary_rows(now, lambda: complaint_at(stage))
    c = client_for(people[role])

    response = c.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Next deadline" in html
    assert deadline_rows(html, "complaint") == [(cp.number, level, text) for cp, level, text in expected]


def test_the_next_deadline_is_the_running_clock_due_soonest(monkeypatch, client_for, people, complaint_at):
    now = frozen_now(monkeypatch)
    complaint = complaint_at("plan")
    clock(complaint, ClockKind.CLOSE, started=now - 10 * H, due=now + 158 * H)
    clock(complaint, ClockKind.DEPT_REPORT, started=now - 10 * H, due=now + 38 * H)
    clock(complaint, ClockKind.FIRST_REPLY, started=now - 10 * H, due=now - 8 * H, state="met")

    html = client_for(people["agent"]).get(reverse("complaints:mine")).content.decode()

    assert deadline_rows(html, "complaint") == [(complaint.number, "ok", "due in 1 d 14 h")]
    assert "Department reports result or progress · " in html


def test_a_complaint_whose_clocks_are_paused_says_paused_not_no_deadline(monkeypatch, client_for, people,
                                                                         complaint_at):
    """Issue 18: a complaint waiting on the customer has its clocks paused; its queue row says so and it sorts
    with the rows without a running clock (after every running one)."""
    now = frozen_now(monkeypatch)
    paused = complaint_at("plan")
    clock(paused, ClockKind.CLOSE, started=now - 10 * H, due=now + 20 * H, state="paused")
    running = complaint_at("plan")
    clock(running, ClockKind.CLOSE, started=now - 10 * H, due=now + 100 * H)
    none = complaint_at("plan")

    html = client_for(people["agent"]).get(reverse("complaints:mine")).content.decode()

    rows = deadline_rows(html, "complaint")
    assert rows[0] == (running.number, "ok", "due in 4 d 4 h")
    assert sorted(rows[1:]) == sorted([(paused.number, "paused", "Paused (waiting on the customer)"),
                                       (none.number, "none", "")])


def test_the_revisit_queue_shows_when_each_revisit_is_due_without_a_stage_filter(monkeypatch, client_for, people,
                                                                                   complaint_at):
    now = frozen_now(monkeypatch)
    expected = boundary_rows(now, lambda: complaint_at("revisit"), kind=ClockKind.REVISIT)
    for complaint, _level, _text in expected:  # a close clock due sooner is not the revisit's deadline
        clock(complaint, ClockKind.CLOSE, started=now - 200 * H, due=now - 10 * H)

    html = client_for(people["agent"]).get(reverse("complaints:revisits")).content.decode()

    assert "Revisit due" in html
    assert deadline_rows(html, "complaint") == [(cp.number, level, text) for cp, level, text in expected]
    assert 'id="stage"' not in html and "Every stage" not in html


def test_the_overdue_queue_lists_the_longest_overdue_first(monkeypatch, client_for, people, complaint_at):
    now = frozen_now(monkeypatch)
    recent = complaint_at("plan")
    clock(recent, ClockKind.DEPT_REPORT, started=now - 50 * H, due=now - 2 * H)
    oldest = complaint_at("plan")
    clock(oldest, ClockKind.DEPT_REPORT, started=now - 60 * H, due=now - 12 * H - 30 * M)

    html = client_for(people["supervisor"]).get(reverse("complaints:overdue")).content.decode()

    assert deadline_rows(html, "complaint") == [(oldest.number, "overdue", "overdue 12 h 30 min"),
                                                (recent.number, "overdue", "overdue 2 h")]


def test_the_register_of_all_complaints_stays_newest_first_with_the_deadline_shown(monkeypatch, client_for, people,
                                                                                     complaint_at):
    now = frozen_now(monkeypatch)
    older = complaint_at("plan", received_at=now - 5 * H)
    clock(older, ClockKind.DEPT_REPORT, started=now - 5 * H, due=now - H)
    newer = complaint_at("plan", received_at=now - H)
    clock(newer, ClockKind.DEPT_REPORT, started=now - H, due=now + 47 * H)

    html = client_for(people["supervisor"]).get(reverse("complaints:all")).content.decode()

    assert deadline_rows(html, "complaint") == [(newer.number, "ok", "due in 1 d 23 h"),
                                                (older.number, "overdue", "overdue 1 h")]


@pytest.mark.parametrize("url_name, role", [("complaints:mine", "agent"), ("complaints:approvals", "supervisor"),
                                            ("complaints:department", "handler"), ("complaints:revisits", "agent"),
                                            ("complaints:overdue", "supervisor")])
def test_each_queue_says_what_its_menu_badge_counts(client_for, people, complaint_at, url_name, role):
    stage = {"complaints:approvals": "approve", "complaints:revisits": "revisit"}.get(url_name, "plan")
    complaint = complaint_at(stage)
    if url_name == "complaints:overdue":
        from django.utils import timezone

        clock(complaint, ClockKind.CLOSE, started=timezone.now() - 200 * H, due=timezone.now() - H)
    caption = CAPTIONS[url_name]

    html = client_for(people[role]).get(reverse(url_name)).content.decode()

    assert f"The number beside this list in the menu counts: {caption}." in html
    assert f'title="{caption}">1<span class="visually-hidden"> ({caption})</span></span>' in html


def test_the_stage_badges_differ_by_stage(client_for, people, complaint_at):
    for stage in ("analyse", "plan", "approve", "respond"):
        complaint_at(stage)

    html = client_for(people["supervisor"]).get(reverse("complaints:all")).content.decode()

    for stage in ("analyse", "plan", "approve", "respond"):
        assert f'class="badge stage-badge stage-{stage}" data-stage="{stage}"' in html


@pytest.mark.parametrize("url_name, role", [("complaints:mine", "custodian"), ("complaints:approvals", "handler"),
                                            ("complaints:approvals", "agent"), ("complaints:department", "agent"),
                                            ("complaints:revisits", "handler"), ("complaints:overdue", "custodian")])
def test_a_role_the_queue_is_not_for_is_refused_and_nothing_changes(client_for, people, complaint_at, url_name, role):
    complaint = complaint_at("approve")
    before = list(Complaint.objects.values_list("pk", "stage", "updated_at"))

    response = client_for(people[role]).get(reverse(url_name))

    assert response.status_code == 403
    assert complaint.number not in response.content.decode()
    assert list(Complaint.objects.values_list("pk", "stage", "updated_at")) == before


@pytest.mark.parametrize("url_name, role, stage", QUEUES + [("complaints:revisits", "agent", "revisit")])
def test_a_queue_with_deadlines_runs_a_fixed_number_of_queries(monkeypatch, client_for, people, complaint_at,
                                                                django_assert_num_queries, url_name, role, stage):
    now = frozen_now(monkeypatch)
    c = client_for(people[role])
    boundary_rows(now, lambda: complaint_at(stage))
    c.get(reverse(url_name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get(reverse(url_name))
    for _ in range(4):
        boundary_rows(now, lambda: complaint_at(stage))
    with django_assert_num_queries(len(few.captured_queries)):
        response = c.get(reverse(url_name))
    assert len(response.context["rows"]) == 25


def test_the_approvals_queue_filters_only_by_its_two_approval_stages(client_for, people, complaint_at):
    complaint_at("approve")

    html = client_for(people["manager"]).get(reverse("complaints:approvals")).content.decode()

    select = html[html.index('<select class="form-select" id="stage"'):]
    select = select[:select.index("</select>")]
    assert re.findall(r'<option value="(\w*)"', select) == ["", "approve", "manager_approve"]
