"""The TRANSITIONS table, move by move and role by role, through the one transition service."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import ClockKind, ClockState, Complaint, ComplaintClock, ComplaintEvent, Stage
from complaints.services import ComplaintError, ComplaintForbidden, complaint_transition
from complaints.workflow import available_actions
from csmgmt.core.models import Notification
from tests.factories import DepartmentFactory, cs_department

ROLES = ("agent", "supervisor", "manager", "handler", "custodian", "admin")
CS = {"agent", "supervisor", "manager"}  # customer service: a supervisor is an agent too, a manager a supervisor
SUP = {"supervisor", "manager"}

# The moves of REGULATIONS §3 and who makes them (docs/complaints.md, "Stages and moves"), written out here so
# that a wrong entry in complaints/workflow.py fails: (stage, action) -> (next stage, roles that may).
EXPECTED = {
    ("analyse", "uphold"): ("assign", CS),
    ("analyse", "reject"): ("respond", CS),  # 不成立: the short path
    ("assign", "assign"): ("plan", SUP),
    # against 客服部: the manager assigns it, naming who in 客服部 writes the plan (REGULATIONS §3)
    ("assign", "assign_writer"): ("plan", {"manager"}),
    ("plan", "progress"): ("plan", {"handler", "manager"}),
    ("plan", "submit_plan"): ("approve", {"handler", "manager"}),
    # against 客服部, ordinary: only the named writer plans (here the agent), and a manager approves
    ("plan", "submit_plan_to_manager"): ("manager_approve", {"agent"}),
    ("approve", "approve"): ("respond", SUP),
    ("approve", "approve_first"): ("manager_approve", SUP),
    ("approve", "send_back"): ("plan", SUP),
    ("manager_approve", "approve_final"): ("respond", {"manager"}),
    ("manager_approve", "manager_send_back"): ("plan", {"manager"}),
    ("respond", "respond"): ("revisit", CS),
    ("revisit", "revisit"): ("close", CS),
    ("revisit", "reopen"): ("plan", CS),
    ("revisit", "reopen_analysis"): ("analyse", CS),
    ("close", "close"): ("closed", SUP),
    **{(stage, "withdraw"): ("withdrawn", CS)
       for stage in ("analyse", "assign", "plan", "approve", "manager_approve", "respond", "revisit", "close")},
    # not settled on the spot: the next reply time is agreed with the customer (REGULATIONS §3, 001 L315) at any
    # stage before the customer is answered; the complaint stays where it is
    **{(stage, "agree_next_reply"): (stage, CS)
       for stage in ("analyse", "assign", "plan", "approve", "manager_approve", "respond")},
    # waiting on the customer (REGULATIONS §9; who, docs/complaints.md "Stages and moves"): the agent who registered
    # it (here "agent"), a supervisor, a manager, and — once a department is responsible — its handler; the
    # complaint stays where it is. Resume is for a paused complaint only (setup_for gives it its pause).
    **{(stage, action): (stage, CS | ({"handler"} if stage not in ("analyse", "assign") else set()))
       for stage in ("analyse", "assign", "plan", "approve", "manager_approve", "respond", "revisit", "close")
       for action in ("pause", "resume")},
}
STAGES = ("analyse", "assign", "plan", "approve", "manager_approve", "respond", "revisit", "close", "closed",
          "withdrawn")
ALL_ACTIONS = sorted({a for _s, a in EXPECTED})
CASES = [(stage, action) for stage in STAGES for action in ALL_ACTIONS]


def setup_for(action, qa, people=None):
    """Complaint fields that make the action's guard apply."""
    return {
        "assign_writer": {"against_department": cs_department()},
        "submit_plan_to_manager": {"against_department": cs_department(),
                                   "plan_writer": people["agent"] if people else None},
        "approve_first": {"severity": "major"},
        "approve_final": {"severity": "major"},
        "reopen_analysis": {"responsible_department": None},
        "resume": {"paused_at": timezone.now() - dt.timedelta(hours=1)},
    }.get(action, {})


def valid_input(action, qa, people=None):
    """(comment, data) that the action accepts."""
    promised = timezone.now() + dt.timedelta(days=2)
    plan = {"findings": "包装不合格", "action_immediate": "补发商品", "promised_by": promised}
    return {
        "uphold": ("", {"severity": "ordinary", "cause": "包装破损"}),
        "reject": ("", {"severity": "ordinary", "cause": "客户误解"}),
        "assign": ("", {"responsible_department": qa}),
        "assign_writer": ("", {"plan_writer": people["agent"] if people else None}),
        "progress": ("已联系物流公司", {}),
        "submit_plan": ("", plan),
        "submit_plan_to_manager": ("", plan),
        "send_back": ("方案不完整", {}),
        "manager_send_back": ("赔偿金额过高", {}),
        "respond": ("", {"response_method": "phone", "response_text": "已致电道歉并补发"}),
        "revisit": ("", {"satisfaction_attitude": 4, "satisfaction_result": 5}),
        "reopen": ("", {"satisfaction_attitude": 2, "satisfaction_result": 1}),
        "reopen_analysis": ("", {"satisfaction_attitude": 1, "satisfaction_result": 2}),
        "close": ("", {"fault_level": "none", "closing_note": "客户满意"}),
        "withdraw": ("客户撤回投诉", {}),
        "agree_next_reply": ("正在核实，约定明天上午回电", {"next_reply_at": promised}),
        "pause": ("等客户补充照片", {}),
        "resume": ("客户已发来照片", {}),
    }.get(action, ("", {}))


def _snapshot(complaint):
    complaint = Complaint.objects.get(pk=complaint.pk)
    row = {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}
    return row, ComplaintEvent.objects.filter(complaint=complaint).count(), ComplaintClock.objects.filter(
        complaint=complaint).order_by("pk").values_list("kind", "state", "due_at").count()


@pytest.mark.parametrize(("stage", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_the_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        people, qa, complaint_at, stage, action):
    expected = EXPECTED.get((stage, action))
    comment, data = valid_input(action, qa, people)
    untouched = complaint_at(stage, **setup_for(action, qa, people))  # every refusal is tried on it: none may change it
    for role in ROLES:
        user = people[role]
        if expected is not None and role in expected[1]:
            complaint = complaint_at(stage, **setup_for(action, qa, people))
            assert action in available_actions(complaint, user.user), role
            complaint_transition(complaint=complaint, action=action, by=user, comment=comment, data=data)
            complaint.refresh_from_db()
            assert complaint.stage == expected[0], role
            events = list(ComplaintEvent.objects.filter(complaint=complaint).values_list(
                "action", "from_stage", "to_stage", "by_id"))
            assert events == [(action, stage, expected[0], user.pk)], role
        else:
            complaint = untouched
            before = _snapshot(complaint)
            with pytest.raises(ComplaintError) as exc:
                complaint_transition(complaint=complaint, action=action, by=user, comment=comment, data=data)
            if expected is None:  # the table has no such move: refused for anyone, and the reason names it
                assert complaint.number in exc.value.message, role
            else:
                assert isinstance(exc.value, ComplaintForbidden), role
            assert _snapshot(complaint) == before, role
            assert action not in available_actions(complaint, user.user), role


def test_a_handler_of_another_department_cannot_plan(people, qa, complaint_at, make_employee):
    other = make_employee("handler", department=DepartmentFactory(name="物流配送部", code="LOG"))
    complaint = complaint_at("plan")
    comment, data = valid_input("submit_plan", qa)
    assert available_actions(complaint, other.user) == []
    with pytest.raises(ComplaintForbidden):
        complaint_transition(complaint=complaint, action="submit_plan", by=other, comment=comment, data=data)
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.findings) == ("plan", "")


@pytest.mark.parametrize(("severity", "offered", "refused"), [
    ("ordinary", "approve", "approve_first"),
    ("major", "approve_first", "approve"),
])
def test_a_major_plan_needs_the_managers_second_approval(people, complaint_at, severity, offered, refused):
    complaint = complaint_at("approve", severity=severity)
    actions = available_actions(complaint, people["supervisor"].user)
    assert offered in actions and refused not in actions
    with pytest.raises(ComplaintError, match="not possible now"):
        complaint_transition(complaint=complaint, action=refused, by=people["supervisor"])
    complaint_transition(complaint=complaint, action=offered, by=people["supervisor"])
    complaint.refresh_from_db()
    assert complaint.stage == ("respond" if severity == "ordinary" else "manager_approve")


def test_a_complaint_against_customer_service_goes_to_the_manager_for_approval(people, complaint_at):
    writer = people["agent"]
    complaint = complaint_at("plan", against_department=cs_department(), plan_writer=writer)
    comment, data = valid_input("submit_plan", None)
    # the responsible handler may only pause (REGULATIONS §9), not plan a complaint against 客服部
    assert available_actions(complaint, people["handler"].user) == ["pause"]
    assert "submit_plan" not in available_actions(complaint, writer.user)
    complaint_transition(complaint=complaint, action="submit_plan_to_manager", by=writer, data=data)
    complaint.refresh_from_db()
    assert complaint.stage == "manager_approve"
    assert available_actions(complaint, people["supervisor"].user) == ["agree_next_reply", "pause", "withdraw"]
    assert "approve_final" in available_actions(complaint, people["manager"].user)


def test_sending_a_plan_back_needs_a_reason_and_records_it(people, complaint_at):
    complaint = complaint_at("approve")
    with pytest.raises(ComplaintError, match="reason"):
        complaint_transition(complaint=complaint, action="send_back", by=people["supervisor"], comment="  ")
    assert ComplaintEvent.objects.count() == 0
    complaint_transition(complaint=complaint, action="send_back", by=people["supervisor"], comment="补偿方案不明确")
    complaint.refresh_from_db()
    assert complaint.stage == "plan"
    assert list(ComplaintEvent.objects.values_list("action", "comment")) == [("send_back", "补偿方案不明确")]


def test_withdrawal_needs_a_reason_and_stops_every_clock(people, complaint_at):
    complaint = complaint_at("plan")
    clock = ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.DEPT_REPORT, started_at=timezone.now(),
                                          due_at=timezone.now() + dt.timedelta(hours=48))
    with pytest.raises(ComplaintError, match="reason"):
        complaint_transition(complaint=complaint, action="withdraw", by=people["agent"])
    complaint_transition(complaint=complaint, action="withdraw", by=people["agent"], comment="已私下和解")
    complaint.refresh_from_db()
    clock.refresh_from_db()
    assert (complaint.stage, complaint.withdrawn_reason, clock.state) == ("withdrawn", "已私下和解", "cancelled")
    assert Complaint.objects.count() == 1  # nothing deleted


@pytest.mark.parametrize(("attitude", "result", "stage_after"), [
    (5, 5, "close"), (4, 3, "close"), (3, 3, "close"), (2, 4, "plan"), (4, 2, "plan"), (1, 1, "plan"),
])
def test_a_revisit_dissatisfied_or_worse_reopens_at_plan(people, complaint_at, attitude, result, stage_after):
    complaint = complaint_at("revisit")
    action = "revisit" if stage_after == "close" else "reopen"
    complaint_transition(complaint=complaint, action=action, by=people["agent"],
                         data={"satisfaction_attitude": attitude, "satisfaction_result": result})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.satisfaction_attitude, complaint.satisfaction_result) == (
        stage_after, attitude, result)


def test_recording_a_satisfied_revisit_for_a_dissatisfied_customer_is_refused(people, complaint_at):
    complaint = complaint_at("revisit")
    with pytest.raises(ComplaintError, match="reopened"):
        complaint_transition(complaint=complaint, action="revisit", by=people["agent"],
                             data={"satisfaction_attitude": 2, "satisfaction_result": 2})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.satisfaction_result) == ("revisit", None)


def test_the_short_path_for_a_complaint_not_upheld(people, complaint_at):
    complaint = complaint_at("analyse", against_department=None)
    agent = people["agent"]
    complaint_transition(complaint=complaint, action="reject", by=agent, data={"severity": "ordinary"})
    complaint_transition(complaint=complaint, action="respond", by=agent,
                         data={"response_method": "phone", "response_text": "解释了退货政策", "customer_agreed": True})
    complaint_transition(complaint=complaint, action="revisit", by=agent,
                         data={"satisfaction_attitude": 4, "satisfaction_result": 4})
    complaint_transition(complaint=complaint, action="close", by=people["supervisor"], data={"fault_level": "none"})
    complaint.refresh_from_db()
    assert complaint.stage == "closed" and complaint.upheld is False and complaint.responsible_department is None
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", flat=True)) == [
        "reject", "respond", "revisit", "close"]


def test_closing_records_the_responsible_employee_and_fault_level(people, complaint_at):
    complaint = complaint_at("close")
    with pytest.raises(ComplaintError, match="responsible employee"):
        complaint_transition(complaint=complaint, action="close", by=people["supervisor"],
                             data={"fault_level": "general"})
    complaint_transition(complaint=complaint, action="close", by=people["supervisor"],
                         data={"fault_level": "general", "responsible_employee": people["agent"],
                               "closing_note": "态度问题，已批评教育"})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.fault_level, complaint.responsible_employee_id) == (
        "closed", "general", people["agent"].pk)
    assert complaint.closed_at is not None


def test_assigning_a_person_of_another_department_is_refused(people, qa, complaint_at):
    complaint = complaint_at("assign")
    with pytest.raises(ComplaintError, match="does not work in"):
        complaint_transition(complaint=complaint, action="assign", by=people["supervisor"],
                             data={"responsible_department": qa, "responsible_person": people["agent"]})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.responsible_department_id) == ("assign", None)


def test_a_repeat_complaint_notifies_the_department_head_at_once(people, qa, complaint_at,
                                                                 django_capture_on_commit_callbacks):
    earlier = complaint_at("closed")
    complaint = complaint_at("analyse")
    with django_capture_on_commit_callbacks(execute=True):
        complaint_transition(complaint=complaint, action="uphold", by=people["agent"],
                             data={"severity": "ordinary", "is_repeat": True, "repeat_of": earlier})
    notices = list(Notification.objects.filter(recipient=people["handler"]).values_list("text", "key"))
    assert notices == [(f"Repeat complaint {complaint.number} concerns your department (质量管理部).",
                        f"complaint:{complaint.pk}:repeat:{qa.pk}")]
    # moving on (assign) does not send it again
    with django_capture_on_commit_callbacks(execute=True):
        complaint_transition(complaint=complaint, action="assign", by=people["supervisor"],
                             data={"responsible_department": qa})
    assert Notification.objects.filter(recipient=people["handler"], key__contains="repeat").count() == 1


def test_every_running_clock_of_a_stage_has_one_row_per_kind(people, complaint_at):
    complaint = complaint_at("revisit")
    ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.REVISIT, started_at=timezone.now(),
                                  due_at=timezone.now() + dt.timedelta(days=7))
    complaint_transition(complaint=complaint, action="reopen", by=people["agent"],
                         data={"satisfaction_attitude": 1, "satisfaction_result": 1})
    assert list(ComplaintClock.objects.filter(complaint=complaint).order_by("id").values_list("kind", "state")) == [
        ("revisit", ClockState.MET), ("dept_report", ClockState.RUNNING)]


def test_a_complaint_against_customer_service_notifies_the_managers(people, django_capture_on_commit_callbacks):
    from complaints.services import complaint_create

    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_create(by=people["agent"], data={
            "complainant_name": "赵女士", "content": "客服态度冷淡", "against_department": cs_department()})
    assert list(Notification.objects.values_list("recipient_id", "text")) == [
        (people["manager"].pk, f"Complaint {complaint.number} is against customer service: it is yours to follow.")]


@pytest.mark.parametrize(("stage", "action", "data", "who", "recipient", "text"), [
    ("assign", "assign", "qa", "supervisor", "handler",
     "Complaint {n} was assigned to your department: please send a plan."),
    ("plan", "submit_plan", "plan", "handler", "supervisor", "The plan for complaint {n} awaits your approval."),
    ("approve", "approve", None, "supervisor", "agent", "Complaint {n} is ready for you to respond to the customer."),
    ("revisit", "revisit", "happy", "agent", "supervisor", "Complaint {n} is ready to be closed."),
])
def test_each_move_tells_whoever_acts_next(people, qa, complaint_at, django_capture_on_commit_callbacks,
                                           stage, action, data, who, recipient, text):
    complaint = complaint_at(stage)
    payload = {"qa": {"responsible_department": qa}, "plan": valid_input("submit_plan", qa)[1],
               "happy": {"satisfaction_attitude": 5, "satisfaction_result": 5}}.get(data, {})
    with django_capture_on_commit_callbacks(execute=True):
        complaint_transition(complaint=complaint, action=action, by=people[who], data=payload)
    assert list(Notification.objects.values_list("recipient_id", "text")) == [
        (people[recipient].pk, text.format(n=complaint.number))]


def test_upholding_after_a_reopened_short_path_starts_the_assign_clock_again(people, complaint_at):
    complaint = complaint_at("analyse", against_department=None)
    agent = people["agent"]
    complaint_transition(complaint=complaint, action="reject", by=agent, data={"severity": "ordinary"})
    complaint_transition(complaint=complaint, action="respond", by=agent,
                         data={"response_method": "phone", "response_text": "解释"})
    complaint_transition(complaint=complaint, action="reopen_analysis", by=agent,
                         data={"satisfaction_attitude": 1, "satisfaction_result": 1})
    complaint_transition(complaint=complaint, action="uphold", by=agent, data={"severity": "ordinary"})
    running = sorted(ComplaintClock.objects.filter(complaint=complaint, state="running").values_list("kind", flat=True))
    assert running == ["assign"]
    complaint.refresh_from_db()
    assert complaint.stage == "assign"


@pytest.mark.parametrize(("stage", "action", "already"), [
    ("respond", "approve", True),
    ("manager_approve", "approve_first", True),
    ("closed", "approve_final", True),
    ("plan", "approve", False),
    ("withdrawn", "approve", False),
])
def test_a_late_approval_is_told_it_was_already_approved(people, complaint_at, stage, action, already):
    complaint = complaint_at(stage, severity="major")
    with pytest.raises(ComplaintError) as exc:
        complaint_transition(complaint=complaint, action=action, by=people["manager"])
    assert exc.value.message.startswith("Already approved") is already


# --- a plan with compensation makes the complaint major (REGULATIONS §3) --------------------------------


def _close_clock(complaint, started):
    return ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.CLOSE, started_at=started,
                                         due_at=started + dt.timedelta(hours=72))


def test_a_plan_with_compensation_makes_the_complaint_major_and_needs_the_manager(people, qa, complaint_at):
    from decimal import Decimal

    received = timezone.now() - dt.timedelta(hours=10)
    complaint = complaint_at("plan", severity="ordinary", received_at=received)
    close = _close_clock(complaint, received)
    _comment, data = valid_input("submit_plan", qa)

    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"],
                         data={**data, "compensation": Decimal("500.00")})

    complaint.refresh_from_db()
    assert (complaint.stage, complaint.severity, complaint.compensation) == ("approve", "major", Decimal("500.00"))
    events = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", "from_stage", "to_stage",
                                                                                "by_id", "data"))
    assert events[0][:4] == ("submit_plan", "plan", "approve", people["handler"].pk)
    assert events[1] == ("made_major", "", "approve", people["handler"].pk,
                         {"severity_from": "ordinary", "severity_to": "major", "compensation": "500.00"})
    assert len(events) == 2
    close.refresh_from_db()
    assert (close.state, close.due_at) == ("running", received + dt.timedelta(hours=168))  # the major length
    assert complaint.history.first().severity == "major"  # the edit trail too

    supervisor = people["supervisor"]
    assert available_actions(complaint, supervisor.user) == ["approve_first", "send_back", "agree_next_reply",
                                                             "pause", "withdraw"]
    with pytest.raises(ComplaintError, match="not possible now"):
        complaint_transition(complaint=complaint, action="approve", by=supervisor)
    complaint.refresh_from_db()
    assert complaint.stage == "approve"
    complaint_transition(complaint=complaint, action="approve_first", by=supervisor)
    complaint.refresh_from_db()
    assert complaint.stage == "manager_approve"
    complaint_transition(complaint=complaint, action="approve_final", by=people["manager"])
    complaint.refresh_from_db()
    assert complaint.stage == "respond"


@pytest.mark.parametrize("compensation", [None, "0"])
def test_a_plan_without_compensation_keeps_the_severity(people, qa, complaint_at, compensation):
    from decimal import Decimal

    received = timezone.now() - dt.timedelta(hours=10)
    complaint = complaint_at("plan", severity="ordinary", received_at=received)
    close = _close_clock(complaint, received)
    _comment, data = valid_input("submit_plan", qa)
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"],
                         data={**data, "compensation": Decimal(compensation) if compensation else None})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.severity) == ("approve", "ordinary")
    assert list(ComplaintEvent.objects.values_list("action", flat=True)) == ["submit_plan"]
    close.refresh_from_db()
    assert close.due_at == received + dt.timedelta(hours=72)
    assert available_actions(complaint, people["supervisor"].user) == ["approve", "send_back", "agree_next_reply",
                                                                       "pause", "withdraw"]


def test_a_major_complaint_with_compensation_gets_no_second_note(people, qa, complaint_at):
    from decimal import Decimal

    complaint = complaint_at("plan", severity="major")
    _comment, data = valid_input("submit_plan", qa)
    complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"],
                         data={**data, "compensation": Decimal("80")})
    assert list(ComplaintEvent.objects.values_list("action", flat=True)) == ["submit_plan"]


def test_a_refused_plan_with_compensation_changes_nothing(people, qa, complaint_at, make_employee):
    from decimal import Decimal

    other = make_employee("handler", department=DepartmentFactory(name="物流配送部", code="LOG"))
    complaint = complaint_at("plan", severity="ordinary")
    _comment, data = valid_input("submit_plan", qa)
    with pytest.raises(ComplaintForbidden):
        complaint_transition(complaint=complaint, action="submit_plan", by=other,
                             data={**data, "compensation": Decimal("500")})
    with pytest.raises(ComplaintError, match="at least one action"):
        complaint_transition(complaint=complaint, action="submit_plan", by=people["handler"],
                             data={"findings": "x", "promised_by": data["promised_by"],
                                   "compensation": Decimal("500")})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.severity, complaint.compensation) == ("plan", "ordinary", None)
    assert ComplaintEvent.objects.count() == 0


def test_a_plan_with_compensation_against_customer_service_goes_first_to_a_supervisor_as_major(people, qa,
                                                                                             complaint_at):
    """Compensation makes it major (REGULATIONS §3), and a major complaint against 客服部 gets its first level from a
    supervisor other than the writer, then a manager's."""
    from decimal import Decimal

    from complaints.services import complaint_submit_plan

    writer = people["agent"]
    complaint = complaint_at("plan", severity="ordinary", against_department=cs_department(), plan_writer=writer)
    _comment, data = valid_input("submit_plan", qa)
    complaint_submit_plan(complaint=complaint, by=writer, data={**data, "compensation": Decimal("200")})
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.severity) == ("approve", "major")
    assert list(ComplaintEvent.objects.values_list("action", flat=True)) == ["submit_plan", "made_major"]
    assert available_actions(complaint, people["supervisor"].user) == ["approve_first", "send_back",
                                                                       "agree_next_reply", "pause", "withdraw"]


@pytest.mark.parametrize(("demand", "upheld", "severity", "initial"), [
    ("compensation", None, "ordinary", "major"),
    ("apology", None, "ordinary", "ordinary"),
    ("compensation", True, "ordinary", "ordinary"),  # a reopened analysis keeps what was decided
])
def test_the_analysis_form_defaults_to_major_for_a_compensation_demand(client_for, people, complaint_at, demand,
                                                                      upheld, severity, initial):
    from django.urls import reverse

    complaint = complaint_at("analyse", demand=demand, upheld=upheld, severity=severity)
    response = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk]))
    form = next(card["form"] for card in response.context["cards"] if card["key"] == "analyse")
    assert form["severity"].value() == initial
    assert f'<option value="{initial}" selected>' in response.content.decode()


# --- a handler of another department is refused every department move -----------------------------------


@pytest.mark.parametrize(("action", "fields"), [
    ("progress", {}),
    ("submit_plan_to_manager", {"against_department": "cs"}),
    ("submit_plan", {}),
])
def test_a_handler_of_another_department_is_refused_and_nothing_changes(people, qa, complaint_at, make_employee,
                                                                         action, fields):
    other = make_employee("handler", department=DepartmentFactory(name="物流配送部", code="LOG"))
    insider = people["handler"]
    if fields.get("against_department") == "cs":  # planned by the writer the manager named
        insider = people["agent"]
        fields = {**fields, "against_department": cs_department(), "plan_writer": insider}
    complaint = complaint_at("plan", **fields)
    now = timezone.now()
    clock = ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.DEPT_REPORT,
                                          started_at=now - dt.timedelta(hours=5), due_at=now + dt.timedelta(hours=43))
    comment, data = valid_input(action, qa)
    assert action in available_actions(complaint, insider.user)  # the move exists for QA's handler (or the writer)
    assert available_actions(complaint, other.user) == []

    with pytest.raises(ComplaintForbidden, match=f"You may not do this on complaint {complaint.number}."):
        complaint_transition(complaint=complaint, action=action, by=other, comment=comment, data=data)

    complaint.refresh_from_db()
    assert (complaint.stage, complaint.findings, complaint.promised_by, complaint.action_immediate) == (
        "plan", "", None, "")
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 0
    clock.refresh_from_db()
    assert (clock.state, clock.met_at) == ("running", None)
    assert complaint.history.count() == 1  # only the factory's creation
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("action", ["progress", "submit_plan_to_manager"])
def test_a_handler_of_another_department_cannot_act_through_the_page(client_for, people, qa, complaint_at,
                                                                       make_employee, action):
    from django.urls import reverse

    other = make_employee("handler", department=DepartmentFactory(name="物流配送部", code="LOG"))
    complaint = complaint_at("plan", against_department=cs_department())
    post = {"action": action, "progress-comment": "已联系物流公司", "plan-findings": "包装不合格",
            "plan-action_immediate": "补发", "plan-promised_by": "2026-12-30T10:00"}
    response = client_for(other).post(reverse("complaints:act", args=[complaint.pk]), post)
    assert response.status_code == 404  # the complaint is not theirs to see
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.findings) == ("plan", "")
    assert ComplaintEvent.objects.count() == 0
