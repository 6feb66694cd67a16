"""The caller pop-up (issue 21): the exchange posts "ringing" for the agent's extension over real HTTP, the agent's
open page shows the caller's history; "answered" elsewhere removes it; one key opens the prefilled intake."""

import json
import urllib.request

import pytest

from csmgmt.api.models import ExchangeCall
from csmgmt.api.services import integration_create
from tickets.models import Call
from tests.factories import CallFactory, CustomerPhoneFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _post(base, token, body):
    request = urllib.request.Request(base + "/api/telephony/events", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_a_ringing_call_pops_up_with_the_callers_history_and_goes_when_answered_elsewhere(page, login,
                                                                                            make_employee):
    agent = make_employee("agent", name="张伟", extension="801")
    make_employee("agent", name="李娜", extension="802")
    CustomerPhoneFactory(number="13800138000", customer__name="陈建华")
    earlier = CallFactory(caller_phone="13800138000", summary="上次咨询会员积分", agent=agent)
    token = integration_create(by=make_employee("manager"), name="交换机", abilities=["telephony"]).token
    login(agent.user.username)
    page.goto(page.base_url + "/")

    ring = {"event": "ringing", "call_id": "pbx-77", "caller": "13800138000", "called": "8000", "direction": "in"}
    _post(page.base_url, token, {**ring, "extension": "801"})
    _post(page.base_url, token, {**ring, "extension": "802"})
    popup = page.wait_for_selector("[data-ringing='pbx-77']", timeout=10000)
    text = popup.inner_text()
    assert "138 0013 8000" in text and "陈建华" in text and earlier.number in text

    _post(page.base_url, token, {"event": "answered", "call_id": "pbx-77", "extension": "802"})
    page.wait_for_selector("[data-ringing='pbx-77']", state="detached", timeout=10000)

    # another call rings: one key opens the intake with number, direction, time and the exchange's call id filled
    _post(page.base_url, token, {**ring, "call_id": "pbx-78", "extension": "801", "at": "2026-12-04T09:15:30+08:00"})
    page.wait_for_selector("[data-ringing='pbx-78']", timeout=10000)
    page.keyboard.press("Alt+i")
    page.wait_for_url("**/calls/new/**", timeout=10000)
    assert page.input_value("#id_caller_phone").replace(" ", "") == "13800138000"
    assert page.input_value("#id_direction") == "in"
    assert page.input_value("input[name=exchange_call_id]") == "pbx-78"
    assert page.inner_text("#exchange-call code") == "pbx-78"
    assert page.inner_text("#exchange-at") == "2026-12-04 09:15:30"
    assert page.input_value("#id_received_at") == "2026-12-04 09:15"

    # saved: the call carries the exchange's id and is one record with the exchange's call
    _post(page.base_url, token, {"event": "answered", "call_id": "pbx-78", "extension": "801"})
    page.select_option("#id_valid", "1")
    page.fill("#id_summary", "咨询会员积分")
    page.click("#save-call")
    page.wait_for_selector("text=Call saved:", timeout=10000)
    call = Call.objects.get(exchange_call_id="pbx-78")
    assert ExchangeCall.objects.get(exchange_id="pbx-78").call == call
