"""Click-to-dial on every phone number (``{% phone number %}``): the formatted number and, for a user with an
extension where the exchange's webhook is configured, a dial button; one click makes one call, which the
exchange's events then update."""

import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csmgmt.api.models import ExchangeCall
from tests.factories import CallFactory, ComplaintFactory, CustomerFactory, CustomerPhoneFactory, FoundItemFactory, \
    LostReportFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db
NUMBER = "13922223333"
SHOWN = "139 2222 3333"


def _dial_forms(html: str) -> list[dict]:
    """The dial buttons' forms on a page: their hidden fields."""
    forms = re.findall(r'<form method="post" action="/phone/dial/"[^>]*>(.*?)</form>', html, re.S)
    return [{k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', f)}
            for f in forms]


def _pages(who):
    """Every kind of page that shows a phone number, with NUMBER on it, as ``who`` sees it."""
    customer = CustomerFactory(name="吴强")
    CustomerPhoneFactory(customer=customer, number=NUMBER)
    call = CallFactory(caller_phone=NUMBER, agent=who, customer=customer)
    complaint = ComplaintFactory(complainant_phone=NUMBER)
    report = LostReportFactory(owner_phone=NUMBER)
    item = FoundItemFactory(finder_phone=NUMBER)
    return {
        "call": reverse("tickets:detail", args=[call.pk]),
        "call list": reverse("tickets:list"),
        "customer": reverse("tickets:customer_detail", args=[customer.pk]),
        "customer list": reverse("tickets:customers"),
        "complaint": reverse("complaints:detail", args=[complaint.pk]),
        "lost report": reverse("lostfound:report", args=[report.pk]),
        "found item": reverse("lostfound:item", args=[item.pk]),
    }


def test_every_page_shows_its_numbers_with_a_dial_button(client_for, exchange):
    supervisor = client_for("supervisor", extension="805")
    for name, url in _pages(supervisor.employee).items():
        response = supervisor.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<span class="phone text-nowrap" data-phone="{NUMBER}">{SHOWN}' in html, name
        assert {"number": NUMBER, "next": url} in [{k: f[k] for k in ("number", "next")} for f in _dial_forms(html)], \
            name


@pytest.mark.parametrize("case", ["no extension", "no webhook"])
def test_without_an_extension_or_a_webhook_the_number_is_plain_text(client_for, exchange, settings, case):
    if case == "no webhook":
        settings.TELEPHONY_DIAL_URL = ""
    supervisor = client_for("supervisor", extension="" if case == "no extension" else "805")
    for name, url in _pages(supervisor.employee).items():
        html = supervisor.get(url).content.decode()
        assert f'<span class="phone text-nowrap" data-phone="{NUMBER}">{SHOWN}</span>' in html, name
        assert _dial_forms(html) == [], name


def test_one_click_on_a_complaints_number_makes_one_call_that_the_events_update(client_for, client, exchange,
                                                                                integration):
    received, _state = exchange
    supervisor = client_for("supervisor", extension="805")
    complaint = ComplaintFactory(complainant_phone=NUMBER)
    page = reverse("complaints:detail", args=[complaint.pk])
    [form] = _dial_forms(supervisor.get(page).content.decode())
    response = supervisor.post(reverse("telephony:dial"), form)
    assert response.status_code == 302 and response["Location"] == page
    assert len(received) == 1
    _path, _auth, body = received[0]
    assert (body["extension"], body["number"]) == ("805", NUMBER)
    xcall = ExchangeCall.objects.get()
    assert (xcall.exchange_id, xcall.direction, xcall.caller, xcall.dialled_by) == \
        (body["call_id"], "out", NUMBER, supervisor.employee)
    _obj, token = integration("telephony")
    for event in ({"event": "ringing", "extension": "805", "direction": "out", "caller": NUMBER},
                  {"event": "answered", "extension": "805"},
                  {"event": "hangup", "duration": 65, "cause": "normal", "recording": "https://pbx.example/r/1.wav"}):
        sent = client.post("/api/telephony/events", json.dumps({**event, "call_id": body["call_id"]}),
                           content_type="application/json", **bearer(token))
        assert sent.status_code == 200, sent.content
    assert ExchangeCall.objects.count() == 1
    xcall.refresh_from_db()
    assert (xcall.agent, xcall.duration_seconds, xcall.recording) == \
        (supervisor.employee, 65, "https://pbx.example/r/1.wav")


def test_the_dial_buttons_ask_no_query_per_row(client_for, exchange):
    supervisor = client_for("supervisor", extension="805")
    url = reverse("tickets:list")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            html = supervisor.get(url).content.decode()
        return len(ctx.captured_queries), len(_dial_forms(html))

    CallFactory.create_batch(2, agent=supervisor.employee)
    few = queries()
    CallFactory.create_batch(8, agent=supervisor.employee)
    many = queries()
    assert (few[1], many[1]) == (2, 10)
    assert many[0] == few[0]
