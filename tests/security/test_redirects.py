"""Where a form sends the user afterwards (issue 16, point 2): every ``next`` goes through
``csmgmt.core.redirects.safe_next`` — a path on this site is followed; another host, a protocol-relative URL, a
``javascript:`` URL or a URL name is not (the page's default instead), and never a 500."""

import pytest
from django.urls import reverse

from tests.security.probe import client_as

HOSTILE = ["https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)", "\x00", "staff:notifications",
           "http:///elsewhere.example", "/\\elsewhere.example", " https://elsewhere.example", "data:text/html,x",
           "https:elsewhere.example"]


@pytest.mark.parametrize("next_url", HOSTILE)
def test_marking_notifications_read_never_leaves_the_site(world, db, next_url):
    client = client_as(world.users["agent"])
    response = client.post(reverse("staff:notifications_read_all"), {"confirm": "1", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:notifications")


def test_marking_notifications_read_follows_a_path_on_this_site(world, db):
    client = client_as(world.users["agent"])
    response = client.post(reverse("staff:notification_read", args=[world.objects["notification"].pk]),
                           {"confirm": "1", "next": "/staff/attendance/my/?month=2026-11"})
    assert response["Location"] == "/staff/attendance/my/?month=2026-11"


@pytest.mark.parametrize("next_url", HOSTILE)
def test_the_leave_decision_never_leaves_the_site(world, db, next_url):
    client = client_as(world.users["manager"])
    url = reverse("staff:attendance_leave_decide", args=[world.objects["leave"].pk])
    response = client.post(url, {"action": "refuse", "comment": "人手不足", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:attendance_approvals")


def test_the_leave_decision_goes_back_to_the_leave_page(world, db):
    client = client_as(world.users["manager"])
    leave_url = reverse("staff:attendance_leave_detail", args=[world.objects["leave"].pk])
    response = client.post(reverse("staff:attendance_leave_decide", args=[world.objects["leave"].pk]),
                           {"action": "refuse", "comment": "人手不足", "next": leave_url})
    assert response["Location"] == leave_url


@pytest.mark.parametrize("next_url", HOSTILE)
def test_the_language_switch_never_leaves_the_site(world, db, next_url):
    response = client_as(world.users["agent"]).post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
