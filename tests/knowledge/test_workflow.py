"""The article's table, move by move and role by role, through the services.

The expected table is written out here from REGULATIONS §10 ("answers to frequent questions, kept up to date by
supervisors (who wrote it, when, reviewed by)") and issue 20 ("written by supervisors, moving draft → published →
needs review (after N months, settable) → published"); where both are silent, from docs/knowledge.md: publishing
counts as the first review, a supervisor may review a published article early, and only the product itself
(the daily job) makes an article due. A manager is a supervisor (REGULATIONS §1)."""

import itertools

import pytest

from csmgmt.core.workflow import available_actions, transition
from knowledge import services
from knowledge.models import ArticleEvent
from knowledge.workflow import ARTICLE, KnowledgeError, KnowledgeForbidden
from tests.factories import ArticleFactory
from tests.workflow_support import snapshot

pytestmark = pytest.mark.django_db

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin", "system")
SUPERVISORS = {"supervisor", "manager"}

# (state, action) -> (next state, roles that may)
EXPECTED = {
    ("draft", "publish"): ("published", SUPERVISORS),
    ("published", "due"): ("needs_review", {"system"}),
    ("published", "review"): ("published", SUPERVISORS),
    ("needs_review", "review"): ("published", SUPERVISORS),
}
STATES = ("draft", "published", "needs_review")
ACTIONS = ("publish", "due", "review")


@pytest.fixture
def people(make_employee):
    return {**{role: make_employee(role) for role in ROLES if role != "system"}, "system": None}


def _move(article, action, by):
    if action == "publish":
        return services.article_publish(article=article, by=by)
    if action == "review":
        return services.article_review(article=article, by=by, comment="答案仍然正确")
    if action == "due":  # the product's move (the daily job makes it through transition_many)
        return transition(ARTICLE, article, "due", by=by)
    raise AssertionError(action)


def _user(person):
    return person.user if person is not None else None


CASES = list(itertools.product(STATES, ACTIONS))


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_the_article_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        people, state, action):
    expected = EXPECTED.get((state, action))
    untouched = ArticleFactory(state=state)
    for role in ROLES:
        person = people[role]
        if expected is not None and role in expected[1]:
            article = ArticleFactory(state=state)
            if person is not None:
                assert action in available_actions(article, _user(person)), role
            _move(article, action, person)
            article.refresh_from_db()
            assert article.state == expected[0], role
            events = list(ArticleEvent.objects.filter(article=article).values_list(
                "action", "from_state", "to_state", "by_id"))
            assert events == [(action, state, expected[0], person.pk if person else None)], role
            if action in ("publish", "review"):  # the review clock restarts, with who reviewed
                assert (article.reviewed_by_id, article.reviewed_at) == (person.pk, events and
                                                                       ArticleEvent.objects.get(article=article).at)
        else:
            before = snapshot(untouched)
            with pytest.raises(KnowledgeError) as exc:
                _move(untouched, action, person)
            assert f"KB-{untouched.pk}" in exc.value.message, role
            if expected is not None:
                assert isinstance(exc.value, KnowledgeForbidden), role
            assert snapshot(untouched) == before, role
            if person is not None:
                assert action not in available_actions(untouched, _user(person)), role
