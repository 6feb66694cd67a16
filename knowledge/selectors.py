"""Reads of the knowledge base: the list (search, category), one article with its usage figures, its versions and
calls, and the intake panel's matches. Each is a fixed number of queries whatever the number of rows."""

from django.db import connections
from django.db.models import Count, IntegerField, Q, Value
from django.db.models.expressions import RawSQL

from csmgmt.core.permissions import can
from csmgmt.core.search import SearchBigrams, SearchSpec, bigrams, fold, search
from tickets.models import Call

from .models import Article, ArticleVersion, CallArticle

OFFERED = (Article.State.PUBLISHED, Article.State.NEEDS_REVIEW)
INTAKE_LIMIT = 5
INTAKE_PAIRS = 60  # of a long summary, the first pairs are enough


def _single(chars):
    cond = Q()
    for c in chars:
        cond |= Q(question__contains=c) | Q(tags__contains=c)
    return cond


SEARCH = SearchSpec(order=("-updated_at", "-id"), single=_single)


def visible_articles(user):
    """Supervisors (and managers) see every article; agents the published ones (and those due for review)."""
    qs = Article.objects.all()
    if not can(user, "knowledge.write"):
        qs = qs.filter(state__in=OFFERED)
    return qs


# "used": the calls marked with the article, voided calls left out; "resolved": those resolved on the call
USED = Count("uses", filter=~Q(uses__call__status=Call.Status.VOIDED))
RESOLVED = Count("uses", filter=~Q(uses__call__status=Call.Status.VOIDED)
                 & Q(uses__call__outcome=Call.Outcome.RESOLVED))


def article_list(user, *, q: str = "", category: str = "", state: str = ""):
    """The list page's rows, newest first, each with ``used`` and ``resolved`` (one query for a page)."""
    qs = visible_articles(user)
    if category:
        qs = qs.filter(category=category)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = search(qs, q, SEARCH)
    return (qs.select_related("created_by", "reviewed_by").annotate(used=USED, resolved=RESOLVED)
            .order_by("-updated_at", "-id"))


def article_for(user, pk: int) -> Article | None:
    return visible_articles(user).select_related("created_by", "reviewed_by").filter(pk=pk).first()


def resolution_rate(used: int, resolved: int):
    """Resolved on the call / calls marked, as a percentage (None when never used)."""
    return None if not used else round(100 * resolved / used, 1)


def article_usage(article: Article) -> dict:
    """How often the article was used and the resolution rate of its calls: one aggregate query."""
    figures = CallArticle.objects.filter(article=article).exclude(call__status=Call.Status.VOIDED).aggregate(
        used=Count("pk"), resolved=Count("pk", filter=Q(call__outcome=Call.Outcome.RESOLVED)))
    return {**figures, "rate": resolution_rate(figures["used"], figures["resolved"])}


def article_versions(article: Article) -> list[dict]:
    """Each edit of the text, newest first: who, when, the old and the new question and answer (version 1 is the
    text as written, with nothing before it)."""
    versions = list(ArticleVersion.objects.filter(article=article).select_related("by__user").order_by("number"))
    out = []
    previous = None
    for v in versions:
        out.append({"version": v, "old": previous,
                    "question_changed": previous is not None and previous.question != v.question,
                    "answer_changed": previous is not None and previous.answer != v.answer})
        previous = v
    return out[::-1]


def article_calls(article: Article, limit: int = 50) -> list[CallArticle]:
    """The calls where the article was used, newest mark first."""
    return list(CallArticle.objects.filter(article=article).select_related("call", "marked_by")
                .order_by("-marked_at", "-id")[:limit])


def call_articles_panel(call: Call, user) -> dict | None:
    """The call page's panel (``csmgmt.core.registry.register_call_panel``): the articles marked as having answered
    ``call`` that ``user`` may read, oldest mark first; one query. None when there are none."""
    uses = list(CallArticle.objects.filter(call=call, article__in=visible_articles(user))
                .select_related("article", "marked_by").order_by("marked_at", "id"))
    return {"uses": uses} if uses else None


def summary_pairs(summary: str) -> list[str]:
    """The character pairs of what the agent typed (folded, as the search column is), in order. A NUL (which
    PostgreSQL refuses in a text value) separates words like a space."""
    return [p for w in fold((summary or "").replace("\x00", " ")).split() for p in bigrams(w)][:INTAKE_PAIRS]


def intake_matches(summary: str, limit: int = INTAKE_LIMIT) -> list[Article]:
    """The articles offered to agents that share a character pair with the summary (a two-character word such as
    退款 is one pair), those sharing most first, then the newest. The pairs are looked up in the articles' bigram
    index (``csmgmt.core.search``), so a long summary needs no exact phrase."""
    pairs = summary_pairs(summary)
    if not pairs:
        return []
    qs = Article.objects.filter(state__in=OFFERED)
    if connections[qs.db].vendor == "postgresql":
        shared = RawSQL("cardinality(ARRAY(SELECT unnest(search_bigrams(search_text)) INTERSECT "
                        "SELECT unnest(%s::text[])))", (pairs,), output_field=IntegerField())
        qs = qs.alias(_pairs=SearchBigrams("search_text")).filter(_pairs__overlap=pairs)
    else:  # SQLite (make run): every pair checked in the text
        cond = Q()
        for p in pairs:
            cond |= Q(search_text__contains=p)
        qs = qs.filter(cond)
        shared = Value(0, output_field=IntegerField())
    return list(qs.annotate(shared=shared).order_by("-shared", "-updated_at", "-id")[:limit])
