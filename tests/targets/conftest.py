import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from csmgmt.core.sheets import Period

SH = ZoneInfo("Asia/Shanghai")
MARCH = Period(2026, 3)  # the hand-computed month: long ended whenever the tests run


def at(month, day, hour=10, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.fixture
def team(make_employee):
    """A supervisor S with agents A and B in team 一组; R, a responsible department's person, in no team."""
    from tests.factories import DepartmentFactory

    s = make_employee("supervisor", name="李秀梅", team="一组")
    a = make_employee("agent", name="张伟", team="一组", supervisor=s)
    b = make_employee("agent", name="王芳", team="一组", supervisor=s)
    r = make_employee("handler", name="工程部刘工", team="", department=DepartmentFactory(name="工程部", code="ENG"))
    return {"S": s, "A": a, "B": b, "R": r}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
