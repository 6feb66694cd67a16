import pytest

from tests.factories import ComplaintFactory, DepartmentFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def qa(db):
    return DepartmentFactory(name="质量管理部", code="QA")


@pytest.fixture
def people(make_employee, qa):
    """One employee per role; the handler works in QA; the agent reports to the supervisor."""
    supervisor = make_employee("supervisor")
    manager = make_employee("manager")
    agent = make_employee("agent", supervisor=supervisor)
    handler = make_employee("handler", department=qa)
    custodian = make_employee("custodian")
    admin = make_employee("admin")
    qa.head = handler
    qa.save()
    return {"agent": agent, "supervisor": supervisor, "manager": manager, "handler": handler,
            "custodian": custodian, "admin": admin}


@pytest.fixture
def complaint_at(people, qa):
    """complaint_at(stage, **fields): a complaint of the agent, assigned to QA from the plan stage on."""

    def make(stage="analyse", **fields):
        if stage not in ("analyse", "assign") or "responsible_department" in fields:
            fields.setdefault("responsible_department", qa)
        fields.setdefault("against_department", qa)
        fields.setdefault("agent", people["agent"])
        return ComplaintFactory(stage=stage, **fields)

    return make

