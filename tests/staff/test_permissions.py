import pytest

from csmgmt.core.permissions import ABILITIES, can, roles_of
from csmgmt.core.roles import Role
from staff.services import employee_deactivate
from tests.factories import EmployeeFactory


def test_roles_imply_the_ones_below(make_employee):
    assert roles_of(make_employee("manager").user) == {Role.MANAGER, Role.SUPERVISOR, Role.AGENT}
    assert roles_of(make_employee("supervisor").user) == {Role.SUPERVISOR, Role.AGENT}
    assert roles_of(make_employee("handler").user) == {Role.HANDLER}
    assert roles_of(make_employee("agent", "custodian").user) == {Role.AGENT, Role.CUSTODIAN}


@pytest.mark.parametrize(("role", "ability", "allowed"), [
    ("agent", "tickets.log_call", True),
    ("agent", "complaints.approve", False),
    ("supervisor", "complaints.approve", True),
    ("supervisor", "complaints.approve_major", False),
    ("manager", "complaints.approve_major", True),
    ("handler", "tickets.view_all_calls", False),
    ("handler", "complaints.view_department", True),
    ("handler", "lostfound.view", False),
    ("custodian", "lostfound.finance_handover", True),
    ("agent", "lostfound.finance_handover", False),
    ("admin", "staff.import_employees", True),
    ("manager", "staff.import_employees", False),
])
def test_the_ability_table(make_employee, role, ability, allowed):
    assert can(make_employee(role).user, ability) is allowed


def test_a_deactivated_employee_can_do_nothing_and_cannot_log_in(make_employee, client):
    employee = make_employee("manager")
    employee_deactivate(employee=employee)
    employee.user.refresh_from_db()
    assert not any(can(employee.user, a) for a in ABILITIES)
    response = client.post("/accounts/login/", {"username": employee.user.username, "password": "demo"})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_an_unknown_ability_is_a_programming_error(make_employee):
    with pytest.raises(KeyError):
        can(make_employee("agent").user, "tickets.fly")


def test_anonymous_users_hold_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert roles_of(AnonymousUser()) == frozenset()


def test_a_user_without_any_role_gets_a_friendly_403(client, db):
    nobody = EmployeeFactory()
    client.force_login(nobody.user)
    response = client.get("/staff/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
    response = client.get("/staff/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "您无权打开此页面" in response.content.decode()


@pytest.mark.parametrize("model", ["auth/user", "staff/employee", "staff/department"])
def test_the_django_admin_cannot_delete_people_or_departments(client_for, model):
    admin_client = client_for("admin")
    target = admin_client.employee
    pk = {"auth/user": target.user.pk, "staff/employee": target.pk, "staff/department": target.department.pk}[model]
    response = admin_client.post(f"/admin/{model}/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    from staff.models import Department, Employee

    assert Employee.objects.filter(pk=target.pk).exists()
    assert Department.objects.filter(pk=target.department.pk).exists()
