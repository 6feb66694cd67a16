"""Reports count missed calls on their own (issue 21): a row of the workbook's Summary and a dashboard panel;
valid calls (REGULATIONS §2: marked by the agent on a logged call) and first-contact resolution (§8: of the
month's logged calls) are not changed by them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from csmgmt.api import telephony
from csmgmt.core.sheets import Period
from csmgmt.reports import workbook_write
from tickets.models import Call

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MISSED_LABEL = "Missed calls (not answered; not in calls, valid calls or first-contact resolution)"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _call(agent, when, n, **kw):
    fields = dict(number=f"LD-{when:%Y%m%d}-{n:04d}", received_at=when, agent=agent, owner=agent,
                  summary=f"咨询 {n}", caller_phone="13800138000", caller_name="王先生")
    return Call.objects.create(**{**fields, **kw})


def _exchange(integration, call_id, at, *, answered=None, direction="in", caller="13655556666"):
    """One call as the exchange reports it: rang at ``at``, answered at an extension or not, hung up."""
    events = [dict(event="ringing", at=at, caller=caller, extension="801", direction=direction)]
    if answered:
        events.append(dict(event="answered", at=at + dt.timedelta(seconds=5), extension=answered))
    events.append(dict(event="hangup", at=at + dt.timedelta(seconds=40), duration=35 if answered else 0))
    for e in events:
        telephony.telephony_event(integration=integration, call_id=call_id, **e)


def _logged_calls(agent):
    """October 2026's logged calls, by hand: one valid and resolved on the call, one not valid with a reply
    promised, and an outbound call-back (not marked valid, §2) resolved on the call."""
    _call(agent, dt.datetime(2026, 10, 3, 9, 0, tzinfo=TZ), 1, valid=True, outcome="resolved", status="closed")
    _call(agent, dt.datetime(2026, 10, 4, 10, 0, tzinfo=TZ), 2, valid=False, outcome="reply_promised",
          reply_due_at=dt.datetime(2026, 10, 4, 12, 0, tzinfo=TZ))
    return _call(agent, dt.datetime(2026, 10, 15, 10, 0, tzinfo=TZ), 3, direction="out", caller_phone="13655556666",
                 valid=None, outcome="resolved", status="closed")


def _exchange_month(exchange, agent, back):
    """October's calls as the exchange saw them: three missed inbound calls (the one of the 15th called back with
    ``back``), one answered inbound call, one outbound call nobody picked up (not missed: nobody called us); and a
    missed call on 1 November, which belongs to November."""
    for i, day in enumerate((1, 15, 31), start=1):
        _exchange(exchange, f"m{i}", dt.datetime(2026, 10, day, 23 if day == 31 else 9, 30, tzinfo=TZ))
    _exchange(exchange, "a1", dt.datetime(2026, 10, 5, 9, 0, tzinfo=TZ), answered="801")
    _exchange(exchange, "o1", dt.datetime(2026, 10, 6, 9, 0, tzinfo=TZ), direction="out")
    _exchange(exchange, "n1", dt.datetime(2026, 11, 1, 0, 5, tzinfo=TZ))
    missed = telephony.missed_calls().get(exchange_id="m2")
    telephony.missed_call_take(exchange_call=missed, by=agent)
    telephony.exchange_call_link(exchange_call=missed, by=agent, call=back)


@pytest.fixture
def october(integration, make_employee):
    agent = make_employee("agent", employee_no="A801", extension="801")
    exchange, _token = integration("telephony")
    _exchange_month(exchange, agent, _logged_calls(agent))
    return agent


def _summary(path):
    wb = load_workbook(path)
    return {r[0]: r[1] for r in wb["Summary"].values if r and r[0]}


def test_the_summary_counts_the_months_missed_calls_apart(october, tmp_path):
    path = tmp_path / "oct.xlsx"
    workbook_write(period=Period(2026, 10), language="en", path=path)
    summary = _summary(path)
    assert summary[MISSED_LABEL] == 3  # 1, 15 and 31 October; not the outbound one, not 1 November's
    assert summary["Missed calls called back"] == 1
    # the logged calls only: the two calls and the call-back (outbound: not marked valid, §2)
    assert summary["Calls"] == 3
    assert summary["Valid calls (有效电话)"] == 1
    assert summary["First-contact resolution rate"] == pytest.approx(2 / 3)


def test_missed_calls_leave_valid_calls_and_resolution_as_they_were(integration, make_employee, tmp_path):
    agent = make_employee("agent", employee_no="A801", extension="801")
    back = _logged_calls(agent)
    path = tmp_path / "oct.xlsx"
    workbook_write(period=Period(2026, 10), language="en", path=path)
    before = _summary(path)
    exchange, _token = integration("telephony")
    _exchange_month(exchange, agent, back)
    workbook_write(period=Period(2026, 10), language="en", path=path)
    after = _summary(path)
    assert (before[MISSED_LABEL], after[MISSED_LABEL]) == (0, 3)
    for label in ("Calls", "Valid calls (有效电话)", "First-contact resolution rate"):
        assert after[label] == before[label], label


def test_the_dashboard_shows_this_months_missed_calls_by_day(integration, client_for, make_employee,
                                                            django_assert_max_num_queries):
    exchange, _token = integration("telephony")
    today = timezone.localdate()
    at = dt.datetime.combine(today, dt.time(9, 0), tzinfo=TZ)
    _exchange(exchange, "t1", at)
    _exchange(exchange, "t2", at + dt.timedelta(minutes=5))
    _exchange(exchange, "t3", at + dt.timedelta(minutes=9), answered="801")
    supervisor = client_for("supervisor")
    response = supervisor.get("/reports/dashboard/")
    assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p["panel"].key == "missed_calls")
    missed, back = panel["json"]["series"][0]["values"], panel["json"]["series"][1]["values"]
    assert len(missed) == today.day
    assert missed[-1] == 2 and sum(missed) == 2
    assert sum(back) == 0
    assert client_for("agent").get("/reports/dashboard/").status_code == 403
