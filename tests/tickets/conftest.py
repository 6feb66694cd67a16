import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.factories import CallFactory, DepartmentFactory


@pytest.fixture
def qa(db):
    return DepartmentFactory(name="质量管理部", code="QA")


@pytest.fixture
def eng(db):
    return DepartmentFactory(name="工程部", code="ENG")


@pytest.fixture
def agent(make_employee):
    return make_employee("agent")


@pytest.fixture
def supervisor(make_employee):
    return make_employee("supervisor")


@pytest.fixture
def intake_data():
    """A valid intake POST (what the browser sends, with a fresh one-time token each), to override per test."""

    def make(**over):
        data = {"form_token": str(uuid.uuid4()), "caller_phone": "138 0013 8000", "caller_name": "陈建华",
                "address_form": "mr", "organisation": "",
                "channel": "phone", "direction": "in", "category": "enquiry", "importance": "normal",
                "urgency": "normal", "summary": "咨询积分规则", "details": "", "outcome": "resolved",
                "department": "", "reply_due_at": "", "valid": "1"}
        data.update(over)
        return data

    return make


@pytest.fixture
def people(make_employee, eng, qa):
    """One employee per role (the workflow tests): the handler works in QA; the owner of ``call_at``'s calls is
    an agent; the department handler works in 工程部, where those calls are transferred; a colleague takes
    hand-overs."""
    people = {role: make_employee(role) for role in ("agent", "supervisor", "manager", "custodian", "admin")}
    people["handler"] = make_employee("handler", department=qa)
    people["owner"] = make_employee("agent")
    people["department_handler"] = make_employee("handler", department=eng)
    people["colleague"] = make_employee("agent")
    return people


@pytest.fixture
def call_at(people, eng):
    """call_at(status): a call of the owner, transferred to 工程部 while open, resolved when closed."""

    def make(status):
        fields = {"status": status, "agent": people["owner"], "owner": people["owner"]}
        if status == "closed":
            fields.update(outcome="resolved", closed_at=timezone.now())
        else:
            fields.update(outcome="transferred", department=eng,
                          reply_due_at=timezone.now() + dt.timedelta(hours=2))
        if status == "voided":
            fields["void_reason"] = "重复登记"
        return CallFactory(**fields)

    return make
