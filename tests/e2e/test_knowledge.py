"""The knowledge base beside the scripts, in Chromium (issue 20): as the agent types the summary, matching articles
appear (a two-character word is enough); "Answered the call" marks one, and saving the call links it."""

import pytest

from knowledge.models import CallArticle
from tests.factories import ArticleFactory
from tickets.models import Call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_typing_the_summary_shows_matching_articles_and_saving_links_the_marked_one(page, login, make_employee):
    agent = make_employee("agent", name="张伟")
    refund = ArticleFactory(question="退款流程：客户要求退款怎么办？", answer="核对订单号后办理。")
    ArticleFactory(question="发票补开", answer="登记税号后转财务部。")
    ArticleFactory(question="退款草稿", state="draft")
    login(agent.user.username)

    page.goto(page.base_url + "/calls/new/")
    page.wait_for_selector("#kb-panel")
    page.fill("#id_caller_phone", "13800138000")
    page.fill("#id_caller_name", "陈建华")
    page.click("#id_summary")
    page.keyboard.type("退款")
    page.wait_for_selector(f'[data-kb-article="{refund.pk}"]')
    assert page.locator("[data-kb-article]").count() == 1  # the draft is not offered, 发票补开 does not match
    page.click(f'[data-kb-mark="{refund.pk}"]')
    page.wait_for_selector("#kb-marked-article")
    assert "退款流程" in page.inner_text("#kb-marked-article")
    page.screenshot(path="/tmp/kb-intake-1366.png", full_page=True)
    page.select_option("#id_valid", "1")
    page.click("#save-call")
    page.wait_for_selector(".alert-success")
    call = Call.objects.get(summary="退款")
    assert list(CallArticle.objects.values_list("call", "article", "marked_by")) == [(call.pk, refund.pk, agent.pk)]
