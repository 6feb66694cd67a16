"""REGULATIONS §10 ("each answer with the calls where it was used"), seen from the call: the call's page lists the
articles marked as having answered it, through the call-page panels of the registry (tickets imports no knowledge)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowledge import services
from tests.factories import ArticleFactory, CallFactory, DepartmentFactory


def _panel(html: str) -> str:
    panel = html[html.index('id="call-articles"'):]
    return panel[:panel.index("</ul>")]


def test_the_call_page_lists_the_articles_that_answered_it_in_the_order_they_were_marked(client_for, make_employee):
    agent = make_employee("agent", name="张伟")
    call = CallFactory(agent=agent, owner=agent)
    refund = ArticleFactory(question="退款流程：客户要求退款怎么办？")
    invoice = ArticleFactory(question="发票如何补开？")
    ArticleFactory(question="物流查询")  # not marked on this call
    services.call_article_mark(call=call, article=refund, by=agent)
    services.call_article_mark(call=call, article=invoice, by=agent)

    panel = _panel(client_for(agent).get(reverse("tickets:detail", args=[call.pk])).content.decode())

    assert re.findall(r'data-article="(\d+)"', panel) == [str(refund.pk), str(invoice.pk)]
    assert "退款流程：客户要求退款怎么办？" in panel and "发票如何补开？" in panel and "物流查询" not in panel
    assert "张伟" in panel


def test_a_call_no_article_answered_shows_no_panel(client_for, make_employee):
    agent = make_employee("agent")
    call = CallFactory(agent=agent, owner=agent)
    html = client_for(agent).get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert 'id="call-articles"' not in html


def test_a_handler_who_sees_the_call_but_not_the_knowledge_base_gets_no_panel(client_for, make_employee):
    eng = DepartmentFactory(name="工程部", code="ENG")
    agent = make_employee("agent")
    call = CallFactory(agent=agent, owner=agent, outcome="transferred", status="open", department=eng)
    services.call_article_mark(call=call, article=ArticleFactory(question="报修预约"), by=agent)
    response = client_for("handler", department=eng).get(reverse("tickets:detail", args=[call.pk]))
    assert response.status_code == 200
    assert 'id="call-articles"' not in response.content.decode() and "报修预约" not in response.content.decode()


def test_the_panel_costs_one_query_whatever_the_number_of_articles(client_for, make_employee):
    agent = make_employee("agent")
    c = client_for(agent)
    counts = []
    for n in (1, 4):
        call = CallFactory(agent=agent, owner=agent)
        for _ in range(n):
            services.call_article_mark(call=call, article=ArticleFactory(), by=agent)
        url = reverse("tickets:detail", args=[call.pk])
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            c.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
