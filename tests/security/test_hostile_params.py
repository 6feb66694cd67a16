"""Hostile query strings (issue 16, point 1), through the web layer: what the probe sent — a NUL in a search box,
``?month=9999-12`` on the month pages and the statistics download, a page or id larger than any integer column —
is answered 200 with the default and a message naming the bad value, never a 500, and never reaches PostgreSQL.
Every page's parameters are declared with ``@reads`` (``csmgmt/core/params.py``); ``test_fuzz.py`` throws random
values at all of them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.security.probe import client_as

NUL = "Characters that cannot be searched were left out."
MONTH = "“9999-12” is not a month between 2000-01 and 2099-12: showing the default."
NO_PAGE = "There is no page “99999999999999999999”: showing the first page."
HUGE = "99999999999999999999"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _get(world, role, name, query):
    return client_as(world.users[role]).get(reverse(name), query, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(("name", "role"), [
    ("complaints:mine", "agent"), ("complaints:all", "agent"), ("complaints:approvals", "supervisor"),
    ("complaints:department", "handler"), ("complaints:overdue", "agent"), ("complaints:revisits", "agent"),
    ("tickets:customers", "agent"), ("tickets:list", "agent"), ("lostfound:items", "agent"),
    ("lostfound:reports", "agent"),
])
@pytest.mark.parametrize("q", ["\x00", "手机\x00' OR 1=1"], ids=["nul", "nul-inside"])
def test_a_nul_in_a_search_box_is_left_out_with_a_message(world, db, name, role, q):
    response = _get(world, role, name, {"q": q})
    assert response.status_code == 200
    assert NUL in response.content.decode()


@pytest.mark.parametrize(("name", "role"), [
    ("staff:attendance_my", "agent"), ("staff:attendance_team", "supervisor"),
    ("complaints:statistics", "supervisor"), ("lostfound:summary", "agent"), ("staff:scoring_month", "supervisor"),
    ("staff:scoring_card", "agent"), ("quality:month", "supervisor"), ("quality:mine", "agent"),
])
def test_a_month_out_of_range_shows_this_month_with_a_message(world, db, name, role):
    response = _get(world, role, name, {"month": "9999-12"})
    assert response.status_code == 200
    body = response.content.decode()
    assert MONTH in body
    assert timezone.localdate().strftime("%Y-%m") in body  # the default month is shown


def test_the_statistics_download_of_month_9999_12_is_this_months(world, db):
    response = _get(world, "supervisor", "complaints:statistics_xlsx", {"month": "9999-12"})
    assert response.status_code == 200
    assert f'complaints-{timezone.localdate():%Y-%m}.xlsx' in response["Content-Disposition"]


def test_the_team_workbook_of_a_bad_month_is_refused_with_a_message(world, db):
    response = client_as(world.users["supervisor"]).get(reverse("reports:team"), {"month": "9999-12"},
                                                        HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    assert MONTH in response.content.decode()


@pytest.mark.parametrize(("name", "role"), [
    ("tickets:list", "agent"), ("tickets:customers", "agent"), ("complaints:mine", "agent"),
    ("lostfound:items", "agent"), ("staff:notifications", "agent"), ("staff:attendance_duty", "agent"),
])
def test_a_page_number_beyond_any_integer_shows_the_first_page(world, db, name, role):
    response = _get(world, role, name, {"page": HUGE})
    assert response.status_code == 200
    assert NO_PAGE in response.content.decode()


@pytest.mark.parametrize(("name", "role", "param"), [
    ("complaints:statistics", "supervisor", "department"), ("tickets:list", "agent", "agent"),
    ("tickets:list", "agent", "department"), ("staff:scoring_manual_list", "supervisor", "before"),
])
def test_an_id_beyond_any_integer_is_ignored_with_a_message(world, db, name, role, param):
    response = _get(world, role, name, {param: HUGE})
    assert response.status_code == 200
    assert f"“{HUGE[:20]}” is not a valid" in response.content.decode()


@pytest.mark.parametrize(("name", "role", "param"), [
    ("lostfound:items", "agent", "date_from"), ("lostfound:custody", "custodian", "day"),
    ("staff:attendance_roster", "supervisor", "start"), ("tickets:list", "agent", "date_to"),
    ("staff:attendance_correction_new", "agent", "date"), ("complaints:revisit_week", "manager", "week"),
])
@pytest.mark.parametrize("value", ["9999-99-99", "\x00", "0001-01-01"])
def test_a_bad_date_is_ignored_with_a_message(world, db, name, role, param, value):
    response = _get(world, role, name, {param: value})
    assert response.status_code == 200
    assert "is not a date (YYYY-MM-DD) between 2000 and 2099: showing the default." in response.content.decode()
