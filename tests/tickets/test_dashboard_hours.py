"""The dashboard's "calls today by hour" (REGULATIONS §8): a day is the local day in Asia/Shanghai, counted
from a range on the received-at time (so the index serves it), exact for calls on either side of midnight."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets.dashboard import calls_by_hour
from tickets.models import Call

SHANGHAI = ZoneInfo("Asia/Shanghai")


def call(agent, when, n, **kw):
    return Call.objects.create(number=f"DH-{n:04d}", received_at=when, agent=agent, owner=agent, summary="咨询",
                               caller_phone="13800138000", caller_name="王先生", **kw)


def test_a_day_is_the_local_day_to_the_second_around_midnight(make_employee):
    agent = make_employee("agent")
    day = dt.date(2026, 3, 10)
    at = lambda d, h, m, s=0: dt.datetime(2026, 3, d, h, m, s, tzinfo=SHANGHAI)  # noqa: E731
    call(agent, at(9, 23, 59, 59), 1)                      # the evening before: not this day
    call(agent, at(10, 0, 0, 0), 2)                        # midnight: hour 0 of this day
    call(agent, at(10, 0, 30), 3)
    call(agent, dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.timezone.utc), 4)  # 00:00 in Shanghai (16:00 UTC)
    call(agent, at(10, 7, 59, 59), 5)                      # 23:59:59 UTC of the 9th: this day, hour 7
    call(agent, at(10, 8, 0), 6)                           # 00:00 UTC of the 10th: hour 8
    call(agent, at(10, 23, 59, 59), 7)                     # the last second of the day
    call(agent, at(11, 0, 0), 8)                           # the next day's midnight: not this day
    call(agent, at(10, 12, 0), 9, status=Call.Status.VOIDED, void_reason="重复登记")  # voided: never counted
    expected = [0] * 24
    expected[0], expected[7], expected[8], expected[23] = 3, 1, 1, 1
    assert calls_by_hour(day) == expected
    assert calls_by_hour(dt.date(2026, 3, 9))[23] == 1 and sum(calls_by_hour(dt.date(2026, 3, 9))) == 1
    assert calls_by_hour(dt.date(2026, 3, 11)) == [1] + [0] * 23


def test_the_day_is_a_range_on_received_at_not_a_cast_of_every_row(make_employee):
    with CaptureQueriesContext(connection) as ctx:
        calls_by_hour(dt.date(2026, 3, 10))
    assert len(ctx.captured_queries) == 1
    where = ctx.captured_queries[0]["sql"].split(" WHERE ", 1)[1]
    assert '"received_at" >=' in where and '"received_at" <' in where
    assert "AT TIME ZONE" not in where.upper() and "::DATE" not in where.upper() and "DJANGO_DATE" not in where.upper()
