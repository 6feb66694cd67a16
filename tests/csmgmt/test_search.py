"""Every search box finds exactly the records the rule says (csmgmt.core.search; issue 19):

- words of 1, 2, 3 and 4 characters; a single character is a surname (people's names), and in lost and found the
  category and the description, newest first, at most 50;
- mixed Latin and Chinese, full-width letters and digits (ＡＢＣ = abc, １３８ = 138), Latin in any case;
- simplified and traditional characters match each other where the pair is one-to-one (陳 = 陈, 訂單 = 订单,
  錢 = 钱; 發 is not folded: 发 has two traditional forms);
- several words are AND-ed; a phone number or its start; a record number.

The same tests run on SQLite (``test_the_search_tests_pass_on_sqlite`` runs this file again in a subprocess
without DATABASE_URL), where the folding is done in Python."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.selectors import queue_page
from csmgmt.core.search import fold, function_sql
from lostfound.selectors import found_items_search, lost_reports_search
from tests.factories import (CallFactory, ComplaintFactory, CustomerFactory, CustomerPhoneFactory, FoundItemFactory,
                             LostReportFactory)
from tickets.models import Call
from tickets.selectors import apply_call_filters, customers_search

BASE = dt.datetime(2026, 11, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def at(day):
    return BASE + dt.timedelta(days=day)


@pytest.fixture
def calls(db):
    rows = [
        ("LD-20261101-0001", "陈建华", "上海宏达贸易有限公司", "申请退款", "订单号 A12345，配送员未送达", "13800138000"),
        ("LD-20261102-0001", "陳小明", "ＡＢＣ科技", "發票问题 iPhone15", "要求开具电子发票", "13912345678"),
        ("LD-20261103-0001", "王芳", "", "物流查询", "物流太慢了，退款申请中", "02188886666"),
        ("LD-20261104-0001", "张伟", "宏达物流", "咨询积分规则", "", "13800138999"),
        ("LD-20261105-0001", "劉德", "", "訂單未收到 退款", "", "13700001111"),
    ]
    for i, (number, name, org, summary, details, phone) in enumerate(rows):
        CallFactory(number=number, caller_name=name, organisation=org, summary=summary, details=details,
                    caller_phone=phone, received_at=at(i))


def call_numbers(q):
    return {c.number[3:11] for c in apply_call_filters(Call.objects.all(), {"q": q})}


CALL_CASES = [
    ("陈", {"20261101", "20261102"}),  # a surname, traditional 陳 too
    ("王", {"20261103"}),
    ("宏", set()),  # a single character is a surname, not a word
    ("退款", {"20261101", "20261103", "20261105"}),
    ("物流", {"20261103", "20261104"}),  # details, organisation
    ("发票", {"20261102"}),  # 发票 in the details; 發 is not folded
    ("配送员", {"20261101"}),
    ("宏达贸易", {"20261101"}),
    ("积分规则", {"20261104"}),
    ("iphone15", {"20261102"}),
    ("IPHONE", {"20261102"}),
    ("abc科技", {"20261102"}),  # full-width ＡＢＣ stored
    ("Ａ１２３４５", {"20261101"}),  # full-width typed
    ("陈小明", {"20261102"}),  # stored 陳小明
    ("订单", {"20261101", "20261105"}),  # 订单号; 訂單
    ("刘德", {"20261105"}),
    ("退款 配送员", {"20261101"}),
    ("退款 订单", {"20261101", "20261105"}),
    ("退款 物流 申请", {"20261103"}),
    ("138 0013", {"20261101", "20261104"}),  # the start of a number
    ("１３８００１３８０００", {"20261101"}),  # a whole number, full-width
    ("021-8888", {"20261103"}),
    ("13800138000", {"20261101"}),
    ("LD-20261102-0001", {"20261102"}),
    ("ld-20261104-0001", {"20261104"}),
    ("不存在的词", set()),
]


@pytest.mark.parametrize("q,expected", CALL_CASES)
def test_call_search(calls, q, expected):
    assert call_numbers(q) == expected


@pytest.fixture
def customers(db):
    rows = [("陈建华", "上海宏达贸易有限公司", "3号楼2单元501", "13800138000"),
            ("陳小明", "ＡＢＣ科技", "紫荆花园10栋", "13912345678"),
            ("王芳", "", "Ｂ座1201", "02188886666"),
            ("赵敏", "宏达物流", "", "13800138999")]
    for name, org, address, phone in rows:
        CustomerPhoneFactory(customer=CustomerFactory(name=name, organisation=org, address=address), number=phone)


CUSTOMER_CASES = [
    ("陈", {"陈建华", "陳小明"}),
    ("趙", {"赵敏"}),
    ("宏达", {"陈建华", "赵敏"}),
    ("花园", {"陳小明"}),
    ("3号楼", {"陈建华"}),
    ("３号楼", {"陈建华"}),
    ("紫荆花园", {"陳小明"}),
    ("abc科技", {"陳小明"}),
    ("b座1201", {"王芳"}),
    ("陈小明", {"陳小明"}),
    ("宏达 501", {"陈建华"}),
    ("宏达 物流", {"赵敏"}),
    ("1391234", {"陳小明"}),
    ("138 0013 8", {"陈建华", "赵敏"}),
    ("13800138000", {"陈建华"}),
    ("+86 138 0013 8999", {"赵敏"}),
]


@pytest.mark.parametrize("q,expected", CUSTOMER_CASES)
def test_customer_search(customers, q, expected):
    assert {c.name for c in customers_search(q)} == expected


@pytest.fixture
def complaints(db, make_employee):
    agent = make_employee("agent")
    rows = [("TS-202611-0001", "陈女士", "13812345678", "送货员态度恶劣，包裹破损。要求退款"),
            ("TS-202611-0002", "陳先生", "13900001111", "安装师傅迟到，iPad屏幕划伤"),
            ("TS-202612-0003", "王伟", "02166667777", "訂單金额错误，多收費")]
    for i, (number, name, phone, content) in enumerate(rows):
        ComplaintFactory(number=number, complainant_name=name, complainant_phone=phone, content=content,
                         agent=agent, received_at=at(i))
    return make_employee("supervisor")


COMPLAINT_CASES = [
    ("陈", {"0001", "0002"}),
    ("王", {"0003"}),
    ("退款", {"0001"}),
    ("迟到", {"0002"}),
    ("送货员", {"0001"}),
    ("态度恶劣", {"0001"}),
    ("ipad屏幕", {"0002"}),
    ("ＩＰＡＤ", {"0002"}),
    ("订单", {"0003"}),
    ("收费", {"0003"}),
    ("退款 破损", {"0001"}),
    ("退款 划伤", set()),
    ("1390000", {"0002"}),
    ("１３９００００", {"0002"}),
    ("13812345678", {"0001"}),
    ("TS-202611-0002", {"0002"}),
    ("ts-202612-0003", {"0003"}),
    ("202612-0003", {"0003"}),  # a part of the number
]


@pytest.mark.parametrize("q,expected", COMPLAINT_CASES)
def test_complaint_search(complaints, q, expected):
    rows, _more = queue_page(complaints.user, "all", 1, 25, q=q)
    assert {c.number[-4:] for c in rows} == expected


@pytest.fixture
def lost_and_found(db):
    items = [("SW-202611-0001", "phone", "黑色苹果手机 iPhone", "背面有裂痕", "一号门", "13811112222"),
             ("SW-202611-0002", "other", "棕色錢包", "内有身份证", "二号门", ""),
             ("SW-202611-0003", "other", "蓝色雨伞", "伞柄有贴纸", "餐厅", "13900002222"),
             ("SW-202611-0004", "bag", "黑色双肩背", "", "三号门", "")]
    for i, (number, category, description, features, place, phone) in enumerate(items):
        FoundItemFactory(number=number, category=category, description=description, features=features,
                         found_place=place, finder_phone=phone, found_at=at(i))
    reports = [("GS-202611-0001", "phone", "白色华为手机", "贴了蓝色膜", "餐厅", "13811113333"),
               ("GS-202611-0002", "other", "黑色錢包", "有銀行卡", "停车场", "13922224444"),
               ("GS-202611-0003", "bag", "红色手提", "", "二号门", "02133334444")]
    for i, (number, category, description, features, place, phone) in enumerate(reports):
        LostReportFactory(number=number, category=category, description=description, features=features,
                          lost_place=place, owner_phone=phone, lost_at=at(i))


FOUND_CASES = [
    ("黑", {"0001", "0004"}),  # descriptions with the character
    ("包", {"0002", "0004"}),  # 錢包; and the category 包 (bag)
    ("钱包", {"0002"}),  # stored 錢包
    ("雨伞", {"0003"}),
    ("身份证", {"0002"}),
    ("苹果手机", {"0001"}),
    ("iphone", {"0001"}),
    ("ＩＰＨＯＮＥ", {"0001"}),
    ("背面 裂痕", {"0001"}),
    ("黑色 门", {"0001", "0004"}),
    ("1381111", {"0001"}),
    ("SW-202611-0002", {"0002"}),
    ("二号门", {"0002"}),
]


@pytest.mark.parametrize("q,expected", FOUND_CASES)
def test_found_item_search(lost_and_found, q, expected):
    assert {i.number[-4:] for i in found_items_search(q=q)} == expected


LOST_CASES = [
    ("手", {"0001", "0003"}),  # 手机, 手提
    ("包", {"0002", "0003"}),  # 錢包; the category 包
    ("钱包", {"0002"}),
    ("银行卡", {"0002"}),
    ("华为手机", {"0001"}),
    ("蓝色膜", {"0001"}),
    ("黑色 停车场", {"0002"}),
    ("１３８１１１１", {"0001"}),
    ("021 3333", {"0003"}),
    ("gs-202611-0003", {"0003"}),
]


@pytest.mark.parametrize("q,expected", LOST_CASES)
def test_lost_report_search(lost_and_found, q, expected):
    assert {r.number[-4:] for r in lost_reports_search(q=q)} == expected


@pytest.fixture
def articles(db, make_employee):
    """Knowledge-base articles (issue 20): the list's search box and the intake panel's matches."""
    from tests.factories import ArticleFactory

    return make_employee("supervisor"), [
        ArticleFactory(question="退款流程", answer="核对訂單号后原路退回。", tags="退款"),
        ArticleFactory(question="退货后多久到账", answer="三个工作日。", tags="退款 到账", state="needs_review"),
        ArticleFactory(question="发票补开", answer="登记税号后转财务部。", tags="发票"),
        ArticleFactory(question="退款草稿", answer="尚未发布。", state="draft"),
    ]


ARTICLE_CASES = [
    ("退款", {0, 1, 3}),  # a supervisor sees the draft too
    ("订单", {0}),  # stored 訂單
    ("退", {0, 1, 3}),  # a single character: the question or the tags
    ("发票 税号", {2}),
    ("到帐", set()),
]


@pytest.mark.parametrize("q,expected", ARTICLE_CASES)
def test_article_search(articles, q, expected):
    from knowledge.selectors import article_list

    supervisor, rows = articles
    assert {rows.index(a) for a in article_list(supervisor.user, q=q)} == expected


def test_the_intake_panel_offers_the_published_articles_sharing_a_pair(articles):
    from knowledge.selectors import intake_matches

    _supervisor, rows = articles
    assert {rows.index(a) for a in intake_matches("客户要求退款")} == {0, 1}  # not the draft
    assert {rows.index(a) for a in intake_matches("補開发票")} == {2}


def test_a_single_character_gives_the_newest_fifty(db):
    now = timezone.now()
    Call.objects.bulk_create([Call(number=f"LD-S-{i:03d}", received_at=now - dt.timedelta(minutes=i),
                                   caller_name=f"陈{i}", summary="咨询", agent=a, owner=a)
                              for a in [CallFactory().agent] for i in range(60)])
    found = list(apply_call_filters(Call.objects.all(), {"q": "陳"}).order_by("-received_at"))
    # issue 19: a single character searches surnames, newest first, at most 50 (written out, not the constant)
    assert [c.number for c in found] == [f"LD-S-{i:03d}" for i in range(50)]


def test_the_column_follows_every_write(calls):
    """The database keeps the column: a queryset update (no save(), no signal) is searchable at once."""
    Call.objects.filter(number="LD-20261104-0001").update(summary="熱水器漏水")
    assert call_numbers("热水器") == {"20261104"}
    assert call_numbers("积分规则") == set()


def test_the_search_column_is_not_in_the_edit_trail(calls):
    historical = Call.history.model
    assert "search_text" not in {f.name for f in historical._meta.fields}
    assert "search_text" not in {f.name for f in Complaint.history.model._meta.fields}


def test_python_folding_matches_the_rule():
    assert fold("ＡＢｃ１２３　XY") == "abc123 xy"
    assert fold("陳張訂單錢") == "陈张订单钱"
    assert fold("發髮后後") == "發髮后後"  # one simplified for two traditional: left alone


def test_the_migration_holds_the_generated_sql():
    from importlib import import_module

    migration = import_module("csmgmt.migrations.0009_search_functions")
    assert migration.SQL == function_sql()


def test_sql_folding_is_the_python_folding(postgres, db):
    from django.db import connection

    text = "ＡＢｃ１２３　XY 陳張訂單錢 發 ＇％＿＼ Müller"
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_fold(%s), search_bigrams(search_fold(%s))", [text, "配送员 退款"])
        folded, pairs = cursor.fetchone()
    assert folded == fold(text)
    assert sorted(pairs) == sorted(["配送", "送员", "退款"])


def test_the_search_tests_pass_on_sqlite(tmp_path):
    """This file again, on SQLite (the database of ``make run``): the same results, folded in Python."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CSMGMT_REQUIRE_SERVICES="0")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-x", "-k", "not postgres and not sql_folding and not test_the_search_tests_pass_on_sqlite",
         "--create-db", "--nomigrations"], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "skipped" not in summary, summary  # every selected test ran on SQLite


def test_a_word_asks_the_index_for_its_uncommon_pairs_or_its_least_common_one():
    from csmgmt.core.search import index_pairs

    assert index_pairs(["热水", "水器"], {"热水": 0.03, "水器": 0.02}) == ["水器"]
    assert index_pairs(["配送", "送员"], {"配送": 0.1}) == ["送员"]
    assert index_pairs(["退款"], {}) == ["退款"]
