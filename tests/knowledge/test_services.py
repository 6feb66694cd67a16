"""Versions, the review clock, and the calls an article answered (REGULATIONS §10: "kept up to date by supervisors
(who wrote it, when, reviewed by) … each answer with the calls where it was used")."""

import datetime as dt

import pytest
from django.utils import timezone

from knowledge import services
from knowledge.models import Article, ArticleEvent, ArticleVersion, CallArticle, KnowledgeSettings
from knowledge.selectors import article_usage, article_versions
from knowledge.workflow import KnowledgeError, KnowledgeForbidden
from csmgmt.core.models import Notification
from tests.factories import ArticleFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_a_new_article_is_a_draft_with_its_first_version_and_its_writer(make_employee):
    supervisor = make_employee("supervisor")
    article = services.article_create(by=supervisor, question="退款多久到账？", answer="3个工作日内原路退回。",
                                      category="enquiry", tags="退款，到账  订单")
    article.refresh_from_db()
    assert (article.state, article.created_by, article.tags, article.reviewed_by) == (
        "draft", supervisor, "退款 到账 订单", None)
    assert list(ArticleVersion.objects.filter(article=article).values_list("number", "question", "answer", "by")) == [
        (1, "退款多久到账？", "3个工作日内原路退回。", supervisor.pk)]
    assert list(ArticleEvent.objects.filter(article=article).values_list("action", "to_state", "by")) == [
        ("create", "draft", supervisor.pk)]


@pytest.mark.parametrize("role", ["agent", "handler", "custodian", "admin"])
def test_only_supervisors_write_articles_nothing_is_saved_otherwise(make_employee, role):
    with pytest.raises(KnowledgeForbidden):
        services.article_create(by=make_employee(role), question="问", answer="答", category="enquiry")
    article = ArticleFactory(question="原问题", answer="原答案")
    with pytest.raises(KnowledgeForbidden):
        services.article_edit(article=article, by=make_employee(role), question="新问题", answer="新答案",
                              category="enquiry")
    assert Article.objects.get(pk=article.pk).question == "原问题"
    assert Article.objects.count() == 1 and ArticleVersion.objects.count() == 0


def test_each_edit_of_the_text_keeps_the_old_version_and_the_page_lists_who_when_old_new(make_employee):
    writer, editor = make_employee("supervisor"), make_employee("manager")
    article = services.article_create(by=writer, question="发票怎么补开？", answer="登记后转财务部。",
                                      category="enquiry")
    services.article_publish(article=article, by=writer)
    services.article_edit(article=article, by=editor, question="发票怎么补开？",
                          answer="登记单位名称和税号后转财务部，3个工作日内补开。", category="enquiry", tags="发票")
    services.article_edit(article=article, by=editor, question="发票补开", category="enquiry", tags="发票 补开",
                          answer="登记单位名称和税号后转财务部，3个工作日内补开。")
    # a change of the tags alone is no new version of the text (the edit trail keeps it)
    services.article_edit(article=article, by=editor, question="发票补开", category="enquiry", tags="发票",
                          answer="登记单位名称和税号后转财务部，3个工作日内补开。")
    article.refresh_from_db()
    assert article.state == "published"  # an edit is no move
    rows = [(v["version"].number, v["version"].by_id, v["old"].number if v["old"] else None, v["question_changed"],
             v["answer_changed"]) for v in article_versions(article)]
    assert rows == [(3, editor.pk, 2, True, False), (2, editor.pk, 1, False, True), (1, writer.pk, None, False, False)]
    assert list(ArticleVersion.objects.filter(article=article).values_list("question", "answer")) == [
        ("发票怎么补开？", "登记后转财务部。"),
        ("发票怎么补开？", "登记单位名称和税号后转财务部，3个工作日内补开。"),
        ("发票补开", "登记单位名称和税号后转财务部，3个工作日内补开。")]
    assert article.history.count() == 5  # created, published, three edits: every change trailed


def test_an_article_is_due_for_review_six_months_after_its_last_review_and_the_job_is_safe_twice(make_employee):
    # issue 20: "needs review (after N months, settable)"; our default 6 (docs/knowledge.md)
    now = timezone.make_aware(dt.datetime(2026, 12, 4, 9, 0))
    reviewer = make_employee("supervisor")
    due = ArticleFactory(state="published", reviewed_by=reviewer,
                         reviewed_at=timezone.make_aware(dt.datetime(2026, 6, 4, 9, 0)))  # exactly six months
    fresh = ArticleFactory(state="published", reviewed_at=timezone.make_aware(dt.datetime(2026, 6, 4, 9, 1)))
    draft = ArticleFactory(state="draft")
    assert services.articles_mark_due(now=now) == 1
    assert services.articles_mark_due(now=now) == 0  # a second run finds none
    states = dict(Article.objects.values_list("pk", "state"))
    assert (states[due.pk], states[fresh.pk], states[draft.pk]) == ("needs_review", "published", "draft")
    assert list(ArticleEvent.objects.filter(article=due).values_list("action", "from_state", "to_state", "by")) == [
        ("due", "published", "needs_review", None)]
    notices = Notification.objects.filter(recipient=reviewer)
    assert notices.count() == 1 and f"KB-{due.pk}" in notices.get().render("en")
    # reviewed: published again, the clock restarts from the review
    services.article_review(article=due, by=reviewer)
    due.refresh_from_db()
    assert due.state == "published" and due.reviewed_by == reviewer and due.reviewed_at > now


def test_the_months_are_a_managers_setting(make_employee):
    now = timezone.make_aware(dt.datetime(2026, 12, 4, 9, 0))
    services.knowledge_settings_save(by=make_employee("manager"), review_after_months=3)
    article = ArticleFactory(state="published", reviewed_at=timezone.make_aware(dt.datetime(2026, 9, 4, 8, 0)))
    assert services.articles_mark_due(now=now) == 1
    assert Article.objects.get(pk=article.pk).state == "needs_review"
    with pytest.raises(KnowledgeForbidden):
        services.knowledge_settings_save(by=make_employee("supervisor"), review_after_months=1)
    assert KnowledgeSettings.current().review_after_months == 3


def test_usage_and_resolution_rate_count_the_marked_calls_voided_ones_left_out(make_employee):
    # REGULATIONS §10: "each answer with the calls where it was used"; rate = resolved on the call / calls marked
    agent = make_employee("agent")
    article, unused = ArticleFactory(), ArticleFactory()
    calls = [CallFactory(agent=agent, outcome="resolved", status="closed"),
             CallFactory(agent=agent, outcome="resolved", status="closed"),
             CallFactory(agent=agent, outcome="reply_promised", status="open",
                         reply_due_at=timezone.now() + dt.timedelta(hours=2)),
             CallFactory(agent=agent, outcome="complaint", status="open"),
             CallFactory(agent=agent, outcome="resolved", status="voided", void_reason="重复登记")]
    for call in calls[:4]:
        services.call_article_mark(call=call, article=article, by=agent)
    CallArticle.objects.create(call=calls[4], article=article, marked_by=agent, marked_at=timezone.now())  # before
    # the call was voided
    services.call_article_mark(call=calls[0], article=article, by=agent)  # marking twice: one link
    assert article_usage(article) == {"used": 4, "resolved": 2, "rate": 50.0}
    assert article_usage(unused) == {"used": 0, "resolved": 0, "rate": None}


def test_marking_is_refused_for_a_draft_a_voided_call_or_someone_elses_call(make_employee):
    agent, other = make_employee("agent"), make_employee("agent")
    call = CallFactory(agent=agent)
    with pytest.raises(KnowledgeError):
        services.call_article_mark(call=call, article=ArticleFactory(state="draft"), by=agent)
    with pytest.raises(KnowledgeForbidden):
        services.call_article_mark(call=call, article=ArticleFactory(), by=other)
    with pytest.raises(KnowledgeError):
        services.call_article_mark(call=CallFactory(agent=agent, status="voided", void_reason="测试"),
                                   article=ArticleFactory(), by=agent)
    with pytest.raises(KnowledgeForbidden):
        services.call_article_mark(call=call, article=ArticleFactory(), by=make_employee("handler"))
    assert CallArticle.objects.count() == 0
    # a supervisor may mark any call
    services.call_article_mark(call=call, article=ArticleFactory(), by=make_employee("supervisor"))
    assert CallArticle.objects.count() == 1
