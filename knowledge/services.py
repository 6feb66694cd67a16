"""Every write of the knowledge base (REGULATIONS §10, 知识库).

Articles move only through the workflow engine (``knowledge/workflow.py``); an edit of the question or the answer
keeps the old text as a version (``ArticleVersion``) and the rest of the row in its edit trail
(``HistoricalRecords``). A call's link to the article that answered it is kept once and never deleted."""

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.permissions import can
from csmgmt.core.workflow import record_created, transition, transition_many
from staff.models import Employee
from tickets.models import Call

from .models import Article, ArticleVersion, CallArticle, KnowledgeSettings
from .workflow import ARTICLE, KnowledgeError, KnowledgeForbidden

OFFERED = (Article.State.PUBLISHED, Article.State.NEEDS_REVIEW)  # what agents see and may mark


def _may_write(by: Employee) -> None:
    if by is None or not can(by.user, "knowledge.write"):
        raise KnowledgeForbidden(_("Only supervisors and managers write articles."))


def _clean(question: str, answer: str, tags: str, category: str) -> dict:
    question, answer = (question or "").strip(), (answer or "").strip()
    if not question or not answer:
        raise KnowledgeError(_("An article needs a question and an answer."))
    if category not in Call.Category.values:
        raise KnowledgeError(_("Choose a category."))
    return {"question": question[:300], "answer": answer, "category": category,
            "tags": " ".join((tags or "").replace(",", " ").replace("，", " ").split())[:200]}


def _version(article: Article, *, by: Employee, at) -> ArticleVersion:
    last = article.versions.aggregate(n=Max("number"))["n"] or 0
    return ArticleVersion.objects.create(article=article, number=last + 1, question=article.question,
                                         answer=article.answer, by=by, at=at)


def article_create(*, by: Employee, question: str, answer: str, category: str, tags: str = "") -> Article:
    """A new article, a draft, version 1 of its text."""
    _may_write(by)
    fields = _clean(question, answer, tags, category)
    with transaction.atomic():
        article = Article(created_by=by, **fields)
        article._history_user = by.user
        article.save()
        record_created(ARTICLE, article, by=by)
        _version(article, by=by, at=article.created_at)
    return article


def article_edit(*, article: Article, by: Employee, question: str, answer: str, category: str,
                 tags: str = "") -> Article:
    """Change the article's text, category or tags; its state stays. A changed question or answer is a new
    version (the old one kept)."""
    _may_write(by)
    fields = _clean(question, answer, tags, category)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        text_changed = (locked.question, locked.answer) != (fields["question"], fields["answer"])
        if not text_changed and (locked.category, locked.tags) == (fields["category"], fields["tags"]):
            return locked
        for name, value in fields.items():
            setattr(locked, name, value)
        locked._history_user = by.user
        locked.save()
        if text_changed:
            _version(locked, by=by, at=locked.updated_at)
    article.refresh_from_db()
    return locked


def _reviewed(article, ctx):
    article.reviewed_by = ctx.by
    article.reviewed_at = ctx.now


def article_publish(*, article: Article, by: Employee, comment: str = "", now: dt.datetime | None = None) -> Article:
    """Draft → published; publishing counts as the first review (the review clock starts). ``now``: the demo's
    back-dated publishing."""
    return transition(ARTICLE, article, "publish", by=by, comment=comment, apply=_reviewed, now=now)


def article_review(*, article: Article, by: Employee, comment: str = "") -> Article:
    """The answer is still right: needs review (or published, early) → published, the clock restarts."""
    return transition(ARTICLE, article, "review", by=by, comment=comment, apply=_reviewed)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def articles_mark_due(*, now: dt.datetime | None = None) -> int:
    """The daily job: published articles whose last review is ``review_after_months`` ago or more become "needs
    review", by the product itself; their last reviewer is told (once). Safe to run twice: a second run finds none.
    Returns how many moved."""
    now = now or timezone.now()
    cutoff = months_before(now, KnowledgeSettings.current().review_after_months)
    with transaction.atomic():
        due = list(Article.objects.filter(state=Article.State.PUBLISHED, reviewed_at__lte=cutoff)
                   .order_by("pk").values_list("pk", "reviewed_by_id", "reviewed_at"))
        moved = transition_many(ARTICLE, [pk for pk, _by, _at in due], "due", now=now)
        for pk, reviewer, reviewed_at in due:
            if reviewer is None:
                continue
            notification_send(
                recipient=Employee.objects.get(pk=reviewer),
                message=gettext_lazy("Knowledge base article %(number)s is due for review."),
                params={"number": f"KB-{pk}"}, link=reverse("knowledge:detail", args=[pk]),
                key=f"kb-due-{pk}-{reviewed_at:%Y%m%d%H%M%S}")
    return moved


def call_article_mark(*, call: Call, article: Article, by: Employee) -> CallArticle:
    """Link ``call`` to the article that answered it. Only a published article (or one due for review) is
    offered; the call must not be voided; the agent who took or owns the call marks it, or a supervisor. Marking
    the same pair again returns the link already there."""
    if by is None or not can(by.user, "knowledge.read"):
        raise KnowledgeForbidden(_("You may not mark articles on calls."))
    if by.pk not in (call.agent_id, call.owner_id) and not can(by.user, "knowledge.write"):
        raise KnowledgeForbidden(_("Only the agent of call %(number)s or a supervisor marks its article.")
                                 % {"number": call.number})
    if call.status == Call.Status.VOIDED:
        raise KnowledgeError(_("Call %(number)s is voided.") % {"number": call.number})
    if article.state not in OFFERED:
        raise KnowledgeError(_("Article %(number)s is not published.") % {"number": article.number})
    existing = CallArticle.objects.filter(call=call, article=article).first()
    if existing is not None:
        return existing
    link = CallArticle(call=call, article=article, marked_by=by, marked_at=timezone.now())
    link._history_user = by.user
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:  # marked by someone else a moment ago
        return CallArticle.objects.get(call=call, article=article)
    return link


def intake_call_saved(*, call: Call, data, by: Employee) -> None:
    """The intake page's hook (``csmgmt.core.registry.IntakePanel.on_saved``), inside the call's saving
    transaction: the article the agent marked in the panel (``kb_article``) is linked to the new call. A value
    that names no offered article is ignored — the call is saved all the same."""
    raw = (data.get("kb_article") or "").strip()
    if not raw.isdigit() or len(raw) > 12:
        return
    article = Article.objects.filter(pk=int(raw), state__in=OFFERED).first()
    if article is not None:
        call_article_mark(call=call, article=article, by=by)


def knowledge_settings_save(*, by: Employee, review_after_months: int) -> KnowledgeSettings:
    if by is None or not can(by.user, "knowledge.configure"):
        raise KnowledgeForbidden(_("Only managers change the knowledge base settings."))
    if review_after_months < 1 or review_after_months > 120:
        raise KnowledgeError(_("Between 1 and 120 months."))
    with transaction.atomic():
        settings = KnowledgeSettings.objects.select_for_update().order_by("pk").first() or KnowledgeSettings()
        settings.review_after_months = review_after_months
        settings._history_user = by.user
        settings.save()
    return settings
