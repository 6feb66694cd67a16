"""Matching ranks the right lost report (or found item) first on a set of Chinese descriptions,
with pg_trgm on PostgreSQL and with the bigram fallback (SQLite, or forced)."""

import datetime as dt

import pytest
from django.utils import timezone

from lostfound.selectors import found_item_candidates, lost_report_candidates, text_similarity
from tests.conftest import is_postgres
from tests.factories import FoundItemFactory, LostReportFactory

pytestmark = pytest.mark.django_db

NOW = None

# (category, description, features, place) of open lost reports
REPORTS = [
    ("phone", "黑色苹果手机", "手机壳上有一只白色小猫贴纸", "东门游客中心"),
    ("phone", "白色华为手机", "屏幕左上角碎了", "西门售票处"),
    ("phone", "玫瑰金小米手机", "", "停车场"),
    ("bag", "黑色双肩包", "里面有笔记本电脑和充电器", "东门游客中心"),
    ("bag", "红色女士手提包", "金色拉链", "餐厅二楼"),
    ("cards", "身份证和银行卡", "卡包是棕色的", "西门售票处"),
    ("keys", "汽车钥匙", "丰田车钥匙带蓝色挂件", "停车场"),
    ("camera", "佳能单反相机", "黑色相机包", "观景台"),
    ("clothing", "儿童蓝色羽绒服", "", "儿童乐园"),
    ("cash", "钱包里有现金五百元", "黑色皮质钱包", "餐厅二楼"),
]

# found item (category, description, features, place) -> index of the report it belongs to
CASES = [
    (("phone", "黑色iPhone苹果手机", "背面贴有白色小猫", "东门游客中心门口"), 0),
    (("phone", "华为手机白色", "屏幕碎了", "西门售票窗口"), 1),
    (("bag", "黑色双肩背包", "内有笔记本电脑", "东门"), 3),
    (("cards", "一张身份证、两张银行卡", "棕色卡包", "售票处"), 5),
    (("keys", "丰田汽车钥匙", "蓝色挂件", "停车场入口"), 6),
    (("camera", "佳能相机", "装在黑色相机包里", "观景台"), 7),
    (("cash", "黑色皮质钱包", "内有现金约五百元", "餐厅"), 9),
]


@pytest.fixture
def reports():
    now = timezone.now()
    return [
        LostReportFactory(category=c, description=d, features=f, lost_place=p, lost_at=now - dt.timedelta(hours=i))
        for i, (c, d, f, p) in enumerate(REPORTS)
    ]


@pytest.fixture(params=["trigram", "fallback"])
def trigram(request):
    if request.param == "trigram":
        if not is_postgres():
            from tests.conftest import require_service

            require_service(False, "pg_trgm ranking needs PostgreSQL (set DATABASE_URL=postgres://...)")
        return True
    return False


@pytest.mark.parametrize(("found", "expected"), CASES, ids=[c[0][1] for c in CASES])
def test_the_owners_report_ranks_first(reports, trigram, found, expected):
    category, description, features, place = found
    item = FoundItemFactory(category=category, description=description, features=features, found_place=place)
    ranked = lost_report_candidates(item, trigram=trigram)
    assert ranked[0] == reports[expected]
    assert ranked[0].score > (ranked[1].score if len(ranked) > 1 else 0)


def test_a_lost_report_finds_the_found_phone_first(trigram):
    now = timezone.now()
    target = FoundItemFactory(category="phone", description="黑色苹果手机", features="壳上有小猫贴纸",
                              found_place="东门游客中心", found_at=now - dt.timedelta(hours=2))
    FoundItemFactory(category="phone", description="白色华为手机", found_place="西门", found_at=now)
    FoundItemFactory(category="bag", description="黑色双肩包", found_place="东门游客中心", found_at=now)
    FoundItemFactory(category="phone", description="黑色苹果手机", status="claimed", found_at=now)  # not held
    report = LostReportFactory(category="phone", description="苹果手机 黑色", features="手机壳有猫咪贴纸",
                               lost_place="东门", lost_at=now - dt.timedelta(hours=3))
    ranked = found_item_candidates(report, trigram=trigram)
    assert ranked[0] == target
    assert all(r.status in ("registered", "stored") for r in ranked)


def test_reports_outside_the_date_window_are_not_offered(trigram):
    now = timezone.now()
    LostReportFactory(description="黑色苹果手机", lost_at=now - dt.timedelta(days=30))
    LostReportFactory(description="黑色苹果手机", lost_at=now, status="withdrawn")
    item = FoundItemFactory(description="黑色苹果手机", found_at=now)
    assert lost_report_candidates(item, trigram=trigram) == []


def test_bigram_similarity_of_chinese_text():
    assert text_similarity("黑色苹果手机", "黑色苹果手机") == 1.0
    assert text_similarity("黑色苹果手机", "红色女士手提包") < 0.2
    assert text_similarity("", "手机") == 0.0
