"""The inspection's table, written out from the rule (REGULATIONS §10 and §5 "appeal once"; docs/quality.md where
the rule is silent: who scores and decides is the agent's supervisor or a manager, never the agent), tried for
every (state, action, person): each listed move works for its people and writes its event; every other is
refused with nothing changed."""

import pytest

from quality.models import Inspection, InspectionEvent
from quality.services.config import settings_save
from quality.services.draws import draw_month
from quality.services.inspections import appeal_decide, inspection_appeal, inspection_score
from quality.workflow import QualityError
from tests.workflow_support import snapshot

from .conftest import MONTH, full_marks

pytestmark = pytest.mark.django_db

PEOPLE = ("owner", "team_supervisor", "other_supervisor", "manager", "other_agent")
ACTIONS = ("score", "appeal", "uphold", "reject")

# state -> {action: (next state, the people who may)}
EXPECTED = {
    "drawn": {"score": ("scored", {"team_supervisor", "manager"})},
    "scored": {"appeal": ("appealed", {"owner"})},
    "appealed": {"uphold": ("voided", {"team_supervisor", "manager"}),
                 "reject": ("scored", {"team_supervisor", "manager"})},
    "voided": {},
}


def _person(team, who):
    return {"owner": team.a1, "team_supervisor": team.sup, "other_supervisor": team.sup2, "manager": team.manager,
            "other_agent": team.a2}[who]


def _do(inspection, action, by):
    if action == "score":
        return inspection_score(inspection=inspection, by=by, scores=full_marks(inspection))
    if action == "appeal":
        return inspection_appeal(inspection=inspection, by=by, reason="申诉理由")
    return appeal_decide(inspection=inspection, by=by, uphold=action == "uphold", reason="决定理由")


def _bring_to(team, inspection, state):
    if state in ("scored", "appealed", "voided"):
        _do(inspection, "score", team.sup)
    if state in ("appealed", "voided"):
        _do(inspection, "appeal", team.a1)
    if state == "voided":
        _do(inspection, "uphold", team.manager)
    inspection.refresh_from_db()
    assert inspection.state == state
    return inspection


@pytest.mark.parametrize("state", list(EXPECTED))
def test_every_move_of_the_inspection_table_for_every_person(team, state):
    settings_save(by=team.manager, sample_size=8, swaps_per_agent=1)
    draw_month(month=MONTH, by=team.sup)
    fresh = iter(Inspection.objects.filter(agent=team.a1).order_by("pk"))  # 8 of 张's calls
    probe = _bring_to(team, next(fresh), state)
    for action in ACTIONS:
        to, allowed = EXPECTED[state].get(action, (None, set()))
        for who in PEOPLE:
            by = _person(team, who)
            if who in allowed:
                inspection = _bring_to(team, next(fresh), state)
                events = InspectionEvent.objects.filter(inspection=inspection).count()
                _do(inspection, action, by)
                inspection.refresh_from_db()
                assert inspection.state == to, (state, action, who)
                event = InspectionEvent.objects.filter(inspection=inspection, action=action).latest("pk")
                assert (event.from_state, event.to_state, event.by) == (state, to, by)
                assert InspectionEvent.objects.filter(inspection=inspection).count() == events + 1
            else:
                before = snapshot(probe)
                with pytest.raises(QualityError):
                    _do(probe, action, by)
                assert snapshot(probe) == before, (state, action, who)
