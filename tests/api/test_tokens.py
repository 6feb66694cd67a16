"""Integration tokens: stored hashed, shown once, revoked with a reason; refusals say why; throttled per token."""

import hashlib
import re

import pytest
from django.urls import reverse

from csmgmt.api.models import Integration

from .conftest import bearer

pytestmark = pytest.mark.django_db
FOUND = "/api/found-items"


def test_only_the_sha256_of_the_token_is_stored(integration):
    obj, token = integration("lostfound.search")
    assert token.startswith("csm_") and len(token) > 40
    row = Integration.objects.values().get(pk=obj.pk)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row)
    assert row["token_prefix"] == token[:12]


def test_the_integration_acts_as_a_system_employee_with_no_login(integration):
    obj, _token = integration("lostfound.search")
    user = obj.employee.user
    assert not user.has_usable_password()
    assert user.is_active is False and obj.employee.active is False
    assert obj.employee.name == "Integration: 话务交换机"


def test_a_good_token_is_served_and_its_use_recorded(client, integration):
    obj, token = integration("lostfound.search")
    assert obj.last_used_at is None
    response = client.get(FOUND, **bearer(token))
    assert response.status_code == 200
    assert response.json() == []
    obj.refresh_from_db()
    assert obj.last_used_at is not None


@pytest.mark.parametrize(("headers", "code"), [
    ({}, "token_missing"),
    ({"HTTP_AUTHORIZATION": "Basic abc"}, "token_missing"),
    ({"HTTP_AUTHORIZATION": "Bearer csm_not-a-token"}, "token_unknown"),
])
def test_a_missing_or_unknown_token_is_refused_saying_why(client, integration, headers, code):
    integration("lostfound.search")
    response = client.get(FOUND, HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 401
    assert response.json()["error"] == code
    assert response.json()["detail"]


def test_a_missing_ability_is_refused_naming_it(client, integration):
    _obj, token = integration("calls.read")
    response = client.get(FOUND, **bearer(token))
    assert response.status_code == 403
    assert response.json() == {"error": "ability_missing",
                               "detail": "This token may not do this: it needs the ability “lostfound.search”."}


def test_a_revoked_token_is_refused_with_the_reason(client, integration, make_employee):
    from csmgmt.api.services import integration_revoke

    obj, token = integration("lostfound.search")
    integration_revoke(integration=obj, by=make_employee("admin"), reason="交换机更换")
    response = client.get(FOUND, **bearer(token))
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "token_revoked"
    assert body["detail"].startswith("This token was revoked on ") and body["detail"].endswith(": 交换机更换")
    obj.refresh_from_db()
    assert obj.last_used_at is None


def test_the_token_is_throttled_per_minute_per_token(client, integration):
    _obj, token = integration("lostfound.search", rate=3)
    _other, other_token = integration("lostfound.search", rate=3, name="另一个")
    codes = [client.get(FOUND, **bearer(token)).status_code for _ in range(4)]
    if codes != [200, 200, 200, 429]:  # the minute turned over in the middle: once more, in a new minute
        codes = [client.get(FOUND, **bearer(token)).status_code for _ in range(4)]
    assert codes[-1] == 429
    body = client.get(FOUND, **bearer(token)).json()
    assert body["error"] == "rate_limited"
    assert "at most 3 a minute" in body["detail"]
    assert client.get(FOUND, **bearer(other_token)).status_code == 200  # another token has its own count


def test_the_default_rate_is_60_a_minute(integration):
    obj, _token = integration("lostfound.search", rate=60)
    assert Integration._meta.get_field("rate_per_minute").default == 60
    assert obj.rate_per_minute == 60


# --- the managers' pages ----------------------------------------------------------------------------------------


def _token_field(html):
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_a_manager_or_administrator_creates_one_and_sees_the_token_once(client_for, role):
    client = client_for(role)
    page = client.get(reverse("integrations:new")).content.decode()
    data = {"form_token": _token_field(page), "name": "工单系统", "abilities": ["calls.read", "calls.write"],
            "rate_per_minute": "60"}
    response = client.post(reverse("integrations:new"), data)
    obj = Integration.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("integrations:detail", args=[obj.pk])
    shown = client.get(response["Location"]).content.decode()
    token = re.search(r'id="integration-token"[^>]*>([^<]+)<', shown).group(1)
    # shown once: the page shows it no more
    assert token not in client.get(response["Location"]).content.decode()
    assert obj.name == "工单系统" and obj.abilities == ["calls.read", "calls.write"]
    assert obj.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert obj.created_by == client.employee
    # the same form again makes nothing and never shows the token again
    again = client.post(reverse("integrations:new"), data)
    assert again.status_code == 302
    assert Integration.objects.count() == 1
    detail = client.get(again["Location"]).content.decode()
    assert token not in detail
    assert token not in client.get(reverse("integrations:list")).content.decode()


@pytest.mark.parametrize("role", ["agent", "supervisor", "handler", "custodian"])
def test_other_roles_may_not_create_list_or_revoke(client_for, integration, role):
    obj, _token = integration("calls.read")
    client = client_for(role)
    assert client.get(reverse("integrations:list")).status_code == 403
    assert client.get(reverse("integrations:new")).status_code == 403
    assert client.post(reverse("integrations:new"), {"name": "x", "abilities": ["calls.read"],
                                                     "rate_per_minute": "60"}).status_code == 403
    assert client.post(reverse("integrations:revoke", args=[obj.pk]), {"reason": "x"}).status_code == 403
    assert Integration.objects.count() == 1
    obj.refresh_from_db()
    assert obj.revoked_at is None


def test_revoking_needs_a_reason_and_leaves_a_trail(client_for, integration):
    obj, _token = integration("calls.read")
    client = client_for("manager")
    client.post(reverse("integrations:revoke", args=[obj.pk]), {"reason": "  "})
    obj.refresh_from_db()
    assert obj.revoked_at is None
    client.post(reverse("integrations:revoke", args=[obj.pk]), {"reason": "不再使用"})
    obj.refresh_from_db()
    assert obj.revoked_by == client.employee and obj.revoke_reason == "不再使用" and obj.revoked_at is not None
    latest = obj.history.order_by("-history_date").first()
    assert latest.revoke_reason == "不再使用" and latest.history_user == client.employee.user
    page = client.get(reverse("integrations:detail", args=[obj.pk])).content.decode()
    assert "不再使用" in page


def test_the_api_documentation_is_for_logged_in_staff(client, client_for):
    assert client.get("/api/docs").status_code == 302
    assert client_for("agent").get("/api/docs").status_code == 200
    schema = client_for("agent").get("/api/openapi.json").json()
    assert {"/api/customers/lookup", "/api/calls", "/api/calls/{number}", "/api/complaints/{number}",
            "/api/found-items"} <= set(schema["paths"])
