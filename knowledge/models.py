"""The knowledge base (知识库/FAQ, REGULATIONS §10): answers to frequent questions, kept up to date by supervisors
(who wrote it, when, reviewed by), searched from call intake beside the scripts, each with the calls where it was
used.

- :class:`Article` moves draft → published → needs review → published (``knowledge/workflow.py``); its trail is
  :class:`ArticleEvent` (the moves) and :class:`ArticleVersion` (every text it had: who, when, question, answer).
- :class:`CallArticle` links a call to the article that answered it (marked by the agent at intake).
- :class:`KnowledgeSettings`: after how many months a published article is due for review (a manager's setting).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from csmgmt.core.models import WorkflowEvent
from csmgmt.core.search import search_text_field
from tickets.models import Call


class Article(models.Model):
    """One question and its answer. The category is the call's (REGULATIONS §2: 咨询, 报修, 失物 …), so the intake
    page and the article speak of the same things."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("article", "Draft")
        PUBLISHED = "published", pgettext_lazy("article", "Published")
        NEEDS_REVIEW = "needs_review", _("Needs review")

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    category = models.CharField(_("category"), max_length=20, choices=Call.Category.choices,
                                default=Call.Category.ENQUIRY)
    tags = models.CharField(_("tags"), max_length=200, blank=True,
                            help_text=_("Words separated by spaces, e.g. 退款 订单"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey("staff.Employee", verbose_name=_("written by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # the last review (publishing counts as the first): the review clock runs from here
    reviewed_by = models.ForeignKey("staff.Employee", verbose_name=_("reviewed by"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    search_text = search_text_field("question", "answer", "tags")  # csmgmt.core.search
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="kb_article_updated_idx"),
            models.Index(fields=["category", "-updated_at"], name="kb_article_category_idx"),
            models.Index(fields=["reviewed_at"], name="kb_article_review_due_idx", condition=Q(state="published")),
        ]

    def __str__(self):
        return self.question

    @property
    def number(self) -> str:
        return f"KB-{self.pk}"

    def tag_list(self) -> list[str]:
        return self.tags.split()


class ArticleEvent(WorkflowEvent):
    """The trail of an article's moves (written, published, due for review, reviewed)."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("article", "Written")
        PUBLISH = "publish", _("Published")
        DUE = "due", _("Due for review")
        REVIEW = "review", _("Reviewed")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        indexes = [models.Index(fields=["article", "at"], name="kb_event_article_idx")]


class ArticleVersion(models.Model):
    """The article's text as it was saved: version 1 when written, one more at each edit of the question or the
    answer. Never edited, never deleted; the article page shows each edit (who, when, old, new)."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    by = models.ForeignKey("staff.Employee", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="kb_version_once")]

    def __str__(self):
        return f"{self.article_id} v{self.number}"


class CallArticle(models.Model):
    """The article that answered a call, marked by the agent (REGULATIONS §10: "each answer with the calls where it
    was used"). One link per call and article; kept, never deleted."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="uses")
    marked_by = models.ForeignKey("staff.Employee", verbose_name=_("marked by"), on_delete=models.PROTECT,
                                  related_name="+")
    marked_at = models.DateTimeField(_("marked at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article used on a call")
        verbose_name_plural = _("articles used on calls")
        ordering = ["-marked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["call", "article"], name="kb_call_article_once")]
        indexes = [models.Index(fields=["article", "-marked_at"], name="kb_use_article_idx")]

    def __str__(self):
        return f"{self.call_id} → {self.article_id}"


class KnowledgeSettings(models.Model):
    """The knowledge base's one number a manager may change (one row)."""

    review_after_months = models.PositiveSmallIntegerField(
        _("published articles are due for review after, months"), default=6,
        help_text=_("Counted from the last review (publishing counts as the first)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("knowledge base settings")
        verbose_name_plural = _("knowledge base settings")
        constraints = [models.CheckConstraint(condition=Q(review_after_months__gte=1), name="kb_review_months_min")]

    def __str__(self):
        return str(_("Knowledge base settings"))

    @classmethod
    def current(cls) -> "KnowledgeSettings":
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls()
