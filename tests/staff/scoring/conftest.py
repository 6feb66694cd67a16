import datetime as dt

import pytest

from staff.models import RuleSet
from staff.rules import Event
from staff.scoring.presets import presets_install


@pytest.fixture
def presets(db):
    """The two presets (installed by the data migration; re-installed after a flushing test)."""
    presets_install()
    return {r.code: r for r in RuleSet.objects.all()}


@pytest.fixture
def fines_active(presets):
    from staff.scoring.services.rule_sets import rule_set_activate
    from tests.factories import EmployeeFactory

    manager = EmployeeFactory(roles=["manager"])
    rule_set_activate(rule_set=presets["fines"], by=manager)
    return presets["fines"]


@pytest.fixture
def ev():
    def make(employee, day, kind, source=None, month=11, year=2026):
        return Event(employee_id=employee.pk, date=dt.date(year, month, day), kind=kind,
                     source=source or f"attendance:day:{employee.pk}{day:02d}{kind}")

    return make


@pytest.fixture(autouse=True)
def _english():
    """Services' messages are asserted in English (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
