"""load_demo's knowledge base (issue 20: "a dozen real-sounding Chinese articles"): twelve articles across the
call categories, one draft, one due for review, one edited (two versions), a few marked on the demo's calls;
loading twice changes nothing."""

import pytest

from knowledge import demo as knowledge_demo
from knowledge.models import Article, ArticleVersion, CallArticle
from staff import demo as staff_demo
from tickets import demo as tickets_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_dozen_articles_one_due_for_review_some_used_and_is_idempotent():
    staff_demo.load()
    tickets_demo.load()
    knowledge_demo.load()
    counts = (Article.objects.count(), ArticleVersion.objects.count(), CallArticle.objects.count())
    assert counts[0] == 12
    assert dict(Article.objects.values_list("question", "state"))["周末和节假日的配送安排"] == "needs_review"
    assert sorted(Article.objects.values_list("state", flat=True)) == ["draft"] + ["needs_review"] + ["published"] * 10
    assert len(set(Article.objects.values_list("category", flat=True))) >= 6
    assert counts[1] == 13  # one edited
    assert counts[2] == 5
    knowledge_demo.load()
    assert (Article.objects.count(), ArticleVersion.objects.count(), CallArticle.objects.count()) == counts
