"""The pop-up's one key opens intake prefilled with number, direction, time and the exchange's call id; the saved
call carries the id and is one record with the exchange's call (REGULATIONS §2: every contact is logged, once)."""

import datetime as dt
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.api import telephony
from csmgmt.api.models import ExchangeCall
from tickets.models import Call

from .conftest import bearer

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 9, 0, 5, tzinfo=dt.UTC)  # 17:00:05 in Shanghai


def _send(client, token, **event):
    body = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in event.items()}
    response = client.post("/api/telephony/events", json.dumps(body), content_type="application/json",
                           **bearer(token))
    assert response.status_code == 200, response.content
    return response


def _ring(client, token, call_id="pbx-7", extension="801", answered=None, hung_up=False):
    _send(client, token, event="ringing", call_id=call_id, at=T0, caller="139 1111 2222", called="8000",
          extension=extension, direction="in")
    if answered:
        _send(client, token, event="answered", call_id=call_id, at=T0 + dt.timedelta(seconds=6), extension=answered)
    if hung_up:
        _send(client, token, event="hangup", call_id=call_id, at=T0 + dt.timedelta(seconds=90), duration=84,
              cause="normal")


def _intake(**over):
    data = {"form_token": str(uuid.uuid4()), "caller_phone": "13911112222", "caller_name": "周敏",
            "address_form": "ms", "organisation": "", "channel": "phone", "direction": "in", "category": "enquiry",
            "importance": "normal", "urgency": "normal", "summary": "咨询积分规则", "details": "",
            "outcome": "resolved", "department": "", "reply_due_at": "", "valid": "1"}
    return {**data, **over}


@pytest.fixture
def agents(make_employee):
    return {ext: make_employee("agent", employee_no=f"A{ext}", extension=ext) for ext in ("801", "802")}


def test_the_pop_ups_key_carries_number_direction_time_and_call_id(client, integration, agents, client_for):
    _obj, token = integration("telephony")
    _ring(client, token)
    html = client_for(agents["801"]).get(reverse("telephony:ringing")).content.decode()
    href = html.split('id="ringing-intake"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    url = urlsplit(href)
    assert url.path == reverse("tickets:intake")
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query == {"phone": "13911112222", "direction": "in", "exchange_call_id": "pbx-7",
                     "at": "2026-11-20T17:00:05+08:00"}


def test_intake_shows_the_prefilled_call(client_for, agents):
    agent = client_for(agents["801"])
    response = agent.get(reverse("tickets:intake"), {"phone": "13911112222", "direction": "out",
                                                     "at": "2026-11-20T17:00:05+08:00", "exchange_call_id": "pbx-7"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["caller_phone"].value() == "13911112222"
    assert form["direction"].value() == "out"
    assert form["exchange_call_id"].value() == "pbx-7"
    assert form["received_at"].value() == dt.datetime(2026, 11, 20, 17, 0, 5)  # shown in local (Shanghai) time
    html = response.content.decode()
    assert 'name="exchange_call_id" value="pbx-7"' in html
    assert 'data-exchange-call-id="pbx-7"' in html
    assert '<span id="exchange-at">2026-11-20 17:00:05</span>' in html
    assert '<span id="exchange-direction">Outbound (呼出)</span>' in html


@pytest.mark.parametrize("at", ["yesterday", "2026-13-40T99:00", "\x00"])
def test_a_time_that_is_not_one_is_ignored_with_a_message(client_for, agents, at):
    response = client_for(agents["801"]).get(reverse("tickets:intake"), {"phone": "13911112222", "at": at,
                                                                          "exchange_call_id": "pbx-7"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["exchange_call_id"].value() == "pbx-7"
    assert form["received_at"].value() != dt.datetime(2026, 11, 20, 17, 0, 5)
    if at.strip("\x00"):
        assert any("is not a time: it was ignored" in str(m) for m in response.context["messages"])


def test_the_saved_call_carries_the_id_and_is_one_record_with_the_exchanges_call(client, integration, agents,
                                                                                  client_for):
    _obj, token = integration("telephony")
    _ring(client, token, answered="801", hung_up=True)
    agent = client_for(agents["801"])
    response = agent.post(reverse("tickets:intake"), _intake(exchange_call_id="pbx-7"))
    assert response.status_code == 302
    call = Call.objects.get()
    xcall = ExchangeCall.objects.get()
    assert call.exchange_call_id == "pbx-7"
    assert xcall.call == call
    # an agent does not set the time: the call was received when the exchange says it rang
    assert call.received_at == T0
    # logged: not on the agent's "calls to log" list however late
    assert list(telephony.calls_to_log(agents["801"], now=timezone.now() + dt.timedelta(hours=1))) == []


def test_the_same_exchange_call_is_not_logged_twice(client, integration, agents, client_for):
    _obj, token = integration("telephony")
    _ring(client, token, answered="801", hung_up=True)
    agent = client_for(agents["801"])
    agent.post(reverse("tickets:intake"), _intake(exchange_call_id="pbx-7"))
    first = Call.objects.get()
    response = agent.post(reverse("tickets:intake"), _intake(exchange_call_id="pbx-7", summary="又一次"))
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]][-1] == \
        f"The exchange's call pbx-7 is already logged as {first.number}."
    assert list(Call.objects.values_list("pk", flat=True)) == [first.pk]
    assert ExchangeCall.objects.get().call == first


def test_a_call_answered_by_another_agent_is_theirs_to_log(client, integration, agents, client_for):
    _obj, token = integration("telephony")
    _ring(client, token, answered="802", hung_up=True)
    response = client_for(agents["801"]).post(reverse("tickets:intake"), _intake(exchange_call_id="pbx-7"))
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        f"The exchange's call pbx-7 was answered by {agents['802'].name}, who logs it."]
    assert Call.objects.count() == 0 and ExchangeCall.objects.get().call is None


def test_a_missed_call_is_called_back_not_logged_from_the_pop_up(client, integration, agents, client_for):
    _obj, token = integration("telephony")
    _ring(client, token, hung_up=True)
    response = client_for(agents["801"]).post(reverse("tickets:intake"), _intake(exchange_call_id="pbx-7"))
    assert response.status_code == 200
    assert Call.objects.count() == 0 and ExchangeCall.objects.get().call is None


def test_a_call_logged_before_the_exchanges_first_event_is_found_by_it(client, integration, agents, client_for):
    client_for(agents["801"]).post(reverse("tickets:intake"), _intake(exchange_call_id="pbx-9"))
    call = Call.objects.get()
    assert call.exchange_call_id == "pbx-9"
    _obj, token = integration("telephony")
    _ring(client, token, call_id="pbx-9", answered="801", hung_up=True)
    xcall = ExchangeCall.objects.get()
    assert xcall.call == call
    assert list(telephony.calls_to_log(agents["801"], now=timezone.now() + dt.timedelta(hours=1))) == []


def test_the_api_logs_a_call_with_the_exchanges_id(client, integration, agents):
    _obj, phone_token = integration("telephony", name="交换机")
    _ring(client, phone_token, answered="801", hung_up=True)
    _obj, token = integration("calls.write", name="工单系统")
    body = {"agent": "A801", "caller_phone": "13911112222", "summary": "咨询积分规则", "valid": True,
            "exchange_call_id": "pbx-7"}
    response = client.post("/api/calls", json.dumps(body), content_type="application/json", **bearer(token))
    assert response.status_code == 201, response.content
    call = Call.objects.get()
    assert response.json()["exchange_call_id"] == "pbx-7" and response.json()["number"] == call.number
    assert call.exchange_call_id == "pbx-7" and call.received_at == T0
    assert ExchangeCall.objects.get().call == call
    again = client.post("/api/calls", json.dumps(body), content_type="application/json", **bearer(token))
    assert again.status_code == 400
    assert again.json() == {"error": "refused",
                            "detail": f"The exchange's call pbx-7 is already logged as {call.number}."}
    assert Call.objects.count() == 1


def test_the_api_refuses_an_exchange_call_another_agent_answered(client, integration, agents):
    _obj, phone_token = integration("telephony", name="交换机")
    _ring(client, phone_token, answered="802", hung_up=True)
    _obj, token = integration("calls.write", name="工单系统")
    body = {"agent": "A801", "caller_phone": "13911112222", "summary": "咨询", "valid": True,
            "exchange_call_id": "pbx-7"}
    response = client.post("/api/calls", json.dumps(body), content_type="application/json", **bearer(token))
    assert response.status_code == 400 and response.json()["error"] == "refused"
    assert Call.objects.count() == 0 and ExchangeCall.objects.get().call is None
