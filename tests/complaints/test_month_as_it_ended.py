"""REGULATIONS §8: a month's complaint figures are the month as it ended — a clock as it stood at the month's
last instant (pure rule, no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from complaints.selectors import clock_state_at

TZ = ZoneInfo("Asia/Shanghai")
END = dt.datetime(2026, 12, 1, tzinfo=TZ)  # November's end


def at(day, hh=10, month=11):
    return dt.datetime(2026, month, day, hh, tzinfo=TZ)


@pytest.mark.parametrize("state, started, due, met, expected", [
    ("met", at(2), at(5), at(4), "met"),  # met inside the month
    ("missed", at(2), at(5), at(6), "missed"),  # closed late inside the month
    ("met", at(27), at(4, month=12), at(3, month=12), "running"),  # met in December: still running at the end
    ("missed", at(20), at(27), at(2, month=12), "missed"),  # due in November, met in December: already missed
    ("running", at(28), at(2, month=12), None, "running"),  # still running, not due yet
    ("running", at(20), at(25), None, "missed"),  # still running past its due time
    ("cancelled", at(20), at(25), None, "cancelled"),  # set aside: not needed
    ("running", at(1, month=12), at(3, month=12), None, ""),  # started after the month: not in it
])
def test_a_clock_is_shown_as_it_stood_when_the_month_ended(state, started, due, met, expected):
    assert clock_state_at(state=state, started_at=started, due_at=due, met_at=met, at=END) == expected
