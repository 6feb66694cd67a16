"""Materialising, closing, reopening, manual entries, appeals and the fund, on the real database."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from csmgmt.core.models import Notification
from staff.models import (Appeal, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, ScoreCard, ScoreMonth,
                          ScoreMonthEvent)
from staff.scoring.services.appeals import appeal_decide, appeal_file
from staff.scoring.services.manual_entries import manual_entry_create, manual_entry_void
from staff.scoring.services.materialise import month_materialise
from staff.scoring.services.months import month_close, month_reopen
from staff.scoring.services.rule_sets import rule_save, rule_set_activate
from staff.scoring.workflow import ScoringError, record_is_penalty
from tests.factories import EmployeeFactory, ManualEntryFactory

Y, M = 2026, 11
from tests.upload_files import one_pixel_png  # noqa: E402

PNG = one_pixel_png()  # an image upload must decode (issue 16)


def snapshot():
    """Everything materialising may write, as comparable values."""
    return (
        sorted(PenaltyRecord.objects.values_list("employee_id", "rule_id", "key", "occurrence", "tier", "points", "money",
                                                 "status", "source")),
        sorted(ScoreCard.objects.values_list("employee_id", "score", "deductions", "rewards", "fines", "reward_money",
                                             "violations")),
        sorted(FundEntry.objects.values_list("department_id", "kind", "amount", "violations", "bracket")),
        PenaltyRecord.history.count(),
        ScoreMonthEvent.objects.count(),
        list(ScoreMonth.objects.values_list("materialised_at", flat=True)),
    )


def card(employee):
    return ScoreCard.objects.get(employee=employee, score_month__year=Y, score_month__month=M)


def test_points_preset_is_active_after_migrate(presets):
    assert presets["points"].active is True
    assert presets["fines"].active is False
    assert presets["points"].rules.count() == 12  # §5's 11 and §10's phone-handling violation (issue 20)
    assert presets["fines"].rules.count() == 12  # 6 of REGULATIONS §5 + 6 attendance kinds for the clean month
    assert presets["fines"].brackets.count() == 4


def test_materialise_scores_the_events_and_every_cs_employee(presets, ev):
    late, clean = EmployeeFactory(), EmployeeFactory()
    result = month_materialise(year=Y, month=M, events=[ev(late, 3, "late"), ev(late, 4, "absent"),
                                                                  ev(late, 5, "late")])
    assert (result.created, result.updated, result.withdrawn) == (3, 0, 0)
    assert (card(late).score, card(late).deductions, card(late).violations, card(late).flags) == (
        D("4.00"), D("6.00"), 3, ["verbal_warning"])
    assert (card(clean).score, card(clean).flags) == (D("10.00"), [])
    records = PenaltyRecord.objects.filter(employee=late).order_by("date")
    assert [(r.rule.code, r.occurrence, r.points, r.source) for r in records] == [
        ("late", 1, D("-0.50"), f"attendance:day:{late.pk}03late"),
        ("absent", 1, D("-5.00"), f"attendance:day:{late.pk}04absent"),
        ("late", 2, D("-0.50"), f"attendance:day:{late.pk}05late"),
    ]
    month = ScoreMonth.objects.get(year=Y, month=M)
    assert month.rule_set == presets["points"]
    assert month.events.get().action == ScoreMonthEvent.Action.MATERIALISE


def test_materialising_twice_changes_nothing(presets, ev):
    a = EmployeeFactory()
    events = [ev(a, d, "complaint_general_fault") for d in range(1, 6)]
    month_materialise(year=Y, month=M, events=events)
    before = snapshot()
    result = month_materialise(year=Y, month=M, events=events)
    assert not result.changed
    assert snapshot() == before


def test_a_vanished_event_withdraws_its_record_and_renumbers_the_rest(presets, ev):
    a = EmployeeFactory()
    events = [ev(a, d, "complaint_general_fault") for d in (1, 2, 3)]
    month_materialise(year=Y, month=M, events=events)
    assert card(a).score == D("5")  # -1 -1 -1 and -2 at 3
    result = month_materialise(year=Y, month=M, events=events[1:])
    assert (result.created, result.updated, result.withdrawn) == (0, 2, 2)  # two renumbered; 1st and "at 3" gone
    assert card(a).score == D("8")
    first = PenaltyRecord.objects.get(source=events[0].source)
    assert first.status == PenaltyRecord.Status.WITHDRAWN
    assert first.history.count() == 2  # created, then withdrawn: the trail keeps both


def test_manual_entries_become_records_with_their_recorder_and_note(fines_active):
    supervisor = EmployeeFactory(roles=["supervisor"])
    agent = EmployeeFactory(supervisor=supervisor)
    entries = [manual_entry_create(employee=agent, category=ManualCategory.objects.get(code="conduct"),
                                            date=dt.date(Y, M, d), note=f"争吵 {d}", by=supervisor)
               for d in (2, 3, 4)]
    month_materialise(year=Y, month=M)
    records = list(PenaltyRecord.objects.filter(employee=agent).order_by("occurrence"))
    notice = Notification.objects.get(recipient=agent, key=f"scoring-manual-{entries[0].pk}")
    assert notice.text == f"{supervisor.name} 于 2026-11-02 为您记录了“行为规范违规”：争吵 2"  # in the agent's language
    assert [(r.source, r.money, r.recorded_by, r.note) for r in records] == [
        (entries[0].source, D("-20"), supervisor, "争吵 2"), (entries[1].source, D("-20"), supervisor, "争吵 3"),
        (entries[2].source, D("-50"), supervisor, "争吵 4")]
    assert card(agent).fines == D("90")


def test_fund_lines_follow_fines_rewards_and_the_bracket(fines_active):
    cs_supervisor = EmployeeFactory(roles=["supervisor"])
    fined, clean = EmployeeFactory(supervisor=cs_supervisor), EmployeeFactory(supervisor=cs_supervisor)
    for d in (2, 3, 4):
        ManualEntryFactory(employee=fined, date=dt.date(Y, M, d), recorded_by=cs_supervisor)
    month_materialise(year=Y, month=M)
    lines = dict(FundEntry.objects.filter(department=fined.department).values_list("kind", "amount"))
    scored = ScoreCard.objects.filter(score_month__year=Y, score_month__month=M).count()
    assert lines == {"fines": D("90"), "rewards": D(-100 * (scored - 1)), "bracket": D("600")}
    bracket = FundEntry.objects.get(kind="bracket")
    assert (bracket.violations, bracket.bracket) == (3, "0–20")
    assert card(clean).reward_money == D("100")


def test_a_closed_month_is_frozen_and_reopening_needs_a_reason(presets, ev):
    manager = EmployeeFactory(roles=["manager"])
    a = EmployeeFactory()
    month_close(year=Y, month=M, by=manager)
    with pytest.raises(ScoringError, match="closed"):
        month_materialise(year=Y, month=M, events=[ev(a, 3, "absent")])
    with pytest.raises(ScoringError, match="reason"):
        month_reopen(year=Y, month=M, by=manager, reason="  ")
    assert ScoreMonth.objects.get(year=Y, month=M).status == "closed"
    month_reopen(year=Y, month=M, by=manager, reason="考勤补录")
    month = ScoreMonth.objects.get(year=Y, month=M)
    assert month.status == "open"
    assert list(month.events.values_list("action", "by", "reason")) == [
        ("reopen", manager.pk, "考勤补录"), ("close", manager.pk, ""), ("materialise", manager.pk, "")]
    assert month.history.first().history_change_reason == "考勤补录"


def test_a_manual_entry_for_a_closed_month_is_refused(presets):
    manager = EmployeeFactory(roles=["manager"])
    agent = EmployeeFactory()
    month_close(year=Y, month=M, by=manager)
    with pytest.raises(ScoringError, match="closed"):
        manual_entry_create(employee=agent, category=ManualCategory.objects.get(code="conduct"),
                                     date=dt.date(Y, M, 2), note="x", by=manager)
    assert ManualEntry.objects.count() == 0


def test_a_supervisor_records_only_for_their_own_team(presets):
    supervisor = EmployeeFactory(roles=["supervisor"])
    other = EmployeeFactory()
    with pytest.raises(ScoringError, match="team"):
        manual_entry_create(employee=other, category=ManualCategory.objects.get(code="conduct"),
                                     date=dt.date(Y, M, 2), note="x", by=supervisor)
    assert ManualEntry.objects.count() == 0


from tests.upload_files import one_page_pdf  # noqa: E402


@pytest.mark.parametrize(("content", "ok"), [(PNG, True), (one_page_pdf(), True),
                                             (b"MZ\x90\x00 not a picture", False), (b"plain text", False)])
def test_evidence_is_checked_by_its_content(presets, content, ok):
    manager = EmployeeFactory(roles=["manager"])
    agent = EmployeeFactory()
    upload = SimpleUploadedFile("evidence.png", content)
    kwargs = dict(employee=agent, category=ManualCategory.objects.get(code="conduct"), date=dt.date(Y, M, 2),
                  note="x", by=manager, evidence=upload)
    if ok:
        name = manual_entry_create(**kwargs).evidence.name
        assert name.startswith("scoring/evidence/") and name.endswith((".png", ".pdf"))
        assert name.endswith(".pdf") == content.startswith(b"%PDF")
    else:
        with pytest.raises(ScoringError, match="photo"):
            manual_entry_create(**kwargs)
        assert ManualEntry.objects.count() == 0


def test_voiding_a_manual_entry_withdraws_its_record(fines_active, django_capture_on_commit_callbacks):
    manager = EmployeeFactory(roles=["manager"])
    agent = EmployeeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        entry = manual_entry_create(employee=agent, category=ManualCategory.objects.get(code="conduct"),
                                             date=dt.date(Y, M, 2), note="x", by=manager)
    assert card(agent).fines == D("20")  # computed after commit by the task
    with django_capture_on_commit_callbacks(execute=True):
        manual_entry_void(entry=entry, by=manager, reason="记错了人")
    assert PenaltyRecord.objects.get(source=entry.source).status == PenaltyRecord.Status.WITHDRAWN
    assert card(agent).fines == D("0")


# --- appeals --------------------------------------------------------------------------------------


@pytest.fixture
def penalised(presets, ev):
    agent = EmployeeFactory(roles=["agent"])
    month_materialise(year=Y, month=M, events=[ev(agent, 3, "absent"), ev(agent, 4, "late")])
    return agent, PenaltyRecord.objects.get(employee=agent, rule__code="absent")


def test_an_upheld_appeal_voids_the_record_and_restores_the_points(penalised):
    agent, record = penalised
    manager = EmployeeFactory(roles=["manager"])
    appeal = appeal_file(record=record, by=agent, reason="那天我请了病假")
    assert Notification.objects.filter(recipient=manager, key=f"scoring-appeal-filed-{appeal.pk}").count() == 1
    assert card(agent).score == D("4.5")
    appeal_decide(appeal=appeal, by=manager, uphold=True, reason="病假条已核实")
    record.refresh_from_db()
    assert (record.status, PenaltyRecord.objects.filter(pk=record.pk).count()) == (PenaltyRecord.Status.VOIDED, 1)
    assert card(agent).score == D("9.5")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by, appeal.decision_reason) == ("upheld", manager, "病假条已核实")
    assert Notification.objects.filter(recipient=agent, key=f"scoring-appeal-decided-{appeal.pk}").count() == 1


def test_a_voided_record_stays_voided_when_the_month_is_recomputed(penalised, ev):
    agent, record = penalised
    manager = EmployeeFactory(roles=["manager"])
    appeal_decide(appeal=appeal_file(record=record, by=agent, reason="x"), by=manager,
                           uphold=True, reason="ok")
    month_materialise(year=Y, month=M, events=[ev(agent, 3, "absent"), ev(agent, 4, "late")])
    record.refresh_from_db()
    assert record.status == PenaltyRecord.Status.VOIDED
    assert card(agent).score == D("9.5")


def test_a_rejected_appeal_changes_no_points(penalised):
    agent, record = penalised
    manager = EmployeeFactory(roles=["manager"])
    appeal = appeal_file(record=record, by=agent, reason="x")
    appeal_decide(appeal=appeal, by=manager, uphold=False, reason="无病假记录")
    record.refresh_from_db()
    assert (record.status, card(agent).score) == (PenaltyRecord.Status.ACTIVE, D("4.5"))
    notice = Notification.objects.get(recipient=agent, key=f"scoring-appeal-decided-{appeal.pk}")
    assert "无病假记录" in notice.text


def test_a_record_is_appealed_once(penalised):
    agent, record = penalised
    appeal_file(record=record, by=agent, reason="x")
    with pytest.raises(ScoringError, match="once"):
        appeal_file(record=record, by=agent, reason="again")
    assert Appeal.objects.count() == 1


def test_only_the_employee_concerned_appeals(penalised):
    _agent, record = penalised
    other = EmployeeFactory(roles=["supervisor"])
    with pytest.raises(ScoringError, match="concerned"):
        appeal_file(record=record, by=other, reason="x")
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_a_manager_decides_appeals(penalised, role):
    agent, record = penalised
    appeal = appeal_file(record=record, by=agent, reason="x")
    with pytest.raises(ScoringError, match="manager"):
        appeal_decide(appeal=appeal, by=EmployeeFactory(roles=[role]), uphold=True, reason="x")
    appeal.refresh_from_db()
    record.refresh_from_db()
    assert (appeal.status, record.status) == ("pending", "active")


def test_upholding_in_a_closed_month_needs_it_reopened(penalised):
    agent, record = penalised
    manager = EmployeeFactory(roles=["manager"])
    appeal = appeal_file(record=record, by=agent, reason="x")
    # (closing recomputes from the real sources, which do not know this test's attendance events)
    ScoreMonth.objects.filter(year=Y, month=M).update(status=ScoreMonth.Status.CLOSED)
    with pytest.raises(ScoringError, match="reopen"):
        appeal_decide(appeal=appeal, by=manager, uphold=True, reason="ok")
    record.refresh_from_db()
    assert record.status == "active"


# --- rule sets ------------------------------------------------------------------------------------


def test_switching_the_rule_set_recomputes_open_months_only(presets, django_capture_on_commit_callbacks):
    manager = EmployeeFactory(roles=["manager"])
    agent = EmployeeFactory()
    for code, month in (("conduct", M), ("unfinished_work", M), ("unfinished_work", M - 1)):
        manual_entry_create(employee=agent, category=ManualCategory.objects.get(code=code),
                                     date=dt.date(Y, month, 2), note="x", by=manager)
    month_materialise(year=Y, month=M)
    month_close(year=Y, month=M - 1, by=manager)
    october = PenaltyRecord.objects.filter(score_month__month=M - 1)
    closed_before = list(october.values_list("pk", "rule__rule_set__code", "points", "money", "status"))
    assert [r[1:] for r in closed_before] == [("points", D("-0.5"), D("0"), "active")]
    with django_capture_on_commit_callbacks(execute=True):
        rule_set_activate(rule_set=presets["fines"], by=manager)
    assert ScoreMonth.objects.get(year=Y, month=M).rule_set == presets["fines"]
    assert ScoreMonth.objects.get(year=Y, month=M - 1).rule_set == presets["points"]
    november = PenaltyRecord.objects.filter(score_month__month=M, employee=agent).order_by("pk")
    assert list(november.values_list("rule__rule_set__code", "rule__code", "status")) == [
        ("points", "unfinished_work", "withdrawn"), ("fines", "conduct", "active")]
    assert (card(agent).fines, card(agent).score) == (D("20"), D("10"))
    assert list(october.values_list("pk", "rule__rule_set__code", "points", "money", "status")) == closed_before


def test_editing_a_rule_recomputes_open_months_and_leaves_closed_ones_alone(presets,
                                                                           django_capture_on_commit_callbacks):
    manager = EmployeeFactory(roles=["manager"])
    agent = EmployeeFactory()
    unfinished = ManualCategory.objects.get(code="unfinished_work")
    for month in (M - 1, M):
        for day in (2, 3):
            manual_entry_create(employee=agent, category=unfinished, date=dt.date(Y, month, day),
                                         note="日报未交", by=manager)
    month_materialise(year=Y, month=M)
    month_close(year=Y, month=M - 1, by=manager)
    october = ScoreCard.objects.get(employee=agent, score_month__month=M - 1)
    october_records = PenaltyRecord.objects.filter(score_month__month=M - 1)
    closed_before = (list(october_records.order_by("pk").values_list("pk", "rule_id", "points", "status")),
                     (october.score, october.deductions), october_records.model.history.filter(
                         score_month__month=M - 1).count(), ScoreMonthEvent.objects.filter(
                         score_month__month=M - 1).count())
    assert card(agent).score == D("9")  # 2 × −0.5
    rule = presets["points"].rules.get(code="unfinished_work")
    with django_capture_on_commit_callbacks(execute=True):
        rule_save(rule_set=presets["points"], rule=rule, by=manager, fields={},
                           tiers=[{"first": 1, "last": 1, "points": D("-0.5"), "money": D("0")},
                                  {"first": 2, "last": None, "points": D("-2"), "money": D("0")}], thresholds=[])
    november = PenaltyRecord.objects.filter(score_month__month=M, employee=agent).order_by("occurrence")
    assert list(november.values_list("occurrence", "tier", "points", "status")) == [
        (1, "1", D("-0.50"), "active"), (2, "2+", D("-2.00"), "active")]
    assert (card(agent).score, card(agent).deductions) == (D("7.5"), D("2.5"))
    october.refresh_from_db()
    assert (list(october_records.order_by("pk").values_list("pk", "rule_id", "points", "status")),
            (october.score, october.deductions), october_records.model.history.filter(
                score_month__month=M - 1).count(), ScoreMonthEvent.objects.filter(
                score_month__month=M - 1).count()) == closed_before
    assert closed_before[1] == (D("9.00"), D("1.00"))
    assert ScoreMonth.objects.get(year=Y, month=M - 1).status == "closed"


def test_rule_tiers_must_ascend_and_not_overlap(presets):
    manager = EmployeeFactory(roles=["manager"])
    rule = presets["fines"].rules.get(code="conduct")
    with pytest.raises(ScoringError, match="overlaps"):
        rule_save(rule_set=presets["fines"], rule=rule, by=manager, fields={},
                           tiers=[{"first": 1, "last": 3, "points": 0, "money": -20},
                                  {"first": 3, "last": None, "points": 0, "money": -50}], thresholds=[])
    assert list(rule.tiers.values_list("first", "last")) == [(1, 2), (3, 4), (5, 7)]


def test_editing_a_rule_replaces_its_rows_with_a_trail(presets):
    manager = EmployeeFactory(roles=["manager"])
    rule = presets["fines"].rules.get(code="conduct")
    rule_save(rule_set=presets["fines"], rule=rule, by=manager, fields={"name": "行为规范"},
                       tiers=[{"first": 1, "last": 2, "points": D("0"), "money": D("-20")},
                              {"first": 3, "last": None, "points": D("0"), "money": D("-60")}],
                       thresholds=[{"at": 6, "points": D("0"), "money": D("0"), "flag": "dismissal"}])
    rule.refresh_from_db()
    assert rule.name == "行为规范"
    assert list(rule.tiers.order_by("first").values_list("first", "last", "money")) == [(1, 2, D("-20")),
                                                                                       (3, None, D("-60"))]
    assert list(rule.thresholds.values_list("at", "flag")) == [(6, "dismissal")]
    tier = rule.tiers.model
    assert tier.history.filter(rule_id=rule.pk, history_type="-").count() == 0  # nothing deleted (issue 16.8)
    assert tier.all_rows.filter(rule=rule, voided_at__isnull=False).count() == 1  # the replaced row is kept, voided


def test_a_reward_cannot_be_appealed_but_a_free_violation_can(fines_active, ev):
    agent, colleague = EmployeeFactory(roles=["agent"]), EmployeeFactory(roles=["agent"])
    month_materialise(year=Y, month=M, events=[ev(agent, 2, "manual:order_entry", "manual:901")])
    free = PenaltyRecord.objects.get(employee=agent, source="manual:901")
    reward = PenaltyRecord.objects.get(employee=colleague, kind="month")
    assert (free.money, reward.money) == (D("0"), D("100"))
    with pytest.raises(ScoringError, match="penalty"):
        appeal_file(record=reward, by=colleague, reason="x")
    assert appeal_file(record=free, by=agent, reason="不是我录错的").record == free


# --- compensatory days (调休): only the days beyond 4 are penalised ---------------------------------------


def _approved_comp_leave(employee, days):
    """Approved 调休 on the first ``days`` weekdays of 2026-11, judged by the real attendance code."""
    from staff.attendance.services.days import day_status_recompute
    from staff.models import DayStatus, LeaveRequest
    from tests.factories import LeaveRequestFactory, RosterEntryFactory, shift

    dates = [dt.date(Y, M, d) for d in range(2, 31) if dt.date(Y, M, d).weekday() < 5][:days]
    for day in dates:
        RosterEntryFactory(employee=employee, date=day, shift=shift("A"))
        LeaveRequestFactory(employee=employee, kind=LeaveRequest.Kind.COMP, start_date=day, end_date=day,
                            state=LeaveRequest.State.APPROVED,
                            approved_at=dt.datetime(Y, M, 1, tzinfo=dt.timezone.utc))
        day_status_recompute(employee_id=employee.pk, date=day)
    assert list(DayStatus.objects.filter(employee=employee).values_list("code", "leave_kind").distinct()) == [
        ("V", "comp")]
    return dates


def test_an_approved_compensatory_day_is_no_record_and_no_violation(presets):
    agent = EmployeeFactory()
    _approved_comp_leave(agent, 1)
    month_materialise(year=Y, month=M)
    assert PenaltyRecord.objects.filter(employee=agent).count() == 0
    assert (card(agent).score, card(agent).violations) == (D("10.00"), 0)


def test_four_compensatory_days_are_allowed_and_the_fifth_costs_2_points(presets):
    agent = EmployeeFactory()
    dates = _approved_comp_leave(agent, 5)
    month_materialise(year=Y, month=M)
    assert [(r.rule.code, r.occurrence, r.tier, r.points, r.date)
            for r in PenaltyRecord.objects.filter(employee=agent)] == [("comp_leave_day", 5, "5+", D("-2.00"), dates[4])]
    assert (card(agent).score, card(agent).deductions, card(agent).violations) == (D("8.00"), D("2.00"), 1)


@pytest.mark.parametrize(("days", "violations"), [(4, 0), (5, 1)])
def test_compensatory_days_within_four_do_not_add_to_the_departments_violations(presets, ev, days, violations):
    from staff.models import DepartmentBracket

    DepartmentBracket.objects.create(rule_set=presets["points"], first=0, last=None, money=D("0"))
    agent = EmployeeFactory()
    month_materialise(year=Y, month=M, events=[ev(agent, d, "comp_leave_day") for d in range(2, 2 + days)])
    bracket = FundEntry.objects.get(department=agent.department, kind="bracket")
    assert (bracket.violations, card(agent).violations) == (violations, violations)


def test_migrated_points_preset_exempts_the_first_four_compensatory_days(db):
    from staff.models import Tier

    tiers = Tier.objects.filter(rule__rule_set__code="points", rule__code="comp_leave_day").order_by("first")
    assert list(tiers.values_list("first", "last", "points", "money", "exempt")) == [
        (1, 4, D("0"), D("0"), True), (5, None, D("-2"), D("0"), False)]


def test_three_absent_days_lose_the_fines_presets_clean_month_reward_without_a_fine(fines_active, ev):
    absent, clean = EmployeeFactory(), EmployeeFactory()
    month_materialise(year=Y, month=M, events=[ev(absent, d, "absent") for d in (2, 3, 4)])
    assert (card(absent).fines, card(absent).reward_money, card(absent).violations) == (D("0"), D("0"), 0)
    assert (card(clean).fines, card(clean).reward_money) == (D("0"), D("100"))
    records = PenaltyRecord.objects.filter(employee=absent)
    assert sorted(records.values_list("rule__code", "money", "status")) == [("absent", D("0"), "active")] * 3
    assert not any(record_is_penalty(r) for r in records)  # nothing to appeal: correct the attendance
    assert FundEntry.objects.get(department=absent.department, kind="bracket").violations == 0
