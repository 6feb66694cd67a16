"""The knowledge base's pages: who may read and write (REGULATIONS §10: "kept up to date by supervisors"; agents
read what is published), the list's search and category filter, the article page (versions, usage, buttons), and
fixed query counts."""

import re

import pytest
from django.urls import reverse

from knowledge import services
from knowledge.models import Article, ArticleVersion, CallArticle, KnowledgeSettings
from tests.factories import ArticleFactory, CallFactory
from tests.workflow_support import assert_buttons_are_the_available_actions, snapshot

pytestmark = pytest.mark.django_db


def _rows(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-article="(\d+)"', response.content.decode())}


def test_agents_read_published_articles_only_supervisors_see_drafts(client_for):
    published, due, draft = ArticleFactory(), ArticleFactory(state="needs_review"), ArticleFactory(state="draft")
    agent, supervisor = client_for("agent"), client_for("supervisor")
    assert _rows(agent.get(reverse("knowledge:list"))) == {published.pk, due.pk}
    assert _rows(supervisor.get(reverse("knowledge:list"))) == {published.pk, due.pk, draft.pk}
    assert agent.get(reverse("knowledge:detail", args=[draft.pk])).status_code == 404
    assert agent.get(reverse("knowledge:detail", args=[published.pk])).status_code == 200


def test_the_list_searches_and_filters_by_category(client_for):
    refund = ArticleFactory(question="退款流程", category="enquiry")
    repair = ArticleFactory(question="报修预约", answer="转工程部派单，客户要求退款的另行登记。", category="repair")
    ArticleFactory(question="发票补开", category="enquiry")
    client = client_for("agent")
    assert _rows(client.get(reverse("knowledge:list"), {"q": "退款"})) == {refund.pk, repair.pk}
    assert _rows(client.get(reverse("knowledge:list"), {"q": "退款", "category": "repair"})) == {repair.pk}
    response = client.get(reverse("knowledge:list"), {"category": "no-such"})  # a bad value: the default, no 500
    assert response.status_code == 200 and len(_rows(response)) == 3


@pytest.mark.parametrize("role", ["agent", "handler", "custodian"])
def test_writing_editing_and_reviewing_are_refused_below_supervisor_with_nothing_changed(client_for, role):
    article = ArticleFactory(state="needs_review", question="原问题", answer="原答案")
    before = snapshot(article)
    client = client_for(role)
    data = {"question": "新问题", "answer": "新答案", "category": "enquiry", "tags": ""}
    assert client.post(reverse("knowledge:create"), data).status_code == 403
    assert client.post(reverse("knowledge:edit", args=[article.pk]), data).status_code == 403
    assert client.post(reverse("knowledge:act", args=[article.pk]), {"action": "review"}).status_code == 403
    assert client.post(reverse("knowledge:settings"), {"review_after_months": 2}).status_code == 403
    assert snapshot(article) == before
    assert Article.objects.count() == 1 and ArticleVersion.objects.count() == 0
    assert KnowledgeSettings.objects.count() == 0


@pytest.mark.parametrize("role", ["handler", "custodian"])
def test_handlers_and_the_custodian_may_not_read_or_mark(client_for, role):
    article = ArticleFactory()
    call = CallFactory()
    client = client_for(role)
    assert client.get(reverse("knowledge:list")).status_code == 403
    assert client.get(reverse("knowledge:detail", args=[article.pk])).status_code == 403
    assert client.post(reverse("knowledge:mark_used", args=[article.pk]), {"call": call.number}).status_code == 403
    assert CallArticle.objects.count() == 0


def test_a_supervisor_writes_edits_and_publishes_and_the_page_shows_the_versions(client_for):
    client = client_for("supervisor")
    page = client.get(reverse("knowledge:create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post(reverse("knowledge:create"), {
        "form_token": token, "question": "物流查询", "answer": "用订单号查询运单。", "category": "enquiry",
        "tags": "物流"})
    article = Article.objects.get()
    assert response["Location"] == reverse("knowledge:detail", args=[article.pk])
    client.post(reverse("knowledge:edit", args=[article.pk]), {
        "question": "物流查询", "answer": "用订单号查询运单；显示已签收未收到的转物流配送部。", "category": "enquiry",
        "tags": "物流"})
    assert_buttons_are_the_available_actions(client, reverse("knowledge:detail", args=[article.pk]), article,
                                             client.employee)
    client.post(reverse("knowledge:act", args=[article.pk]), {"action": "publish"})
    article.refresh_from_db()
    assert article.state == "published" and article.reviewed_by == client.employee
    html = client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert 'data-version="2"' in html and 'data-version="1"' in html
    assert "<del class=\"d-block\">用订单号查询运单。</del>" in html
    assert "用订单号查询运单；显示已签收未收到的转物流配送部。" in html


def test_a_bad_edit_is_a_message_on_the_form(client_for):
    article = ArticleFactory(question="原问题")
    client = client_for("supervisor")
    response = client.post(reverse("knowledge:edit", args=[article.pk]),
                           {"question": "  ", "answer": "答", "category": "nonsense"})
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).question == "原问题"


def test_the_article_page_shows_usage_and_an_agent_marks_their_call_by_number(client_for):
    article = ArticleFactory()
    client = client_for("agent")
    resolved = CallFactory(agent=client.employee, outcome="resolved")
    promised = CallFactory(agent=client.employee, outcome="complaint", status="open")
    services.call_article_mark(call=promised, article=article, by=client.employee)
    response = client.post(reverse("knowledge:mark_used", args=[article.pk]), {"call": resolved.number.lower()})
    assert response.status_code == 302
    assert set(CallArticle.objects.values_list("call", flat=True)) == {resolved.pk, promised.pk}
    html = client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert '<dd class="col-5" id="usage-used">2</dd>' in html
    assert '<dd class="col-5" id="usage-rate">50.0%</dd>' in html
    other = CallFactory()  # someone else's call: refused with a message, nothing stored
    client.post(reverse("knowledge:mark_used", args=[article.pk]), {"call": other.number})
    assert CallArticle.objects.count() == 2


def test_the_list_takes_a_fixed_number_of_queries(client_for, django_assert_num_queries):
    client = client_for("agent")
    agent = client.employee
    for n in range(3):
        a = ArticleFactory(question=f"问题{n}")
        services.call_article_mark(call=CallFactory(agent=agent), article=a, by=agent)
    client.get(reverse("knowledge:list"), {"q": "问题"})
    with django_assert_num_queries(9):  # session, user, employee, roles, the nav badges (4), the page
        client.get(reverse("knowledge:list"), {"q": "问题"})
    for n in range(25):
        a = ArticleFactory(question=f"更多问题{n}")
        services.call_article_mark(call=CallFactory(agent=agent), article=a, by=agent)
    with django_assert_num_queries(9):  # session, user, employee, roles, the nav badges (4), the page
        response = client.get(reverse("knowledge:list"), {"q": "问题"})
    assert len(_rows(response)) == 20


def test_the_settings_page_is_a_managers(client_for):
    client = client_for("manager")
    assert client.post(reverse("knowledge:settings"), {"review_after_months": 4}).status_code == 302
    assert KnowledgeSettings.current().review_after_months == 4
    assert client.post(reverse("knowledge:settings"), {"review_after_months": 0}).status_code == 200
    assert KnowledgeSettings.current().review_after_months == 4


def test_the_article_page_takes_a_fixed_number_of_queries(client_for, django_assert_num_queries):
    client = client_for("supervisor")
    writer = client.employee
    article = services.article_create(by=writer, question="物流查询", answer="查询运单。", category="enquiry")
    services.article_publish(article=article, by=writer)
    url = reverse("knowledge:detail", args=[article.pk])
    client.get(url)
    # session, user, employee, roles; the article, its usage (one aggregate), versions, calls, trail; the nav (7)
    with django_assert_num_queries(16):
        client.get(url)
    for n in range(6):
        services.article_edit(article=article, by=writer, question="物流查询", answer=f"查询运单，第{n}次修改。",
                              category="enquiry")
        call = CallFactory(agent=writer)
        services.call_article_mark(call=call, article=article, by=writer)
    with django_assert_num_queries(16):
        client.get(url)


@pytest.mark.parametrize(("role", "state", "offered"), [
    ("agent", "needs_review", set()), ("supervisor", "needs_review", {"review"}), ("manager", "draft", {"publish"}),
    ("supervisor", "published", {"review"}),
])
def test_the_article_page_offers_exactly_the_available_moves(client_for, role, state, offered):
    article = ArticleFactory(state=state)
    client = client_for(role)
    url = reverse("knowledge:detail", args=[article.pk])
    assert assert_buttons_are_the_available_actions(client, url, article, client.employee) == offered
