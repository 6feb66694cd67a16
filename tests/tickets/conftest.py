import pytest

from tests.factories import DepartmentFactory


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
    """A valid intake POST (what the browser sends), to override per test."""

    def make(**over):
        data = {"caller_phone": "138 0013 8000", "caller_name": "陈建华", "address_form": "mr", "organisation": "",
                "channel": "phone", "direction": "in", "category": "enquiry", "importance": "normal",
                "urgency": "normal", "summary": "咨询积分规则", "details": "", "outcome": "resolved",
                "department": "", "reply_due_at": ""}
        data.update(over)
        return data

    return make
