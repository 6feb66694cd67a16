import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import RosterEntryFactory, shift


def local(day: dt.date, hhmm: str) -> dt.datetime:
    parts = [int(x) for x in hhmm.split(":")]
    return dt.datetime(day.year, day.month, day.day, *parts, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def past_monday():
    """A Monday at least two weeks back: every day of its week is over."""
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 14)


@pytest.fixture
def team(make_employee):
    """A supervisor with two agents, their manager, and another team's supervisor with one agent."""
    manager = make_employee("manager", team="")
    supervisor = make_employee("supervisor", supervisor=manager)
    agent = make_employee("agent", supervisor=supervisor)
    agent2 = make_employee("agent", supervisor=supervisor)
    other_supervisor = make_employee("supervisor", team="二组", supervisor=manager)
    outsider = make_employee("agent", team="二组", supervisor=other_supervisor)
    return type("Team", (), dict(manager=manager, supervisor=supervisor, agent=agent, agent2=agent2,
                                 other_supervisor=other_supervisor, outsider=outsider))


@pytest.fixture
def roster(db):
    def make(employee, day, code="A"):
        return RosterEntryFactory(employee=employee, date=day, shift=shift(code))

    return make


@pytest.fixture(autouse=True)
def _default_shifts(request):
    """The default shifts, even after a transactional test elsewhere flushed the data migration's rows."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return  # the pure rules tests use no database
    transactional = marker is not None and marker.kwargs.get("transaction")
    request.getfixturevalue("transactional_db" if transactional else "db")
    shift("A")


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield
