"""Each target figure of REGULATIONS §10 (the table of issue 20) on a hand-computed month, March 2026 in Shanghai
time, with its attribution and month-of rules. Every expected number is written out from the table."""

import datetime as dt
from decimal import Decimal

import pytest

from complaints.models import ClockKind, ClockState, ComplaintClock
from csmgmt.core.sheets import Period
from targets import sources
from targets.selectors import board, figure_value, own_employee, shown, team_employees
from tests.factories import CallFactory, ComplaintEventFactory, ComplaintFactory, DepartmentFactory

from .conftest import MARCH, at

FEBRUARY, APRIL = Period(2026, 2), Period(2026, 4)

pytestmark = pytest.mark.django_db


def _call(agent, received, outcome="resolved", **kw):
    status = kw.pop("status", "closed" if outcome == "resolved" else "open")
    extra = {}
    if outcome == "reply_promised" and "reply_due_at" not in kw:
        extra["reply_due_at"] = received + dt.timedelta(hours=2)
    if outcome == "transferred":
        extra["department"] = DepartmentFactory(name="工程部", code="ENG")
        extra.setdefault("reply_due_at", received + dt.timedelta(hours=2))
    return CallFactory(agent=agent, owner=kw.pop("owner", agent), received_at=received, outcome=outcome,
                       status=status, **extra, **kw)


def _figure(board_row, figure):
    return shown(figure, board_row.cell(figure).value)


# --- 问题解决率 first-contact resolution: inbound calls resolved on the call / inbound calls taken ---------------


def test_first_contact_counts_inbound_calls_of_the_month_by_the_agent_who_took_them(team):
    a, b = team["A"], team["B"]
    _call(a, at(3, 2))  # resolved
    _call(a, at(3, 15))  # resolved
    _call(a, at(3, 31, 23, 50))  # resolved, the last day at 23:50 Shanghai time: still March
    _call(a, at(3, 20), "reply_promised")  # not resolved on the call
    _call(a, at(3, 21), status="voided", void_reason="重复登记")  # voided: left out
    _call(a, at(3, 22), direction="out")  # outbound: not an inbound call taken
    _call(a, at(4, 1, 0, 5))  # April (received 00:05 Shanghai on 1 April)
    _call(a, at(2, 28, 23, 59))  # February
    _call(b, at(3, 5))  # resolved
    _call(b, at(3, 6), "transferred")

    assert sources.first_contact(MARCH.start, MARCH.end) == {a.pk: (3, 4), b.pk: (1, 2)}
    assert sources.first_contact_months(MARCH.start, MARCH.end) == {(2026, 3): (4, 6)}
    assert sources.first_contact(APRIL.start, APRIL.end) == {a.pk: (1, 1)}  # 00:05 on 1 April: April's
    assert sources.first_contact_months(FEBRUARY.start, APRIL.end) == {(2026, 2): (1, 1), (2026, 3): (4, 6),
                                                                         (2026, 4): (1, 1)}
    result = board(MARCH, employees=team_employees(team["S"]), department=True)
    rows = {r.employee.pk: r for r in result.agents}
    assert _figure(rows[a.pk], "first_contact") == "75.0%"  # 3 of 4 inbound calls resolved on the call
    assert _figure(rows[b.pk], "first_contact") == "50.0%"  # 1 of 2
    assert _figure(result.teams[0], "first_contact") == "66.7%"  # 4 of 6
    assert _figure(result.department, "first_contact") == "66.7%"


# --- reply on time: promised replies met by their due time / promised replies due ------------------------------


def test_reply_on_time_by_due_time_and_the_owner_at_the_due_time(team):
    from tickets.models import CallEvent

    a, b, s = team["A"], team["B"], team["S"]
    _call(a, at(3, 10, 8), "reply_promised", reply_due_at=at(3, 10, 12), status="closed", closed_at=at(3, 10, 11))
    _call(a, at(3, 20, 8), "reply_promised", reply_due_at=at(3, 20, 12), status="closed", closed_at=at(3, 21, 9))
    _call(a, at(3, 31, 20), "reply_promised", reply_due_at=at(3, 31, 23), status="closed",
          closed_at=at(3, 31, 22))  # met on the last evening
    _call(a, at(3, 31, 22, 30), "reply_promised", reply_due_at=at(4, 1, 0, 30))  # due next month: April's
    _call(a, at(3, 25), "reply_promised", reply_due_at=at(3, 25, 12), status="voided", void_reason="误登记")
    _call(a, at(3, 2), "resolved")  # resolved on the call: no promised reply
    # B's promised reply, never answered, handed over to the supervisor the day after it was due: still B's miss
    late = _call(b, at(3, 12, 8), "reply_promised", reply_due_at=at(3, 12, 12), owner=s)
    CallEvent.objects.create(call=late, kind=CallEvent.Kind.HANDOVER, by=s, at=at(3, 13), from_owner=b, to_owner=s)
    # handed over before its due time: the new owner's
    early = _call(b, at(3, 14, 8), "reply_promised", reply_due_at=at(3, 14, 12), owner=a, status="closed",
                  closed_at=at(3, 14, 11))
    CallEvent.objects.create(call=early, kind=CallEvent.Kind.HANDOVER, by=b, at=at(3, 14, 9), from_owner=b,
                             to_owner=a)

    assert sources.reply_on_time(MARCH.start, MARCH.end) == {a.pk: (3, 4), b.pk: (0, 1)}
    assert sources.reply_on_time_months(MARCH.start, MARCH.end) == {(2026, 3): (3, 5)}
    assert sources.reply_on_time(APRIL.start, APRIL.end) == {a.pk: (0, 1)}  # due 00:30 on 1 April, never met
    result = board(MARCH, employees=team_employees(s), department=True)
    rows = {r.employee.pk: r for r in result.agents}
    assert _figure(rows[a.pk], "reply_on_time") == "75.0%"  # 3 of 4 met by their due time
    assert _figure(rows[b.pk], "reply_on_time") == "0.0%"  # 0 of 1
    assert _figure(result.department, "reply_on_time") == "60.0%"  # 3 of 5


def test_a_promised_reply_not_yet_due_counts_only_once_met(team):
    from django.utils import timezone

    a = team["A"]
    now = timezone.now()
    _call(a, now - dt.timedelta(hours=1), "reply_promised", reply_due_at=now + dt.timedelta(hours=1))  # pending
    _call(a, now - dt.timedelta(hours=1), "reply_promised", reply_due_at=now + dt.timedelta(hours=1),
          status="closed", closed_at=now)  # met early
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=1)
    assert sources.reply_on_time(start, end, now=now) == {a.pk: (1, 1)}


# --- complaint clocks met: clocks met / clocks decided, team and department only --------------------------------


def _clock(complaint, kind, due, state, met=None, owner=None):
    return ComplaintClock.objects.create(complaint=complaint, kind=kind, started_at=due - dt.timedelta(hours=2),
                                         due_at=due, met_at=met, state=state, owner=owner)


def test_clocks_met_by_decision_month_for_the_team_and_department_only(team):
    a, r, s = team["A"], team["R"], team["S"]
    c = ComplaintFactory(agent=a, stage="plan", received_at=at(3, 4), responsible_person=r)
    _clock(c, ClockKind.FIRST_REPLY, at(3, 5, 12), ClockState.MET, met=at(3, 5, 11))  # met in March
    _clock(c, ClockKind.ASSIGN, at(3, 6, 12), ClockState.MISSED, met=at(3, 8))  # missed when it ran out, 6 March
    _clock(c, ClockKind.DEPT_REPORT, at(3, 10, 12), ClockState.RUNNING)  # ran out 10 March: R's, no team
    _clock(c, ClockKind.CLOSE, at(4, 3), ClockState.RUNNING)  # runs out in April
    _clock(c, ClockKind.REVISIT, at(3, 20), ClockState.CANCELLED)  # set aside: not counted
    _clock(c, ClockKind.PROMISE, at(4, 1, 10), ClockState.MET, met=at(4, 2))  # decided in April
    _clock(c, ClockKind.CLOSE_ORDINARY, at(2, 27), ClockState.MISSED, met=at(3, 2))  # missed in February
    _clock(c, ClockKind.NEXT_REPLY, at(3, 25), ClockState.PAUSED)  # waiting on the customer: cannot run out

    assert sources.clocks_met(MARCH.start, MARCH.end) == {a.pk: (1, 2), r.pk: (0, 1)}
    assert sources.clocks_met_months(MARCH.start, MARCH.end) == {(2026, 3): (1, 3)}
    result = board(MARCH, employees=team_employees(s), department=True)
    assert _figure(result.agents[0], "clocks_met") == "—"  # never per agent
    assert not result.agents[0].cell("clocks_met").counted
    assert _figure(result.teams[0], "clocks_met") == "50.0%"  # 1 of A's 2 decided clocks met
    assert _figure(result.department, "clocks_met") == "33.3%"  # 1 of 3, R's clock counted for the department


# --- revisit rate: complaints revisited within 7 days of the response / complaints responded --------------------


def _responded(by, responded, revisited=None, agent=None):
    c = ComplaintFactory(agent=agent or by, stage="close" if revisited else "revisit", received_at=responded,
                         responded_at=responded, revisited_at=revisited)
    ComplaintEventFactory(complaint=c, action="respond", from_stage="respond", to_stage="revisit", by=by,
                          at=responded)
    return c


def test_revisit_rate_by_who_responded_in_the_month_of_the_response(team):
    a, b, s = team["A"], team["B"], team["S"]
    _responded(a, at(3, 3), at(3, 9), agent=s)  # registered by S, responded by A: A's; revisited on day 6
    _responded(a, at(3, 10), at(3, 18))  # revisited on day 8: too late
    _responded(b, at(3, 28))  # never revisited, its 7 days long over
    _responded(b, at(3, 31, 23), at(4, 5))  # responded on the last evening, revisited within 7 days
    _responded(a, at(4, 1, 9), at(4, 2))  # April's

    assert sources.revisit_rate(MARCH.start, MARCH.end) == {a.pk: (1, 2), b.pk: (1, 2)}
    assert sources.revisit_rate_months(MARCH.start, MARCH.end) == {(2026, 3): (2, 4)}
    result = board(MARCH, employees=team_employees(s), department=True)
    rows = {r.employee.pk: r for r in result.agents}
    assert _figure(rows[a.pk], "revisit_rate") == "50.0%"
    assert _figure(rows[b.pk], "revisit_rate") == "50.0%"
    assert _figure(result.department, "revisit_rate") == "50.0%"  # 2 of 4


def test_a_response_still_within_its_7_days_counts_once_revisited(team):
    from django.utils import timezone

    a = team["A"]
    now = timezone.now()
    _responded(a, now - dt.timedelta(days=2))  # pending
    _responded(a, now - dt.timedelta(days=3), now - dt.timedelta(days=1))  # revisited: counted
    assert sources.revisit_rate(now - dt.timedelta(days=5), now, now=now) == {a.pk: (1, 1)}


# --- satisfaction: the last revisit of each complaint closed, who handled it, the month of the close ------------


def test_satisfaction_of_complaints_closed_in_the_month(team):
    a, b, s = team["A"], team["B"], team["S"]
    ComplaintFactory(agent=a, stage="closed", closed_at=at(3, 10), satisfaction_attitude=5, satisfaction_result=4)
    ComplaintFactory(agent=a, stage="closed", closed_at=at(3, 20), satisfaction_attitude=3, satisfaction_result=3)
    ComplaintFactory(agent=b, stage="closed", closed_at=at(3, 31, 23, 30), satisfaction_attitude=5,
                     satisfaction_result=5)
    ComplaintFactory(agent=a, stage="closed", closed_at=at(4, 1, 8), satisfaction_attitude=1, satisfaction_result=1)
    ComplaintFactory(agent=a, stage="withdrawn", withdrawn_at=at(3, 12), satisfaction_attitude=1,
                     satisfaction_result=1)

    # (5+4)/2 + (3+3)/2 = 7.5 over 2 complaints; B: 5 over 1
    assert sources.satisfaction(MARCH.start, MARCH.end) == {a.pk: (Decimal("7.5"), 2), b.pk: (Decimal("5"), 1)}
    assert sources.satisfaction_months(MARCH.start, MARCH.end) == {(2026, 3): (Decimal("12.5"), 3)}
    result = board(MARCH, employees=team_employees(s), department=True)
    rows = {r.employee.pk: r for r in result.agents}
    assert _figure(rows[a.pk], "satisfaction") == "3.75"
    assert _figure(rows[b.pk], "satisfaction") == "5.00"
    assert _figure(result.department, "satisfaction") == "4.17"  # 12.5 / 3


def test_a_month_with_nothing_shows_a_dash_for_every_figure(team):
    result = board(MARCH, employees=own_employee(team["A"]), department=False)
    assert [_figure(result.agents[0], f) for f in ("first_contact", "reply_on_time", "clocks_met", "revisit_rate",
                                                   "satisfaction", "qa_score")] == ["—"] * 6
    assert result.empty


def test_a_figure_without_a_source_is_not_counted(team, monkeypatch):
    from csmgmt.core import registry

    monkeypatch.setattr(registry, "_figure_sources", [s for s in registry.figure_sources() if s.figure != "qa_score"])
    _call(team["A"], at(3, 2))
    result = board(MARCH, employees=own_employee(team["A"]), department=False)
    assert result.sources["qa_score"] == 0
    assert not result.agents[0].cell("qa_score").counted
    assert _figure(result.agents[0], "qa_score") == "—"


def test_figure_values_are_rates_in_per_cent_and_means_as_they_are():
    assert figure_value("first_contact", 3, 4) == Decimal("75")
    assert figure_value("satisfaction", Decimal("7.5"), 2) == Decimal("3.75")
    assert figure_value("qa_score", 170, 2) == Decimal("85")
    assert figure_value("reply_on_time", 0, 0) is None
