"""Scoring selectors that need no database: the month a page shows."""

import datetime as dt

import pytest

from staff.scoring.selectors import month_parse

UTC = dt.timezone.utc


def test_the_default_month_is_the_month_in_shanghai_not_on_the_servers_clock():
    # 2027-01-31 16:30 UTC is 2027-02-01 00:30 in Asia/Shanghai: the pages show February.
    assert month_parse(None, now=dt.datetime(2027, 1, 31, 16, 30, tzinfo=UTC)) == (2027, 2)
    assert month_parse("", now=dt.datetime(2027, 1, 31, 16, 30, tzinfo=UTC)) == (2027, 2)
    # one minute before midnight in Shanghai it is still January
    assert month_parse(None, now=dt.datetime(2027, 1, 31, 15, 59, tzinfo=UTC)) == (2027, 1)


@pytest.mark.parametrize("value, expected", [
    ("2026-11", (2026, 11)),
    ("2026-13", (2027, 2)),
    ("1999-05", (2027, 2)),
    ("abc", (2027, 2)),
    ("2026-xx", (2027, 2)),
])
def test_an_explicit_month_is_used_when_valid(value, expected):
    assert month_parse(value, now=dt.datetime(2027, 1, 31, 16, 30, tzinfo=UTC)) == expected
