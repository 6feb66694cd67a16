"""A failed item recorded as the phone-handling violation (REGULATIONS §10 → §5), through scoring's manual-entry
service, linked both ways; the agent's appeal, once (§5: "may appeal once per record"; §10: "like any record");
upheld, the inspection and its violations are voided, never deleted."""

import pytest
from django.utils import timezone

from csmgmt.models import Notification
from quality.models import Inspection, InspectionEvent, ItemScore
from quality.services.draws import draw_month
from quality.services.inspections import appeal_decide, inspection_appeal, inspection_score, violation_record
from quality.workflow import QualityError
from staff.models import ManualEntry
from tests.workflow_support import snapshot

from .conftest import MONTH, scores_by_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(team):
    draw_month(month=MONTH, by=team.sup)
    inspection = Inspection.objects.filter(agent=team.a1).order_by("pk").first()
    inspection_score(inspection=inspection, by=team.sup,
                     scores=scores_by_name(inspection, {"语言规范": 5, "服务态度": 6},
                                           {"语言规范": "多次使用口头禅", "服务态度": "语气生硬"}))
    inspection.refresh_from_db()
    return inspection


def _failed(inspection, name):
    return ItemScore.objects.get(inspection=inspection, item__name=name)


def test_a_failed_item_becomes_the_phone_handling_violation_linked_both_ways(team, scored):
    score = _failed(scored, "语言规范")
    entry = violation_record(score=score, by=team.sup)

    entry.refresh_from_db()
    assert entry.employee == team.a1 and entry.category.code == "phone_rule" and entry.recorded_by == team.sup
    assert entry.date == timezone.localdate() and not entry.voided
    assert scored.call.number in entry.note and "语言规范" in entry.note and "多次使用口头禅" in entry.note
    score.refresh_from_db()
    assert score.violation == entry  # the inspection shows its violation
    assert entry.inspection_item.inspection == scored  # the violation shows its inspection
    event = InspectionEvent.objects.get(inspection=scored, action="violation")
    assert event.by == team.sup and event.data == {"item": score.item_id, "entry": entry.pk}
    assert scored.state == "scored"  # a note on the trail, not a move


def test_an_item_is_recorded_once_and_only_a_failed_one(team, scored):
    violation_record(score=_failed(scored, "语言规范"), by=team.sup)
    with pytest.raises(QualityError, match="already recorded"):
        violation_record(score=_failed(scored, "语言规范"), by=team.manager)
    with pytest.raises(QualityError, match="Only a failed item"):
        violation_record(score=_failed(scored, "解答准确"), by=team.sup)
    assert ManualEntry.objects.count() == 1


def test_another_team_or_the_agent_cannot_record_the_violation(team, scored):
    score = _failed(scored, "服务态度")
    for outsider in (team.sup2, team.a1, team.a2):
        with pytest.raises(QualityError):
            violation_record(score=score, by=outsider)
    score.refresh_from_db()
    assert score.violation is None and ManualEntry.objects.count() == 0


def test_an_upheld_appeal_voids_the_inspection_and_its_violations(team, scored, django_capture_on_commit_callbacks):
    first = violation_record(score=_failed(scored, "语言规范"), by=team.sup)
    second = violation_record(score=_failed(scored, "服务态度"), by=team.manager)
    inspection_appeal(inspection=scored, by=team.a1, reason="客户情绪激动，已按流程安抚")
    scored.refresh_from_db()
    assert scored.state == "appealed" and scored.appeal_reason == "客户情绪激动，已按流程安抚"

    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(inspection=scored, by=team.sup, uphold=True, reason="复核录音，评分有误")

    scored.refresh_from_db()
    assert scored.state == "voided" and scored.decision_reason == "复核录音，评分有误"
    for entry in (first, second):
        entry.refresh_from_db()
        assert entry.voided and entry.void_reason == "Inspection appeal upheld: 复核录音，评分有误"
    assert ManualEntry.objects.count() == 2 and Inspection.objects.filter(pk=scored.pk).exists()  # nothing deleted
    actions = list(InspectionEvent.objects.filter(inspection=scored).order_by("pk").values_list("action", "by"))
    assert actions == [("draw", team.sup.pk), ("score", team.sup.pk), ("violation", team.sup.pk),
                       ("violation", team.manager.pk), ("appeal", team.a1.pk), ("uphold", team.sup.pk),
                       ("violation_void", team.sup.pk)]
    notice = Notification.objects.filter(recipient=team.a1, key=f"quality-appeal-decided-{scored.pk}").get()
    assert notice.msgid == "Your appeal of the inspection of call %(call)s was upheld: the inspection is voided."


def test_a_rejected_appeal_scores_it_again_and_a_second_appeal_is_refused(team, scored,
                                                                          django_capture_on_commit_callbacks):
    entry = violation_record(score=_failed(scored, "语言规范"), by=team.sup)
    inspection_appeal(inspection=scored, by=team.a1, reason="评分过严")
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(inspection=scored, by=team.manager, uphold=False, reason="录音显示确有口头禅")
    scored.refresh_from_db()
    entry.refresh_from_db()
    assert scored.state == "scored" and scored.total == 76  # 100 − (15 − 5) − (20 − 6) and not entry.voided
    assert Notification.objects.get(key=f"quality-appeal-decided-{scored.pk}").params == {
        "call": scored.call.number, "reason": "录音显示确有口头禅"}

    before = snapshot(scored)
    with pytest.raises(QualityError, match="appealed once"):
        inspection_appeal(inspection=scored, by=team.a1, reason="再次申诉")
    assert snapshot(scored) == before


def test_only_the_agent_appeals_and_never_without_a_reason(team, scored):
    before = snapshot(scored)
    for other in (team.a2, team.sup, team.manager):
        with pytest.raises(QualityError):
            inspection_appeal(inspection=scored, by=other, reason="不服")
    with pytest.raises(QualityError, match="Explain"):
        inspection_appeal(inspection=scored, by=team.a1, reason=" ")
    assert snapshot(scored) == before


def test_the_upheld_appeal_is_refused_whole_when_a_violation_cannot_be_voided(team, scored):
    """A violation in a closed scoring month cannot be voided (§5): the appeal stays undecided, nothing changes."""
    from staff.scoring.services.months import month_close

    entry = violation_record(score=_failed(scored, "语言规范"), by=team.sup)
    inspection_appeal(inspection=scored, by=team.a1, reason="评分过严")
    today = timezone.localdate()
    month_close(year=today.year, month=today.month, by=team.manager)
    scored.refresh_from_db()
    before = snapshot(scored)

    with pytest.raises(QualityError):
        appeal_decide(inspection=scored, by=team.sup, uphold=True, reason="复核后撤销")

    assert snapshot(scored) == before
    entry.refresh_from_db()
    assert not entry.voided


def test_the_scoring_pages_show_the_inspection_a_violation_came_from(team, scored, client_for,
                                                                     django_capture_on_commit_callbacks):
    from django.urls import reverse

    from staff.models import PenaltyRecord

    with django_capture_on_commit_callbacks(execute=True):  # the month's records are computed after the commit
        entry = violation_record(score=_failed(scored, "语言规范"), by=team.sup)
    link = reverse("quality:detail", args=[scored.pk])
    html = client_for(team.sup).get(reverse("staff:scoring_manual_list")).content.decode()
    assert f'href="{link}"' in html and f"Quality inspection of call {scored.call.number}" in html
    today = timezone.localdate()
    html = client_for(team.a1).get(reverse("staff:scoring_card") + f"?month={today:%Y-%m}").content.decode()
    assert f'href="{link}"' in html
    record = PenaltyRecord.objects.get(source=f"manual:{entry.pk}")
    assert record.rule.event_kind == "manual:phone_rule" and record.points == -0.5  # the points preset, §10 → §5
    html = client_for(team.a1).get(reverse("staff:scoring_appeal_new", args=[record.pk])).content.decode()
    assert f'href="{link}"' in html
