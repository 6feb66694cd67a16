"""The article's life (REGULATIONS §10, 知识库) as a table run by the engine (``csmgmt.core.workflow``).

``TABLE[state][action] = move(next state, roles)``. Roles are expanded by ``roles_of``: "supervisor" covers
managers too. Articles have no object-level rule: every supervisor keeps every article up to date.

- draft → published ("publish", a supervisor; publishing counts as the first review);
- published → needs review ("due", the product itself: the daily job, N months after the last review,
  ``KnowledgeSettings.review_after_months``);
- needs review → published ("review", a supervisor: the answer is still right), and published → published
  ("review" early, restarting the clock).

Editing the text is not a move: it keeps the state and adds a version (``knowledge.services.article_edit``).
"""

from csmgmt.core.roles import Role
from csmgmt.core.workflow import SYSTEM, EventSpec, Workflow, WorkflowError, WorkflowForbidden, move
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Article, ArticleEvent


class KnowledgeError(WorkflowError):
    """A refused action; ``str(exc)`` is the message for the user."""


class KnowledgeForbidden(KnowledgeError, WorkflowForbidden):
    """The employee may not do this to an article (e.g. an agent publishing)."""


S = Article.State
SUPERVISORS = {Role.SUPERVISOR}  # knowledge.write

TABLE = {
    S.DRAFT: {
        "publish": move(S.PUBLISHED, SUPERVISORS),
    },
    S.PUBLISHED: {
        "due": move(S.NEEDS_REVIEW, {SYSTEM}),
        "review": move(S.PUBLISHED, SUPERVISORS),
    },
    S.NEEDS_REVIEW: {
        "review": move(S.PUBLISHED, SUPERVISORS),
    },
}


def _refusal(article, action) -> str:
    return _("Article %(number)s is “%(state)s”: it cannot be changed that way.") % {
        "number": article.number, "state": article.get_state_display()}


ARTICLE = Workflow(
    name="article",
    model=Article,
    field="state",
    table=TABLE,
    events=EventSpec(model=ArticleEvent, record="article"),
    labels=dict(ArticleEvent.Action.choices),
    describe=lambda article: {"number": article.number},
    error=KnowledgeError,
    forbidden=KnowledgeForbidden,
    refusal=_refusal,
    forbidden_message=gettext_lazy("You may not do this to article %(number)s."),
)


def available_actions(article, user) -> list[str]:
    from csmgmt.core.workflow import available_actions as engine_actions

    return engine_actions(article, user, ARTICLE)
