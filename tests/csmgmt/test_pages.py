"""Home page per role, language switching, login lock-out, error pages."""

import pytest
from django.test import Client

from staff.models import Employee
from tests.factories import EmployeeFactory


@pytest.mark.parametrize("role", ["agent", "supervisor", "manager", "handler", "custodian", "admin"])
def test_every_role_has_a_home_page_even_when_empty(client_for, role):
    response = client_for(role).get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "My work" in html
    assert "Nothing new. Reminders and approvals will appear here." in html


def test_the_admin_sees_the_administration_menu_and_an_agent_does_not(client_for):
    assert "Import employees" in client_for("admin").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import employees" not in client_for("agent").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_switching_language_is_remembered_on_the_employee(client_for):
    c = client_for("agent")
    response = c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert Employee.objects.get(pk=c.employee.pk).language == "zh-hans"
    # The saved choice wins over what the browser asks for.
    assert "我的工作" in c.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My work" in c.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_an_unknown_language_or_an_outside_next_is_ignored(client_for):
    c = client_for("agent")
    response = c.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert Employee.objects.get(pk=c.employee.pk).language == ""


def test_login_and_logout(db):
    EmployeeFactory(user__username="wang", roles=["agent"])
    c = Client()
    response = c.post("/accounts/login/", {"username": "wang", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert c.get("/").status_code == 200
    c.post("/accounts/logout/")
    assert c.get("/").status_code == 302


def test_repeated_failed_logins_lock_the_login(db, settings):
    EmployeeFactory(user__username="wang", roles=["agent"])
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    response = c.post("/accounts/login/", {"username": "wang", "password": "demo"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in c.session


def test_a_missing_page_is_a_friendly_404(client_for):
    response = client_for("agent").get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_every_response_carries_a_request_id_and_a_csp_without_inline_script(client_for):
    response = client_for("agent").get("/")
    assert len(response["X-Request-ID"]) == 16
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_changing_the_password_end_to_end(db):
    EmployeeFactory(user__username="wang", roles=["agent"])
    c = Client()
    assert c.post("/accounts/login/", {"username": "wang", "password": "demo"}).status_code == 302
    page = c.get("/accounts/password/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()
    # a wrong old password changes nothing
    refused = c.post("/accounts/password/", {"old_password": "wrong", "new_password1": "Kefu#2026-dec",
                                             "new_password2": "Kefu#2026-dec"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "Your old password was entered incorrectly" in refused.content.decode()
    response = c.post("/accounts/password/", {"old_password": "demo", "new_password1": "Kefu#2026-dec",
                                              "new_password2": "Kefu#2026-dec"}, follow=True)
    assert response.redirect_chain == [("/accounts/password/done/", 302)]
    assert response.status_code == 200
    assert c.get("/").status_code == 200  # still logged in after the change
    c.post("/accounts/logout/")
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": "wang", "password": "demo"}).status_code == 200  # old: no
    assert "_auth_user_id" not in fresh.session
    assert fresh.post("/accounts/login/", {"username": "wang", "password": "Kefu#2026-dec"}).status_code == 302
    assert fresh.get("/").status_code == 200
