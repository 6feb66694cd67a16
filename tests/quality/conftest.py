"""A small department for the quality tests: a manager; supervisor 李 with agents 张 and 刘; supervisor 赵 with
agent 周; calls of March 2025 (a month long over): 张 8, 刘 3, 周 6, and one voided call of 张."""

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from tests.factories import CallFactory, EmployeeFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTH = dt.date(2025, 3, 1)


def at(day, hour=10):
    return dt.datetime(2025, 3, day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _english(settings):
    """The services' messages and the pages in English (the tests match them)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def team(db):
    manager = EmployeeFactory(roles=["manager"], name="王经理")
    sup = EmployeeFactory(roles=["supervisor"], name="李主管", supervisor=manager)
    sup2 = EmployeeFactory(roles=["supervisor"], name="赵主管", supervisor=manager)
    a1 = EmployeeFactory(roles=["agent"], name="张伟", supervisor=sup)
    a2 = EmployeeFactory(roles=["agent"], name="刘洋", supervisor=sup)
    b1 = EmployeeFactory(roles=["agent"], name="周敏", supervisor=sup2, team="二组")
    calls = {
        "a1": [CallFactory(agent=a1, received_at=at(d)) for d in range(1, 9)],
        "a2": [CallFactory(agent=a2, received_at=at(d)) for d in (2, 4, 31)],
        "b1": [CallFactory(agent=b1, received_at=at(d)) for d in range(10, 16)],
    }
    voided = CallFactory(agent=a1, received_at=at(20), status="voided", void_reason="重复登记")
    # outside the month: the last minute of February and the first of April (Shanghai time)
    CallFactory(agent=a1, received_at=dt.datetime(2025, 2, 28, 23, 59, tzinfo=SHANGHAI))
    CallFactory(agent=a1, received_at=dt.datetime(2025, 4, 1, 0, 0, tzinfo=SHANGHAI))
    return SimpleNamespace(manager=manager, sup=sup, sup2=sup2, a1=a1, a2=a2, b1=b1, calls=calls, voided=voided)


def full_marks(inspection) -> dict:
    return {item.pk: (item.points, "") for item in inspection.checklist.items.all()}


def scores_by_name(inspection, points: dict, comments: dict | None = None) -> dict:
    comments = comments or {}
    return {item.pk: (points.get(item.name, item.points), comments.get(item.name, ""))
            for item in inspection.checklist.items.all()}
