"""The recording the hang-up event brought is shown on the call's page and beside the call in the caller's
history."""

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse

from csmgmt.api.models import ExchangeCall
from tickets.models import Call

from .conftest import bearer

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _send(client, token, **event):
    body = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in event.items()}
    response = client.post("/api/telephony/events", json.dumps(body), content_type="application/json",
                           **bearer(token))
    assert response.status_code == 200, response.content


def _logged_call(client, integration, agent, recording):
    """A call rung, answered at the agent's extension, hung up (with ``recording``), logged from the pop-up."""
    _obj, token = integration("telephony")
    _send(client, token, event="ringing", call_id="pbx-r1", at=T0, caller="13744445555", extension="801",
          direction="in")
    _send(client, token, event="answered", call_id="pbx-r1", at=T0 + dt.timedelta(seconds=5), extension="801")
    _send(client, token, event="hangup", call_id="pbx-r1", at=T0 + dt.timedelta(seconds=75), duration=70,
          cause="normal", **({"recording": recording} if recording else {}))
    agent.post(reverse("tickets:intake"), {
        "form_token": str(uuid.uuid4()), "caller_phone": "13744445555", "caller_name": "郑洁", "address_form": "ms",
        "channel": "phone", "direction": "in", "category": "enquiry", "importance": "normal", "urgency": "normal",
        "summary": "查询订单", "outcome": "resolved", "valid": "1", "exchange_call_id": "pbx-r1"})
    call = Call.objects.get()
    assert ExchangeCall.objects.get().call == call
    return call


def test_the_call_page_shows_the_recording_the_hang_up_brought(client, client_for, integration):
    agent = client_for("agent", extension="801")
    call = _logged_call(client, integration, agent, "https://pbx.example/rec/pbx-r1.wav")
    html = agent.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert 'data-exchange-call-id="pbx-r1"' in html
    assert ('<dd class="col-sm-8" id="call-recording"><a href="https://pbx.example/rec/pbx-r1.wav" target="_blank" '
            'rel="noopener noreferrer">') in html
    assert '<dt class="col-sm-4">duration (s)</dt><dd class="col-sm-8">70</dd>' in html


def test_a_reference_that_is_not_an_address_is_shown_as_text_never_a_link(client, client_for, integration):
    agent = client_for("agent", extension="801")
    call = _logged_call(client, integration, agent, "javascript:alert(1)")
    html = agent.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert '<dd class="col-sm-8" id="call-recording"><code>javascript:alert(1)</code></dd>' in html
    assert 'href="javascript:' not in html


def test_a_call_without_a_recording_says_so(client, client_for, integration):
    agent = client_for("agent", extension="801")
    call = _logged_call(client, integration, agent, "")
    html = agent.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert '<dd class="col-sm-8" id="call-recording">—</dd>' in html


def test_the_caller_history_lists_the_calls_recording(client, client_for, integration):
    agent = client_for("agent", extension="801")
    call = _logged_call(client, integration, agent, "https://pbx.example/rec/pbx-r1.wav")
    html = agent.get(reverse("tickets:history_panel"), {"caller_phone": "137 4444 5555"}).content.decode()
    item = html.split(f">{call.number}</a>")[1].split("</span>")[0]
    assert 'data-recording="https://pbx.example/rec/pbx-r1.wav"' in item
    assert '<a href="https://pbx.example/rec/pbx-r1.wav" target="_blank" rel="noopener noreferrer">Recording</a>' in item


def test_a_page_without_exchange_calls_shows_no_exchange_panel(client_for):
    from tests.factories import CallFactory

    agent = client_for("agent")
    call = CallFactory(agent=agent.employee)
    html = agent.get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert 'id="exchange-call"' not in html and 'id="call-recording"' not in html
