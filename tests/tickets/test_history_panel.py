"""The caller-history panel: every provider's items for the number, newest first, open ones marked."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.core import registry
from csmgmt.core.registry import HistoryItem
from tests.factories import CallFactory, CustomerPhoneFactory
from tickets.selectors import caller_history, calls_history_provider

URL = reverse("tickets:history_panel")


def test_the_calls_provider_is_registered():
    assert calls_history_provider in registry.caller_history_providers()


def test_earlier_calls_of_the_number_in_any_format_newest_first(client_for):
    c = client_for("agent")
    now = timezone.now()
    old = CallFactory(caller_phone="13800138000", received_at=now - dt.timedelta(days=3), summary="三天前")
    new = CallFactory(caller_phone="13800138000", received_at=now - dt.timedelta(hours=1), summary="一小时前",
                      status="open", outcome="reply_promised", reply_due_at=now + dt.timedelta(hours=1))
    CallFactory(caller_phone="13912345678", summary="别人")
    response = c.get(URL, {"caller_phone": "+86 138-0013-8000"})
    items = response.context["history"].items
    assert [i.number for i in items] == [new.number, old.number]
    assert [i.is_open for i in items] == [True, False]
    html = response.content.decode()
    assert "一小时前" in html and "三天前" in html and "别人" not in html
    assert html.count("open-item") == 1


def test_the_profile_shows_name_and_tags(client_for):
    c = client_for("agent")
    CustomerPhoneFactory(number="13800138000", customer__name="陈建华", customer__tags=["VIP"])
    html = c.get(URL, {"caller_phone": "138 0013 8000"}).content.decode()
    assert "陈建华" in html and "VIP" in html


def test_a_new_number_says_new_caller(client_for):
    c = client_for("agent")
    response = c.get(URL, {"caller_phone": "13700001111"})
    assert response.context["history"].items == []
    assert 'id="history-empty"' in response.content.decode()


def test_a_few_digits_show_nothing_yet(client_for, django_assert_num_queries):
    c = client_for("agent")
    c.get(URL, {"caller_phone": "1"})
    with django_assert_num_queries(4):  # session, user, employee, roles: no search for "138"
        response = c.get(URL, {"caller_phone": "138"})
    assert response.context["history"].items == []


def test_other_apps_providers_are_merged_by_time(make_employee, monkeypatch):
    """A provider registered by another app (complaints, lost and found) appears in the same list."""
    agent = make_employee("agent")
    now = timezone.now()
    call = CallFactory(caller_phone="13800138000", received_at=now - dt.timedelta(days=2))
    seen = []

    def complaints_provider(phones, user):
        seen.append(list(phones))
        return [HistoryItem(kind="complaint", kind_label="投诉", number="TS-202611-0001", title="投诉",
                            when=now - dt.timedelta(days=1), url="/complaints/1/", is_open=True)]

    monkeypatch.setattr(registry, "_history", [*registry._history, complaints_provider])
    history = caller_history(phone="138 0013 8000", user=agent.user)
    assert [i.kind for i in history.items] == ["complaint", "call"]
    assert history.items[1].number == call.number
    assert seen == [["13800138000"]]


@pytest.mark.parametrize("n", [1, 20])
def test_the_panel_runs_a_fixed_number_of_queries(client_for, django_assert_num_queries, n):
    c = client_for("agent")
    CustomerPhoneFactory(number="13800138000", customer__name="陈建华")
    for i in range(n):
        CallFactory(caller_phone="13800138000", summary=f"第{i}次")
    c.get(URL, {"caller_phone": "13800138000"})
    # session, user, employee, roles; the profile; one query per provider (calls); the calls' recordings (issue 21)
    with django_assert_num_queries(10):
        response = c.get(URL, {"caller_phone": "13800138000"})
    assert len(response.context["history"].items) == n


def test_the_intake_page_renders_the_panel_for_a_number_in_the_url(client_for):
    c = client_for("agent")
    call = CallFactory(caller_phone="13800138000")
    response = c.get(reverse("tickets:intake"), {"phone": "13800138000"})
    assert call.number in response.content.decode()


@pytest.mark.parametrize("n", [1, 20])
def test_the_intake_page_with_a_number_runs_a_fixed_number_of_queries(client_for, django_assert_num_queries, n):
    c = client_for("agent")
    CustomerPhoneFactory(number="13800138000")
    for i in range(n):
        CallFactory(caller_phone="13800138000")
    url = reverse("tickets:intake")
    c.get(url, {"phone": "13800138000"})
    # session, user, employee, roles; profile; calls provider; holiday; scripts; colleagues, departments; unread
    # ... and the calls' recordings from the exchange (issue 21)
    with django_assert_num_queries(18):
        response = c.get(url, {"phone": "13800138000"})
    assert len(response.context["history"].items) == n
