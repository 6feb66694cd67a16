"""The one rule of every work list's deadline (issue 17): overdue red; due within 2 hours or within the last quarter
of its clock amber; always in words too. Expectations written from the issue, boundaries spelled out."""

import datetime as dt

import pytest
from django.utils import translation

from csmgmt.core.deadlines import countdown_text, level_of

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc)
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


@pytest.mark.parametrize("due, started, level", [
    (NOW - M, NOW - 10 * H, "overdue"),                  # past due
    (NOW, NOW - 10 * H, "overdue"),                      # the due instant itself is overdue
    (NOW + 2 * H, NOW - 100 * H, "soon"),                # exactly 2 h left: amber
    (NOW + 2 * H, NOW, "soon"),                          # exactly 2 h left of a 2-hour clock
    (NOW + 2 * H + M, NOW - H, "ok"),                    # 2 h 1 min left of a 3 h 1 min clock: neither rule
    (NOW + 12 * H, NOW - 36 * H, "soon"),                # exactly a quarter of a 48-hour clock left
    (NOW + 12 * H + M, NOW - 36 * H + M, "ok"),          # a quarter of 48 h is 12 h: 12 h 1 min is more
    (NOW + 12 * H + M, NOW - 36 * H - 4 * M, "soon"),    # 12 h 1 min of a 48 h 5 min clock: under its quarter
    (NOW + 3 * H, None, "ok"),                           # no start known: only the 2-hour rule
    (None, None, "none"),
])
def test_the_urgency_level_at_its_boundaries(due, started, level):
    assert level_of(due, started, NOW) == level


@pytest.mark.parametrize("due, text, chinese", [
    (NOW - 3 * H, "overdue 3 h", "已超时 3 小时"),
    (NOW + H + 20 * M, "due in 1 h 20 min", "还剩 1 小时 20 分钟"),
    (NOW + 45 * M, "due in 45 min", "还剩 45 分钟"),
    (NOW + 2 * 24 * H + 3 * H + 59 * M, "due in 2 d 3 h", "还剩 2 天 3 小时"),
    (NOW - 24 * H, "overdue 1 d", "已超时 1 天"),
    (NOW + 30 * dt.timedelta(seconds=1), "due in under 1 min", "不到 1 分钟后到期"),
    (NOW, "overdue: due now", "已到期"),
    (NOW - 59 * dt.timedelta(seconds=1), "overdue: due now", "已到期"),
    (NOW - M, "overdue 1 min", "已超时 1 分钟"),
    (None, "", ""),
])
def test_the_countdown_is_written_in_words(due, text, chinese):
    with translation.override("en"):
        assert countdown_text(due, NOW) == text
    with translation.override("zh-hans"):
        assert countdown_text(due, NOW) == chinese
