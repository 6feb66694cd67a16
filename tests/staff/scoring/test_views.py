"""Every scoring page: who may use it, who is refused (and that nothing changed), query counts."""

import uuid
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staff.models import (Appeal, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, Rule, RuleSet, ScoreCard,
                          ScoreMonth, Tier)
from staff.scoring.services.appeals import appeal_file
from staff.scoring.services.materialise import month_materialise
from tests.factories import EmployeeFactory, ManualEntryFactory

Y, M = 2026, 11
MONTH = "2026-11"


def state():
    return (list(PenaltyRecord.objects.order_by("pk").values_list("pk", "status", "points", "money")),
            list(ScoreMonth.objects.values_list("year", "month", "status")),
            list(Appeal.objects.values_list("pk", "status")),
            list(RuleSet.objects.order_by("pk").values_list("pk", "active", "name", "base_points")),
            list(Tier.objects.order_by("pk").values_list("pk", "first", "last", "money")),
            list(ManualEntry.objects.values_list("pk", "voided")),
            list(ManualCategory.objects.order_by("pk").values_list("pk", "name", "active")),
            list(FundEntry.objects.values_list("pk", "amount")))


@pytest.fixture
def team(presets):
    supervisor = EmployeeFactory(roles=["supervisor"])
    agent = EmployeeFactory(roles=["agent"], supervisor=supervisor)
    other = EmployeeFactory(roles=["agent"])
    manager = EmployeeFactory(roles=["manager"])
    for who, day in ((agent, 2), (agent, 3), (other, 4)):
        ManualEntryFactory(employee=who, category=ManualCategory.objects.get(code="unfinished_work"),
                           date=dt.date(Y, M, day), recorded_by=manager)
    month_materialise(year=Y, month=M)
    return {"supervisor": supervisor, "agent": agent, "other": other, "manager": manager}


def login(client_for, employee):
    return client_for(employee)


# fixed whatever the number of records (session, user, roles, month, records, entries, where the entries came from
# — issue 20's registry hook —, card, nav badges)
CARD_QUERIES = 13
MONTH_QUERIES = 18  # fixed whatever the number of employees (the manager sees cards, departments, fund, trail)

# --- the card ---------------------------------------------------------------------------------------


def test_an_employee_sees_their_own_card_with_each_source(client_for, team):
    response = login(client_for, team["agent"]).get(reverse("staff:scoring_card"), {"month": MONTH})
    assert response.status_code == 200
    body = response.content.decode()
    assert len(response.context["records"]) == 2
    assert response.context["card"].score == D("9")
    assert "与同事争吵" in body  # the manual entry's note, shown as the source
    assert "Manual entry #" in body or "人工记录" in body


@pytest.mark.parametrize("viewer", ["agent", "other"])
def test_an_employee_cannot_see_anothers_card(client_for, team, viewer):
    target = team["other"] if viewer == "agent" else team["agent"]
    response = login(client_for, team[viewer]).get(reverse("staff:scoring_employee_card", args=[target.pk]))
    assert response.status_code == 403


def test_a_supervisor_sees_their_reports_card_but_not_others(client_for, team):
    c = login(client_for, team["supervisor"])
    assert c.get(reverse("staff:scoring_employee_card", args=[team["agent"].pk]), {"month": MONTH}).status_code == 200
    assert c.get(reverse("staff:scoring_employee_card", args=[team["other"].pk])).status_code == 403


def test_a_manager_sees_every_card(client_for, team):
    c = login(client_for, team["manager"])
    assert c.get(reverse("staff:scoring_employee_card", args=[team["other"].pk]), {"month": MONTH}).status_code == 200


def test_the_card_costs_the_same_queries_with_1_and_with_20_records(client_for, presets, django_assert_num_queries):
    manager = EmployeeFactory(roles=["manager"])
    few, many = EmployeeFactory(roles=["agent"]), EmployeeFactory(roles=["agent"])
    ManualEntryFactory(employee=few, category=ManualCategory.objects.get(code="unfinished_work"),
                       date=dt.date(Y, M, 1), recorded_by=manager)
    for i in range(20):
        ManualEntryFactory(employee=many, category=ManualCategory.objects.get(code="unfinished_work"),
                           date=dt.date(Y, M, 1 + i % 20), recorded_by=manager)
    month_materialise(year=Y, month=M)
    counts = []
    for who in (few, many):
        c = client_for(who)
        c.get(reverse("staff:scoring_card"), {"month": MONTH})  # warm the session
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("staff:scoring_card"), {"month": MONTH}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == CARD_QUERIES


# --- the month page ---------------------------------------------------------------------------------


def test_an_agent_is_refused_the_month_page(client_for, team):
    assert login(client_for, team["agent"]).get(reverse("staff:scoring_month")).status_code == 403


def test_a_supervisor_sees_only_their_team_on_the_month_page(client_for, team):
    response = login(client_for, team["supervisor"]).get(reverse("staff:scoring_month"), {"month": MONTH})
    assert response.status_code == 200
    assert {c.employee_id for c in response.context["cards"]} == {team["supervisor"].pk, team["agent"].pk}
    assert response.context["fund_lines"] == []


def test_a_manager_sees_everyone_and_the_fund(client_for, team):
    response = login(client_for, team["manager"]).get(reverse("staff:scoring_month"), {"month": MONTH})
    assert {team["agent"].pk, team["other"].pk, team["manager"].pk} <= {c.employee_id for c in response.context["cards"]}


def test_the_month_page_costs_the_same_queries_with_1_and_20_employees(client_for, presets):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = EmployeeFactory(roles=["manager"])
    c = client_for(manager)
    counts = []
    for extra in (0, 19):
        for _i in range(extra):
            EmployeeFactory()
        month_materialise(year=Y, month=M)
        c.get(reverse("staff:scoring_month"), {"month": MONTH})
        with CaptureQueriesContext(connection) as ctx:
            c.get(reverse("staff:scoring_month"), {"month": MONTH})
        counts.append(len(ctx.captured_queries))
    assert ScoreCard.objects.count() >= 20
    assert counts[0] == counts[1] == MONTH_QUERIES


@pytest.mark.parametrize("role", ["agent", "supervisor"])
@pytest.mark.parametrize("url_name", ["staff:scoring_month_materialise", "staff:scoring_month_close",
                                      "staff:scoring_month_reopen"])
def test_only_managers_compute_close_and_reopen(client_for, team, role, url_name):
    before = state()
    response = login(client_for, team[role]).post(reverse(url_name), {"month": MONTH, "reason": "x"})
    assert response.status_code == 403
    assert state() == before


def test_a_manager_closes_and_reopens_with_a_reason(client_for, team):
    c = login(client_for, team["manager"])
    assert c.post(reverse("staff:scoring_month_close"), {"month": MONTH}).status_code == 302
    assert ScoreMonth.objects.get(year=Y, month=M).status == "closed"
    response = c.post(reverse("staff:scoring_month_reopen"), {"month": MONTH, "reason": ""}, follow=True)
    assert ScoreMonth.objects.get(year=Y, month=M).status == "closed"
    assert "reason" in response.content.decode() or "原因" in response.content.decode()
    c.post(reverse("staff:scoring_month_reopen"), {"month": MONTH, "reason": "补录考勤"})
    assert ScoreMonth.objects.get(year=Y, month=M).status == "open"


def test_fund_adjustments_are_for_managers(client_for, team):
    data = {"month": MONTH, "department": team["agent"].department_id, "amount": "-150", "note": "团建"}
    before = state()
    assert login(client_for, team["supervisor"]).post(reverse("staff:scoring_fund_adjust"), data).status_code == 403
    assert state() == before
    login(client_for, team["manager"]).post(reverse("staff:scoring_fund_adjust"), data)
    assert FundEntry.objects.get(kind="adjustment").amount == D("-150")


def test_the_fund_ledger_page(client_for, team):
    department = team["agent"].department
    assert login(client_for, team["manager"]).get(reverse("staff:scoring_fund", args=[department.pk])).status_code == 200
    assert login(client_for, team["agent"]).get(reverse("staff:scoring_fund", args=[department.pk])).status_code == 403


def test_money_is_shown_in_yuan_on_the_chinese_appeal_and_fund_pages(client_for, team):
    """(Needs the catalogue compiled with the msgid "CNY": ``make messages``.)"""
    record = PenaltyRecord.objects.filter(employee=team["agent"]).first()
    appeal_file(record=record, by=team["agent"], reason="我已完成")
    pages = [(team["agent"], reverse("staff:scoring_appeal_new", args=[record.pk])),
             (team["manager"], reverse("staff:scoring_appeals")),
             (team["manager"], reverse("staff:scoring_fund", args=[team["agent"].department.pk]))]
    for who, url in pages:
        c = login(client_for, who)
        html = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "CNY" not in html and " 元" in html, url


# --- manual entries ---------------------------------------------------------------------------------


def test_an_agent_cannot_record_violations(client_for, team):
    before = state()
    c = login(client_for, team["agent"])
    assert c.get(reverse("staff:scoring_manual_new")).status_code == 403
    response = c.post(reverse("staff:scoring_manual_new"), {"form_token": str(uuid.uuid4()),
        "employee": team["other"].pk, "category": ManualCategory.objects.get(code="conduct").pk,
        "date": "2026-11-05", "note": "x"})
    assert response.status_code == 403
    assert state() == before


def test_a_supervisor_records_for_their_team_with_evidence(client_for, team, django_capture_on_commit_callbacks):
    from tests.staff.scoring.test_services import PNG

    c = login(client_for, team["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("staff:scoring_manual_new"), {"form_token": str(uuid.uuid4()),
            "employee": team["agent"].pk, "category": ManualCategory.objects.get(code="unfinished_work").pk,
            "date": "2026-11-05", "note": "日报未交", "evidence": SimpleUploadedFile("a.png", PNG)})
    assert response.status_code == 302
    entry = ManualEntry.objects.get(note="日报未交")
    assert (entry.employee, entry.recorded_by) == (team["agent"], team["supervisor"])
    assert PenaltyRecord.objects.filter(source=entry.source, points=D("-0.5")).count() == 1
    evidence = c.get(reverse("staff:scoring_evidence", args=[entry.pk]))
    assert evidence.status_code == 200
    # The page shows the re-encoded copy of a photo (issue 16); the original is kept as uploaded.
    assert b"".join(evidence.streaming_content) == entry.evidence_display.open("rb").read()
    assert entry.evidence.open("rb").read() == PNG
    assert login(client_for, team["other"]).get(reverse("staff:scoring_evidence", args=[entry.pk])).status_code == 403


def test_a_supervisor_cannot_record_outside_their_team(client_for, team):
    before = state()
    response = login(client_for, team["supervisor"]).post(reverse("staff:scoring_manual_new"), {"form_token": str(uuid.uuid4()),
        "employee": team["other"].pk, "category": ManualCategory.objects.get(code="conduct").pk,
        "date": "2026-11-05", "note": "x"})
    assert response.status_code == 200
    assert "employee" in response.context["form"].errors  # not offered in the list
    assert state() == before


def test_bad_evidence_is_a_form_error_not_a_500(client_for, team):
    before = state()
    response = login(client_for, team["manager"]).post(reverse("staff:scoring_manual_new"), {"form_token": str(uuid.uuid4()),
        "employee": team["agent"].pk, "category": ManualCategory.objects.get(code="conduct").pk,
        "date": "2026-11-05", "note": "x", "evidence": SimpleUploadedFile("a.png", b"MZ not an image")})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert state() == before


def test_manual_list_and_void(client_for, team, django_capture_on_commit_callbacks):
    entry = ManualEntry.objects.filter(employee=team["agent"]).first()
    c = login(client_for, team["supervisor"])
    assert c.get(reverse("staff:scoring_manual_list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("staff:scoring_manual_void", args=[entry.pk]), {"reason": "误记"})
    entry.refresh_from_db()
    assert (entry.voided, entry.void_reason) == (True, "误记")


def test_an_agent_cannot_void_an_entry(client_for, team):
    entry = ManualEntry.objects.filter(employee=team["agent"]).first()
    before = state()
    assert login(client_for, team["agent"]).post(reverse("staff:scoring_manual_void", args=[entry.pk]),
                                                 {"reason": "x"}).status_code == 403
    assert state() == before


# --- appeals ----------------------------------------------------------------------------------------


def test_an_employee_appeals_their_own_record_once(client_for, team):
    record = PenaltyRecord.objects.filter(employee=team["agent"]).first()
    c = login(client_for, team["agent"])
    assert c.get(reverse("staff:scoring_appeal_new", args=[record.pk])).status_code == 200
    assert c.post(reverse("staff:scoring_appeal_new", args=[record.pk]), {"form_token": str(uuid.uuid4()), "reason": "我已完成"}).status_code == 302
    again = c.post(reverse("staff:scoring_appeal_new", args=[record.pk]), {"form_token": str(uuid.uuid4()), "reason": "again"})
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    assert Appeal.objects.count() == 1


def test_nobody_appeals_someone_elses_record(client_for, team):
    record = PenaltyRecord.objects.filter(employee=team["agent"]).first()
    before = state()
    for who in ("other", "manager"):
        assert login(client_for, team[who]).post(reverse("staff:scoring_appeal_new", args=[record.pk]),
                                                 {"form_token": str(uuid.uuid4()), "reason": "x"}).status_code == 403
    assert state() == before


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_managers_see_and_decide_appeals(client_for, team, role):
    record = PenaltyRecord.objects.filter(employee=team["agent"]).first()
    appeal = appeal_file(record=record, by=team["agent"], reason="x")
    before = state()
    c = login(client_for, team[role])
    assert c.get(reverse("staff:scoring_appeals")).status_code == 403
    assert c.post(reverse("staff:scoring_appeal_decide", args=[appeal.pk]),
                  {"decision": "uphold", "reason": "x"}).status_code == 403
    assert state() == before


def test_a_manager_upholds_an_appeal_on_the_page(client_for, team):
    record = PenaltyRecord.objects.filter(employee=team["agent"]).first()
    appeal = appeal_file(record=record, by=team["agent"], reason="x")
    c = login(client_for, team["manager"])
    assert c.get(reverse("staff:scoring_appeals")).status_code == 200
    c.post(reverse("staff:scoring_appeal_decide", args=[appeal.pk]), {"decision": "uphold", "reason": "核实"})
    record.refresh_from_db()
    assert record.status == "voided"
    assert ScoreCard.objects.get(employee=team["agent"]).score == D("9.5")


# --- rule sets and categories -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_managers_edit_rule_sets(client_for, team, role):
    fines = RuleSet.objects.get(code="fines")
    rule = fines.rules.get(code="conduct")
    category = ManualCategory.objects.first()
    before = state()
    c = login(client_for, team[role])
    for url in (reverse("staff:scoring_rule_sets"), reverse("staff:scoring_rule_set_edit", args=[fines.pk]),
                reverse("staff:scoring_rule_edit", args=[fines.pk, rule.pk]),
                reverse("staff:scoring_rule_new", args=[fines.pk]), reverse("staff:scoring_categories"),
                reverse("staff:scoring_category_edit", args=[category.pk])):
        assert c.get(url).status_code == 403, url
        assert c.post(url, {"name": "x"}).status_code == 403, url
    assert c.post(reverse("staff:scoring_rule_set_activate", args=[fines.pk])).status_code == 403
    assert state() == before


def tier_post(rule, tiers, thresholds=()):
    data = {"code": rule.code, "name": rule.name, "event_kind": rule.event_kind, "counts_as_violation": "on",
            "active": "on", "order": rule.order,
            "tiers-TOTAL_FORMS": len(tiers), "tiers-INITIAL_FORMS": len(tiers), "tiers-MIN_NUM_FORMS": 0,
            "tiers-MAX_NUM_FORMS": 1000,
            "thresholds-TOTAL_FORMS": len(thresholds), "thresholds-INITIAL_FORMS": len(thresholds),
            "thresholds-MIN_NUM_FORMS": 0, "thresholds-MAX_NUM_FORMS": 1000}
    for i, (first, last, points, money, *exempt) in enumerate(tiers):
        data.update({f"tiers-{i}-first": first, f"tiers-{i}-last": last, f"tiers-{i}-points": points,
                     f"tiers-{i}-money": money})
        if exempt and exempt[0]:
            data[f"tiers-{i}-exempt"] = "on"
    for i, (at, points, money, flag) in enumerate(thresholds):
        data.update({f"thresholds-{i}-at": at, f"thresholds-{i}-points": points, f"thresholds-{i}-money": money,
                     f"thresholds-{i}-flag": flag})
    return data


def test_overlapping_tiers_are_a_clear_form_error(client_for, team):
    fines = RuleSet.objects.get(code="fines")
    rule = fines.rules.get(code="conduct")
    before = state()
    response = login(client_for, team["manager"]).post(
        reverse("staff:scoring_rule_edit", args=[fines.pk, rule.pk]),
        tier_post(rule, [(1, 3, 0, -20), (3, "", 0, -50)]))
    assert response.status_code == 200
    errors = response.context["tiers"].non_form_errors()
    assert errors == ["Row 2: starts at 3, which overlaps the row before it or is not in ascending order."] or \
        len(errors) == 1
    assert state() == before


def test_a_manager_edits_a_rule_on_the_page(client_for, team):
    fines = RuleSet.objects.get(code="fines")
    rule = fines.rules.get(code="conduct")
    c = login(client_for, team["manager"])
    assert c.get(reverse("staff:scoring_rule_edit", args=[fines.pk, rule.pk])).status_code == 200
    response = c.post(reverse("staff:scoring_rule_edit", args=[fines.pk, rule.pk]),
                      tier_post(rule, [(1, 2, 0, -20), (3, "", 0, -80)], [(8, 0, 0, "dismissal")]))
    assert response.status_code == 302
    assert list(rule.tiers.order_by("first").values_list("first", "last", "money")) == [
        (1, 2, D("-20")), (3, None, D("-80"))]


def test_the_compensatory_rule_page_shows_and_keeps_the_exempt_tier(client_for, team):
    points = RuleSet.objects.get(code="points")
    rule = points.rules.get(code="comp_leave_day")
    c = login(client_for, team["manager"])
    page = c.get(reverse("staff:scoring_rule_edit", args=[points.pk, rule.pk]))
    assert [f.initial.get("exempt") for f in page.context["tiers"].initial_forms] == [True, False]
    response = c.post(reverse("staff:scoring_rule_edit", args=[points.pk, rule.pk]),
                      tier_post(rule, [(1, 3, 0, 0, True), (4, "", -2, 0)]))
    assert response.status_code == 302
    assert list(rule.tiers.order_by("first").values_list("first", "last", "points", "exempt")) == [
        (1, 3, D("0"), True), (4, None, D("-2"), False)]


def test_a_manager_adds_a_praise_rule(client_for, team):
    points = RuleSet.objects.get(code="points")
    c = login(client_for, team["manager"])
    c.post(reverse("staff:scoring_categories"), {"form_token": str(uuid.uuid4()), "code": "praise", "name": "客户表扬", "kind": "praise", "active": "on"})
    assert ManualCategory.objects.get(code="praise").kind == "praise"
    data = tier_post(Rule(code="praise", name="客户表扬", event_kind="manual:praise", order=20), [(1, "", 1, 0)])
    data.pop("counts_as_violation")
    data["form_token"] = str(uuid.uuid4())
    assert c.post(reverse("staff:scoring_rule_new", args=[points.pk]), data).status_code == 302
    rule = points.rules.get(code="praise")
    assert (rule.counts_as_violation, rule.tiers.get().points) == (False, D("1"))


def test_a_manager_puts_a_rule_set_in_force_and_edits_brackets(client_for, team):
    fines = RuleSet.objects.get(code="fines")
    c = login(client_for, team["manager"])
    assert c.get(reverse("staff:scoring_rule_sets")).status_code == 200
    c.post(reverse("staff:scoring_rule_set_activate", args=[fines.pk]), {"confirm": "1"})
    assert list(RuleSet.objects.filter(active=True)) == [fines]
    data = {"name": fines.name, "description": "", "base_points": "10", "warning_at": "5", "punishment_at": "2",
            "severe_months": "3", "brackets-TOTAL_FORMS": 2, "brackets-INITIAL_FORMS": 2,
            "brackets-MIN_NUM_FORMS": 0, "brackets-MAX_NUM_FORMS": 1000,
            "brackets-0-first": 0, "brackets-0-last": 10, "brackets-0-money": 800,
            "brackets-1-first": 5, "brackets-1-last": "", "brackets-1-money": -100}
    response = c.post(reverse("staff:scoring_rule_set_edit", args=[fines.pk]), data)
    assert response.status_code == 200 and response.context["brackets"].non_form_errors()
    data["brackets-1-first"] = 11
    assert c.post(reverse("staff:scoring_rule_set_edit", args=[fines.pk]), data).status_code == 302
    assert list(fines.brackets.values_list("first", "last", "money")) == [(0, 10, D("800")), (11, None, D("-100"))]


def test_the_month_page_sums_each_department(client_for, team):
    response = login(client_for, team["manager"]).get(reverse("staff:scoring_month"), {"month": MONTH})
    (cs,) = response.context["departments"]
    scored = ScoreCard.objects.count()
    assert (cs["employees"], cs["violations"], cs["deductions"]) == (scored, 3, D("1.5"))


def test_a_login_without_a_role_has_no_scorecard(client_for, team):
    nobody = EmployeeFactory()  # no role: not even "see own"
    assert client_for(nobody).get(reverse("staff:scoring_card")).status_code == 403


def test_an_agent_is_refused_the_manual_list(client_for, team):
    assert login(client_for, team["agent"]).get(reverse("staff:scoring_manual_list")).status_code == 403


def _queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_manual_list_and_appeals_cost_the_same_queries_with_1_and_20_rows(client_for, presets):
    manager = EmployeeFactory(roles=["manager"])
    c = client_for(manager)
    counts = []
    for n in (1, 20):
        agents = [EmployeeFactory(roles=["agent"]) for _ in range(n)]
        for a in agents:
            ManualEntryFactory(employee=a, category=ManualCategory.objects.get(code="unfinished_work"),
                               date=dt.date(Y, M, 2), recorded_by=manager)
        month_materialise(year=Y, month=M)
        for a in agents:
            appeal_file(record=PenaltyRecord.objects.get(employee=a), by=a, reason="x")
        counts.append((_queries(c, reverse("staff:scoring_manual_list")), _queries(c, reverse("staff:scoring_appeals"))))
        Appeal.objects.update(status="rejected", decided_by=manager, decision_reason="x")
    assert counts[0] == counts[1]


def test_a_manager_copies_a_rule_set_which_is_not_in_force(client_for, team):
    points = RuleSet.objects.get(code="points")
    c = login(client_for, team["manager"])
    response = c.post(reverse("staff:scoring_rule_set_copy", args=[points.pk]), {"name": "扣分制 2027", "code": "p2027"})
    copy = RuleSet.objects.get(code="p2027")
    assert response.status_code == 302 and copy.active is False
    assert sorted(copy.rules.values_list("code", flat=True)) == sorted(points.rules.values_list("code", flat=True))
    assert Tier.objects.filter(rule__rule_set=copy).count() == Tier.objects.filter(rule__rule_set=points).count()
    again = c.post(reverse("staff:scoring_rule_set_copy", args=[points.pk]), {"name": "x", "code": "p2027"},
                   follow=True)
    assert RuleSet.objects.filter(code="p2027").count() == 1
    assert "p2027" in again.content.decode()


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_managers_copy_rule_sets(client_for, team, role):
    points = RuleSet.objects.get(code="points")
    before = state()
    assert login(client_for, team[role]).post(reverse("staff:scoring_rule_set_copy", args=[points.pk]),
                                              {"name": "x", "code": "x"}).status_code == 403
    assert state() == before
