"""Click-to-dial against a small real HTTP server standing in for the exchange: exactly one call."""

import json

import pytest
from django.urls import reverse

from csmgmt.api.models import ExchangeCall

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_click_to_dial_makes_one_call_that_the_exchanges_events_update(client_for, client, integration, exchange):
    received, _state = exchange
    agent = client_for("agent", extension="801")
    response = agent.post(reverse("telephony:dial"), {"number": "138 0013 8000"})
    assert response.status_code == 302
    assert len(received) == 1
    path, auth, body = received[0]
    assert path == "/dial" and auth == "Bearer pbx-secret"
    assert body["extension"] == "801" and body["number"] == "13800138000" and body["call_id"].startswith("csm-")
    xcall = ExchangeCall.objects.get()
    assert (xcall.exchange_id, xcall.direction, xcall.caller, xcall.dialled_by) == \
        (body["call_id"], "out", "13800138000", agent.employee)
    # the exchange reports the call under the id it was given: the same call, not a second one
    _obj, token = integration("telephony")
    for event in ({"event": "answered", "extension": "801"}, {"event": "hangup", "duration": 42, "cause": "normal"}):
        sent = client.post("/api/telephony/events", json.dumps({**event, "call_id": body["call_id"]}),
                           content_type="application/json", **bearer(token))
        assert sent.status_code == 200
    assert ExchangeCall.objects.count() == 1
    xcall.refresh_from_db()
    assert xcall.answered_at is not None and xcall.duration_seconds == 42 and xcall.missed is False


def test_an_exchange_that_refuses_leaves_no_call(client_for, exchange):
    _received, state = exchange
    state["status"] = 500
    agent = client_for("agent", extension="801")
    agent.post(reverse("telephony:dial"), {"number": "13800138000"})
    assert ExchangeCall.objects.count() == 0


def test_no_extension_or_another_role_dials_nothing(client_for, exchange):
    received, _state = exchange
    client_for("agent").post(reverse("telephony:dial"), {"number": "13800138000"})  # no extension
    assert client_for("custodian", extension="809").post(reverse("telephony:dial"),
                                                         {"number": "13800138000"}).status_code == 403
    assert received == [] and ExchangeCall.objects.count() == 0
