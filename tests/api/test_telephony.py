"""Telephony events: idempotent, in any order, building the legs; missed calls to the call-back queue; answered
calls not logged after 10 minutes on the agent's list."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.api import telephony
from csmgmt.api.models import ExchangeCall, ExchangeEvent, ExchangeLeg
from tests.factories import CallFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/api/telephony/events"
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _send(client, token, **event):
    body = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in event.items()}
    return client.post(URL, json.dumps(body), content_type="application/json", **bearer(token))


def _events(call_id="pbx-1"):
    return [
        {"event": "ringing", "call_id": call_id, "at": T0, "caller": "138-0000-1111", "called": "8000",
         "extension": "801", "direction": "in"},
        {"event": "ringing", "call_id": call_id, "at": T0, "extension": "802", "direction": "in"},
        {"event": "answered", "call_id": call_id, "at": T0 + dt.timedelta(seconds=8), "extension": "802"},
        {"event": "hangup", "call_id": call_id, "at": T0 + dt.timedelta(seconds=128), "cause": "normal",
         "duration": 120},
        {"event": "recording", "call_id": call_id, "at": T0 + dt.timedelta(seconds=130), "recording": "rec/pbx-1.wav"},
    ]


def _picture(call_id="pbx-1"):
    x = ExchangeCall.objects.get(exchange_id=call_id)
    legs = sorted(ExchangeLeg.objects.filter(exchange_call=x).values_list("extension", "employee__employee_no",
                                                                          "rang_at", "answered_at", "ended_at"))
    return (x.direction, x.caller, x.called, x.ringing_at, x.answered_at, x.answered_extension,
            x.agent.employee_no if x.agent else None, x.ended_at, x.cause, x.duration_seconds, x.recording, legs)


EXPECTED = ("in", "13800001111", "8000", T0, T0 + dt.timedelta(seconds=8), "802", "A802",
            T0 + dt.timedelta(seconds=128), "normal", 120, "rec/pbx-1.wav",
            [("801", "A801", T0, None, T0 + dt.timedelta(seconds=8)),
             ("802", "A802", T0, T0 + dt.timedelta(seconds=8), T0 + dt.timedelta(seconds=128))])


@pytest.fixture
def agents(make_employee):
    return {ext: make_employee("agent", employee_no=f"A{ext}", extension=ext) for ext in ("801", "802")}


def test_the_events_build_the_call_and_its_legs(client, integration, agents):
    _obj, token = integration("telephony")
    for event in _events():
        response = _send(client, token, **event)
        assert response.status_code == 200, response.content
        assert response.json()["duplicate"] is False
    assert _picture() == EXPECTED
    assert ExchangeEvent.objects.count() == 5


@pytest.mark.parametrize("order", [(4, 3, 2, 1, 0), (2, 0, 3, 4, 1), (3, 1, 4, 0, 2)])
def test_any_order_gives_the_same_call(client, integration, agents, order):
    _obj, token = integration("telephony")
    events = _events()
    for i in order:
        assert _send(client, token, **events[i]).status_code == 200
    assert _picture() == EXPECTED


def test_a_repeated_event_changes_nothing(client, integration, agents):
    _obj, token = integration("telephony")
    for event in _events():
        _send(client, token, **event)
    before = _picture()
    late = {**_events()[2], "at": T0 + dt.timedelta(seconds=60), "extension": "802"}
    response = _send(client, token, **late)
    assert response.json()["duplicate"] is True
    assert _send(client, token, **_events()[3]).json()["duplicate"] is True
    assert _picture() == before
    assert ExchangeEvent.objects.count() == 5


def test_events_are_refused_without_the_telephony_ability_and_nothing_is_written(client, integration, agents):
    _obj, token = integration("calls.write", "customers.lookup")
    response = _send(client, token, **_events()[0])
    assert response.status_code == 403 and response.json()["error"] == "ability_missing"
    assert ExchangeCall.objects.count() == 0 and ExchangeEvent.objects.count() == 0
    bad = client.post(URL, json.dumps({"event": "ringing", "call_id": "x"}), content_type="application/json")
    assert bad.status_code == 401 and ExchangeCall.objects.count() == 0


def test_an_unanswered_inbound_call_waits_for_a_call_back_owned_by_whoever_takes_it(client, integration, agents,
                                                                                       client_for):
    _obj, token = integration("telephony")
    events = _events()
    for i in (0, 1, 3):
        _send(client, token, **events[i])
    x = ExchangeCall.objects.get()
    assert x.missed is True
    assert list(telephony.missed_calls()) == [x]
    first, second = client_for(agents["801"]), client_for(agents["802"])
    assert "13800001111" in first.get(reverse("telephony:missed")).content.decode()
    first.post(reverse("telephony:take", args=[x.pk]), {"confirm": "1"})
    second.post(reverse("telephony:take", args=[x.pk]), {"confirm": "1"})  # already taken: refused
    x.refresh_from_db()
    assert x.callback_owner == agents["801"]
    # the call-back: an outbound call to the same number, logged by the owner, linked to the missed call
    inbound = CallFactory(caller_phone="13800001111", direction="in", agent=agents["801"])
    first.post(reverse("telephony:link", args=[x.pk]), {"call": inbound.number})
    x.refresh_from_db()
    assert x.callback_call is None
    back = CallFactory(caller_phone="13800001111", direction="out", agent=agents["801"])
    second.post(reverse("telephony:link", args=[x.pk]), {"call": back.number})  # not the owner
    x.refresh_from_db()
    assert x.callback_call is None
    first.post(reverse("telephony:link", args=[x.pk]), {"call": back.number})
    x.refresh_from_db()
    assert x.callback_call == back
    assert list(telephony.missed_calls()) == []


def test_an_answered_call_not_logged_10_minutes_after_hang_up_is_on_the_agents_list(client, integration, agents,
                                                                                       client_for,
                                                                                       django_assert_num_queries):
    _obj, token = integration("telephony")
    for event in _events():
        _send(client, token, **event)
    x = ExchangeCall.objects.get()
    ended = T0 + dt.timedelta(seconds=128)
    assert list(telephony.calls_to_log(agents["802"], now=ended + dt.timedelta(minutes=9, seconds=59))) == []
    assert list(telephony.calls_to_log(agents["802"], now=ended + dt.timedelta(minutes=10))) == [x]
    assert list(telephony.calls_to_log(agents["801"], now=ended + dt.timedelta(minutes=10))) == []
    assert x.missed is False and list(telephony.missed_calls()) == []
    agent = client_for(agents["802"])
    assert "13800001111" in agent.get(reverse("telephony:to_log")).content.decode()
    logged = CallFactory(caller_phone="13800001111", agent=agents["802"])
    client_for(agents["801"]).post(reverse("telephony:link", args=[x.pk]), {"call": logged.number})  # not theirs
    x.refresh_from_db()
    assert x.call is None
    agent.post(reverse("telephony:link", args=[x.pk]), {"call": logged.number})
    x.refresh_from_db()
    assert x.call == logged
    assert list(telephony.calls_to_log(agents["802"], now=timezone.now())) == []


@pytest.mark.parametrize("role", ["handler", "custodian", "admin"])
def test_the_telephone_pages_are_for_customer_service_only(client_for, integration, agents, client, role):
    _obj, token = integration("telephony")
    for i in (0, 3):
        _send(client, token, **_events()[i])
    x = ExchangeCall.objects.get()
    other = client_for(role)
    assert other.get(reverse("telephony:missed")).status_code == 403
    assert other.get(reverse("telephony:to_log")).status_code == 403
    assert other.post(reverse("telephony:take", args=[x.pk]), {"confirm": "1"}).status_code == 403
    x.refresh_from_db()
    assert x.callback_owner is None


def test_the_pop_up_asks_one_query_of_the_legs_and_shows_what_rings_at_my_desk(client, integration, agents,
                                                                                client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent = client_for(agents["801"])
    with CaptureQueriesContext(connection) as quiet:
        response = agent.get(reverse("telephony:ringing"))
    assert response.status_code == 200 and response.content.decode().strip() == ""
    mine = [q["sql"] for q in quiet.captured_queries if '"api_' in q["sql"]]
    assert len(mine) == 1 and '"api_exchangeleg"' in mine[0]

    _obj, token = integration("telephony")
    _send(client, token, **_events()[0])
    _send(client, token, **_events()[1])
    shown = agent.get(reverse("telephony:ringing")).content.decode()
    assert 'data-ringing="pbx-1"' in shown and "13800001111" in shown
    assert f'{reverse("tickets:intake")}?phone=13800001111' in shown
    _send(client, token, **_events()[2])  # answered at 802: gone from 801's desk; 802 keeps it while talking
    assert agent.get(reverse("telephony:ringing")).content.decode().strip() == ""
    answerer = client_for(agents["802"])
    assert 'data-ringing="pbx-1"' in answerer.get(reverse("telephony:ringing")).content.decode()
    _send(client, token, **_events()[3])  # hung up: gone everywhere
    assert answerer.get(reverse("telephony:ringing")).content.decode().strip() == ""
