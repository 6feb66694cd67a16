"""A rare word of two characters is answered from its index (issue 19), on PostgreSQL with the planner left
alone (no ``enable_seqscan = off``): each searchable table gets a few thousand rows of everyday words, a handful
with a rare one, then ANALYZE — so the planner prices the bigram index with real statistics (the index's
expression has its own: the most common pairs and their frequencies) and chooses it because it is cheaper
than reading the table. The condition is planned alone and as the list's first page (newest first, LIMIT)."""

import datetime as dt
import json
import random

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint
from complaints.selectors import COMPLAINT_SEARCH
from csmgmt.core.search import search
from knowledge.models import Article
from knowledge.selectors import SEARCH as ARTICLE_SEARCH
from lostfound.models import FoundItem, LostReport
from lostfound.selectors import FOUND_SEARCH, LOST_SEARCH
from tickets.models import Call, Customer
from tickets.selectors import CALL_SEARCH, CUSTOMER_SEARCH

ROWS = 4000
RARE = "退款"
COMMON = ["咨询", "积分", "规则", "会员", "活动", "门店", "营业时间", "停车", "优惠券", "查询", "地址", "电话",
          "预约", "服务", "商品", "价格", "配送", "售后", "包装", "客户", "登记", "回访", "满意", "建议"]


def text(rng, n=6):
    return "，".join(rng.choice(COMMON) for _ in range(n))


def fill(model, make):
    rng = random.Random(19)
    now = timezone.now()
    model.objects.bulk_create([make(i, text(rng), now - dt.timedelta(minutes=i)) for i in range(ROWS)], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def rare(i, filler):
    return f"{filler}，要求{RARE}" if i % 1000 == 7 else filler


ROWS_OF = {
    "calls": lambda agent: lambda i, t, at: Call(
        number=f"LD-P-{i:05d}", received_at=at, caller_name=f"来电人{i}", summary=t[:40], details=rare(i, t),
        agent=agent, owner=agent),
    "customers": lambda agent: lambda i, t, at: Customer(name=f"客户{i}", organisation=t[:20],
                                                         address=rare(i, t)[-30:]),
    "complaints": lambda agent: lambda i, t, at: Complaint(
        number=f"TS-P-{i:05d}", received_at=at, complainant_name=f"客户{i}", content=rare(i, t), agent=agent),
    "found items": lambda agent: lambda i, t, at: FoundItem(
        number=f"SW-P-{i:05d}", category="other", description=rare(i, t)[-60:], found_place="一号门", found_at=at,
        received_by=agent),
    "lost reports": lambda agent: lambda i, t, at: LostReport(
        number=f"GS-P-{i:05d}", owner_name="王女士", owner_phone="13900000000", category="other",
        description=rare(i, t)[-60:], lost_at=at, received_by=agent),
    "articles": lambda agent: lambda i, t, at: Article(
        question=t[:40], answer=rare(i, t), category="enquiry", state="published", created_by=agent),
}

BOXES = {
    "calls": (Call, CALL_SEARCH, "call_search_bigram_gin", ("-received_at", "-id")),
    "customers": (Customer, CUSTOMER_SEARCH, "customer_search_bigram_gin", ("-updated_at", "-id")),
    "complaints": (Complaint, COMPLAINT_SEARCH, "complaint_search_bigram_gin", ("-received_at", "-id")),
    "found items": (FoundItem, FOUND_SEARCH, "lf_item_search_bigram_gin", ("-found_at", "-id")),
    "lost reports": (LostReport, LOST_SEARCH, "lf_report_search_bigram_gin", ("-lost_at", "-id")),
    "articles": (Article, ARTICLE_SEARCH, "kb_article_bigrams_idx", ("-updated_at", "-id")),
}


def plan_of(qs) -> dict:
    explained = json.loads(qs.explain(format="json"))
    return (explained[0] if isinstance(explained, list) else explained)["Plan"]


def nodes(plan):
    stack = [plan]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("Plans", []))


def outline(plan) -> list:
    return [(n["Node Type"], n.get("Index Name", n.get("Relation Name", "")), n.get("Total Cost")) for n in nodes(plan)]


@pytest.mark.parametrize("box", list(BOXES))
def test_a_rare_two_character_word_is_served_by_its_index(postgres, make_employee, box):
    model, spec, index, order = BOXES[box]
    fill(model, ROWS_OF[box](make_employee("agent")))
    qs = search(model.objects.all(), RARE, spec)
    assert qs.count() == 4  # rows 7, 1007, 2007, 3007: the plan is about something
    for planned in (qs.order_by(), qs.order_by(*order)[:26]):
        plan = plan_of(planned)
        used = [n.get("Index Name") for n in nodes(plan)]
        assert index in used, outline(plan)
        assert not [n for n in nodes(plan) if n["Node Type"] == "Seq Scan"], outline(plan)
