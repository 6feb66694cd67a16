"""Scoring on the checklist (REGULATIONS §10: greeting and scripts used 15, language 15, attitude 20, accuracy 20,
problem solved 15, forbidden phrases 10, record complete 5 — 100 in all; an item below half its points has
failed), its trail and its notice; the checklist edited by a manager as a new version."""

import pytest

from csmgmt.models import Notification
from quality.models import ChecklistItem, Inspection, InspectionEvent, ItemScore
from quality.services.config import checklist_current, checklist_save
from quality.services.draws import draw_month
from quality.services.inspections import inspection_score
from quality.workflow import QualityError
from staff.models import ManualCategory
from tests.workflow_support import snapshot

from .conftest import MONTH, full_marks, scores_by_name

pytestmark = pytest.mark.django_db

SECTION_10 = [("开场问候及标准话术", 15), ("语言规范", 15), ("服务态度", 20), ("解答准确", 20), ("问题解决", 15),
              ("未使用禁用语", 10), ("记录完整", 5)]


def test_the_checklist_ships_with_the_items_and_points_of_section_10_each_becoming_the_phone_rule(db):
    version = checklist_current()
    items = list(version.items.order_by("order"))
    assert [(i.name, i.points) for i in items] == SECTION_10
    assert sum(i.points for i in items) == 100
    assert {i.violation_category.code for i in items} == {"phone_rule"}


def test_the_phone_rule_is_in_both_presets(db):
    """§5: the fines preset has "phone-handling rule broken" (¥20 ×2, ¥50 ×2, ¥100 ×3, dismissal at the 8th);
    the points preset gets it (−0.5 a time, our choice) so a failed item counts whichever preset is in force."""
    from staff.models import Rule

    fines = Rule.objects.get(rule_set__code="fines", event_kind="manual:phone_rule")
    tiers = [(t.first, t.last, t.money) for t in fines.tiers.order_by("first")]
    assert tiers == [(1, 2, -20), (3, 4, -50), (5, 7, -100)]
    assert [(x.at, x.flag) for x in fines.thresholds.all()] == [(8, "dismissal")]
    points = Rule.objects.get(rule_set__code="points", event_kind="manual:phone_rule")
    assert [(t.first, t.last, t.points) for t in points.tiers.all()] == [(1, None, -0.5)]
    assert points.counts_as_violation and fines.counts_as_violation


@pytest.fixture
def drawn(team):
    draw_month(month=MONTH, by=team.sup)
    return Inspection.objects.filter(agent=team.a1).order_by("pk").first()


def test_the_total_is_the_sum_of_the_items_and_an_item_below_half_its_points_has_failed(team, drawn):
    # half of 15 is 7.5: 7 fails, 8 passes; half of 20 is 10: 10 passes, 9 fails; half of 5 is 2.5: 2 fails
    points = {"开场问候及标准话术": 8, "语言规范": 7, "服务态度": 10, "解答准确": 9, "问题解决": 15,
              "未使用禁用语": 10, "记录完整": 2}
    comments = {"语言规范": "口头禅较多", "解答准确": "退货时限说错", "记录完整": "未记录订单号"}

    inspection_score(inspection=drawn, by=team.sup, scores=scores_by_name(drawn, points, comments), comment="需改进")

    drawn.refresh_from_db()
    assert drawn.state == "scored" and drawn.total == 61 and drawn.failed_items == 3
    assert drawn.scored_by == team.sup and drawn.comment == "需改进"
    failed = sorted(ItemScore.objects.filter(inspection=drawn, failed=True).values_list("item__name", "comment"))
    assert failed == sorted([("语言规范", "口头禅较多"), ("解答准确", "退货时限说错"), ("记录完整", "未记录订单号")])
    assert ItemScore.objects.filter(inspection=drawn).count() == 7


def test_scoring_is_trailed_and_the_agent_is_told(team, drawn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inspection_score(inspection=drawn, by=team.sup, scores=full_marks(drawn))
    event = InspectionEvent.objects.get(inspection=drawn, action="score")
    assert (event.from_state, event.to_state, event.by) == ("drawn", "scored", team.sup)
    assert event.data == {"total": 100}
    assert [h.history_user for h in drawn.history.order_by("history_id")] == [team.sup.user, team.sup.user]
    assert ItemScore.objects.filter(inspection=drawn).first().history.get().history_user == team.sup.user
    notice = Notification.objects.get(recipient=team.a1)
    assert notice.msgid == "Your call %(call)s was inspected: %(total)s points, %(failed)s failed item(s)."
    assert notice.params == {"call": drawn.call.number, "total": 100, "failed": 0}


@pytest.mark.parametrize("points, comments, message", [
    ({"语言规范": 7}, {}, "“语言规范” failed"),  # a failed item with no comment
    ({"服务态度": 21}, {}, "between 0 and 20"),  # more than the item's points
    ({"服务态度": None}, {}, "between 0 and 20"),  # an item left out
])
def test_bad_scores_are_refused_and_change_nothing(team, drawn, points, comments, message):
    before = snapshot(drawn)
    with pytest.raises(QualityError, match=message):
        inspection_score(inspection=drawn, by=team.sup, scores=scores_by_name(drawn, points, comments))
    assert snapshot(drawn) == before
    assert ItemScore.objects.count() == 0 and Notification.objects.count() == 0


def test_a_new_checklist_version_leaves_the_drawn_inspections_with_theirs(team, drawn):
    old_items = list(drawn.checklist.items.values_list("name", "points"))
    phone = ManualCategory.objects.get(code="phone_rule")
    version = checklist_save(by=team.manager, note="合并为两项", items=[
        {"name": "服务规范", "points": 60, "violation_category": phone},
        {"name": "问题解决", "points": 40, "violation_category": None}])

    assert version.number == 2 and checklist_current() == version
    assert list(drawn.checklist.items.values_list("name", "points")) == old_items == SECTION_10
    inspection_score(inspection=drawn, by=team.sup, scores=full_marks(drawn))
    drawn.refresh_from_db()
    assert drawn.total == 100 and drawn.checklist.number == 1
    assert ChecklistItem.objects.filter(version=version).count() == 2


def test_only_a_manager_edits_the_checklist(team):
    from quality.workflow import QualityForbidden

    with pytest.raises(QualityForbidden):
        checklist_save(by=team.sup, items=[{"name": "x", "points": 100}])
    assert checklist_current().number == 1
