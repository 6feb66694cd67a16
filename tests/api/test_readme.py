"""The README's "how to connect an exchange" examples work as written against the API."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from csmgmt.api.models import ExchangeCall
from tickets.models import Call

from .conftest import bearer

pytestmark = pytest.mark.django_db


def _section():
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    return text.split("## The integration API and connecting a telephone exchange")[1].split("\n## ")[0]


def _bodies(section):
    """Each curl example's URL path and JSON body (the `-d '…'` of the example)."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for command in re.split(r"\n(?=curl )", block.strip()):
            body = re.search(r"-d '(.*?)'", command, re.S)
            if body:
                url = re.search(r"https://csmgmt\.example(/api/[\w/-]+)", command)
                out.append((url.group(1) if url else None, json.loads(body.group(1))))
    return out


def test_the_readmes_examples_log_one_call_the_exchanges_events_build(client, integration, make_employee,
                                                                      client_for):
    agent = make_employee("agent", employee_no="E00042", extension="801")
    _obj, token = integration("telephony", "calls.write")
    examples = _bodies(_section())
    events = [body for _url, body in examples if "event" in body]
    assert [e["event"] for e in events] == ["ringing", "answered", "hangup"]
    for body in events:
        response = client.post("/api/telephony/events", json.dumps(body), content_type="application/json",
                               **bearer(token))
        assert response.status_code == 200, response.content
    [(url, call)] = [(url, body) for url, body in examples if "agent" in body]
    assert url == "/api/calls"
    response = client.post(url, json.dumps(call), content_type="application/json", **bearer(token))
    assert response.status_code == 201, response.content
    xcall = ExchangeCall.objects.get()
    assert xcall.call == Call.objects.get() and xcall.agent == agent
    assert xcall.recording == "https://pbx.example/rec/pbx-1001.wav"
    # the intake link the README gives opens the intake prefilled
    link = re.search(r"`(/calls/new/\?[^`]+)`", _section()).group(1)
    form = client_for(agent).get(link).context["form"]
    assert (form["caller_phone"].value(), form["direction"].value(), form["exchange_call_id"].value()) == \
        ("13800138000", "in", "pbx-1001")
    assert reverse("tickets:intake") == link.split("?")[0]


def test_the_readme_names_the_documentation_that_is_served(client_for):
    section = _section()
    assert "`/api/docs`" in section and "`/api/openapi.json`" in section
    staff = client_for("agent")
    assert staff.get("/api/docs").status_code == 200
    schema = staff.get("/api/openapi.json").json()
    assert {"/api/calls", "/api/telephony/events", "/api/customers/lookup"} <= set(schema["paths"])
    assert "exchange_call_id" in json.dumps(schema["components"])
