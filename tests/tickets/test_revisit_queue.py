"""The revisit queues and the unsatisfied path (REGULATIONS §10, issue 20): the agent's own revisits and the
supervisor's team's, soonest due first with the deadline column, a page at a time; an unsatisfied answer (1–2 on
the complaints' five steps, §3) reaches the supervisor, who opens a complaint from it in one step. The revisit's
table is written out here (from §10 and docs/tickets.md where §10 is silent), never read from tickets/workflow.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint
from csmgmt.core.models import Notification
from tests.deadline_support import H, deadline_rows, frozen_now
from tests.factories import CallFactory, CallRevisitFactory, cs_department
from tests.workflow_support import snapshot
from tickets import revisits, services
from tickets.workflow import REVISIT


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def team(make_employee, db):
    """李秀梅 supervises 张伟 and 刘洋; 赵志强 supervises 周敏 (another team)."""
    cs = cs_department()
    boss = make_employee("supervisor", department=cs, name="李秀梅")
    other_boss = make_employee("supervisor", department=cs, name="赵志强")
    return {"boss": boss, "other_boss": other_boss,
            "zhang": make_employee("agent", department=cs, supervisor=boss, name="张伟"),
            "liu": make_employee("agent", department=cs, supervisor=boss, name="刘洋"),
            "zhou": make_employee("agent", department=cs, supervisor=other_boss, name="周敏"),
            "manager": make_employee("manager", department=cs, name="王建国")}


def pending(owner, due, **kw):
    return CallRevisitFactory(call=CallFactory(owner=owner, agent=owner), due_at=due, due_from=due - 48 * H, **kw)


# --- the queues -----------------------------------------------------------------------------------------------


def test_my_revisits_soonest_due_first_with_the_deadline_column(monkeypatch, team, client_for):
    now = frozen_now(monkeypatch)
    me = team["zhang"]
    later = pending(me, now + 30 * H)
    overdue = pending(me, now - 3 * H)
    soon = pending(me, now + H)
    pending(team["liu"], now - 5 * H)  # a teammate's: not mine
    answered = pending(me, now - 10 * H)
    revisits.revisit_record(revisit=answered, by=me, satisfaction=5)

    html = client_for(me).get(reverse("tickets:revisits")).content.decode()

    assert deadline_rows(html, "call") == [(overdue.call.number, "overdue", "overdue 3 h"),
                                           (soon.call.number, "soon", "due in 1 h"),
                                           (later.call.number, "ok", "due in 1 d 6 h")]
    assert "Your calls waiting for their revisit. Soonest deadline first." in html
    done = client_for(me).get(reverse("tickets:revisits"), {"state": "done"}).content.decode()
    assert f'data-call="{answered.call.number}"' in done and f'data-call="{later.call.number}"' not in done


def test_the_home_page_lists_my_revisits_due_soonest_first_and_none_of_a_colleagues(monkeypatch, team, client_for):
    """REGULATIONS §10 (the agent revisits the customer): the agent's home page lists their pending revisits, soonest
    due first with the deadline cell, at most five; a colleague's, and answered ones, are not there."""
    now = frozen_now(monkeypatch)
    me = team["zhang"]
    later = pending(me, now + 30 * H)
    overdue = pending(me, now - 3 * H)
    theirs = pending(team["liu"], now - 5 * H)
    answered = pending(me, now - 10 * H)
    revisits.revisit_record(revisit=answered, by=me, satisfaction=5)

    html = client_for(me).get(reverse("home")).content.decode()

    panel = html[html.index('id="widget-my-revisits"'):]
    panel = panel[:panel.index("</ul>")]
    assert deadline_rows(panel, "revisit") == [(str(overdue.pk), "overdue", "overdue 3 h"),
                                               (str(later.pk), "ok", "due in 1 d 6 h")]
    assert theirs.call.number not in panel and answered.call.number not in panel
    for _ in range(5):
        pending(me, now + 50 * H)
    html = client_for(me).get(reverse("home")).content.decode()
    assert html.count("data-revisit=") == 5
    # with nothing to revisit, no panel
    assert 'id="widget-my-revisits"' not in client_for(team["zhou"]).get(reverse("home")).content.decode()


def test_the_supervisor_sees_the_teams_revisits_and_the_manager_everyones(monkeypatch, team, client_for):
    now = frozen_now(monkeypatch)
    zhang, liu, zhou = (pending(team[k], now + i * H) for i, k in enumerate(("zhang", "liu", "zhou"), start=1))

    def shown(who):
        html = client_for(team[who]).get(reverse("tickets:revisits_team")).content.decode()
        return [key for key, _level, _text in deadline_rows(html, "call")]

    assert shown("boss") == [zhang.call.number, liu.call.number]
    assert shown("other_boss") == [zhou.call.number]
    assert shown("manager") == [zhang.call.number, liu.call.number, zhou.call.number]


def test_an_agent_is_refused_the_teams_lists_and_a_handler_every_revisit_list(team, client_for, make_employee):
    agent = client_for(team["zhang"])
    assert agent.get(reverse("tickets:revisits_team")).status_code == 403
    assert agent.get(reverse("tickets:revisits_unsatisfied")).status_code == 403
    handler = client_for(make_employee("handler"))
    for name in ("tickets:revisits", "tickets:revisits_team", "tickets:revisits_unsatisfied"):
        assert handler.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("n", [3, 30])
def test_the_queue_reads_a_page_with_a_fixed_number_of_queries(monkeypatch, team, client_for, n,
                                                                django_assert_num_queries):
    now = frozen_now(monkeypatch)
    for i in range(n):
        pending(team["zhang"], now + i * H)
    c = client_for(team["boss"])
    with CaptureQueriesContext(connection) as first:
        c.get(reverse("tickets:revisits_team"))
    with django_assert_num_queries(len(first.captured_queries)):
        response = c.get(reverse("tickets:revisits_team"))
    assert len(first.captured_queries) == FIXED_QUERIES
    assert response.content.decode().count("data-deadline-level=") == min(n, 25)
    assert ("page=2" in response.content.decode()) is (n > 25)


FIXED_QUERIES = 12  # login, roles, the nav badges of other lists, notices, and one query for the page of rows (one more
# row than a page: no COUNT)


# --- the unsatisfied path -----------------------------------------------------------------------------------------


def test_an_unsatisfied_answer_reaches_the_supervisor_who_opens_a_complaint_in_one_step(
        team, client_for, django_capture_on_commit_callbacks):
    call = CallFactory(owner=team["zhang"], agent=team["zhang"], caller_name="林女士", caller_phone="13812345678",
                       summary="热水器维修后仍不出热水")
    revisit = CallRevisitFactory(call=call)
    with django_capture_on_commit_callbacks(execute=True):  # the notice goes out after the commit
        response = client_for(team["zhang"]).post(reverse("tickets:revisit_record", args=[revisit.pk]),
                                                  {"satisfaction": "2", "note": "师傅走后还是不热，很不满意"})
    assert response.status_code == 302
    revisit.refresh_from_db()
    assert (revisit.state, revisit.satisfaction) == ("unsatisfied", 2)
    notice = Notification.objects.get(key=f"call-revisit-unsatisfied-{revisit.pk}")
    assert notice.recipient == team["boss"]
    assert call.number in notice.text and "Dissatisfied" in notice.text

    html = client_for(team["boss"]).get(reverse("tickets:revisits_unsatisfied")).content.decode()
    assert f'data-call="{call.number}"' in html
    assert reverse("complaints:from_revisit", args=[revisit.pk]) in html

    response = client_for(team["boss"]).post(reverse("complaints:from_revisit", args=[revisit.pk]), {"confirm": "1"})

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert (complaint.source_call, complaint.complainant_name, complaint.complainant_phone, complaint.agent) == (
        call, "林女士", "13812345678", team["boss"])
    assert complaint.content == "热水器维修后仍不出热水\nRevisit %s: Dissatisfied (不满意).\n师傅走后还是不热，很不满意" % (
        revisit.revisited_at.strftime("%Y-%m-%d"))
    revisit.refresh_from_db()
    call.refresh_from_db()
    assert (revisit.state, revisit.complaint_number, call.outcome) == ("complaint", complaint.number, "complaint")
    assert list(revisit.events.values_list("action", "to_state", "by", "data")) == [
        ("record_unsatisfied", "unsatisfied", team["zhang"].pk, {"satisfaction": 2}),
        ("open_complaint", "complaint", team["boss"].pk, {"complaint": complaint.number})]
    assert call.events.filter(kind="complaint", by=team["boss"]).count() == 1  # the call's trail shows it too


def test_an_agent_may_not_open_the_complaint_and_nothing_changes(team, client_for):
    revisit = CallRevisitFactory(call=CallFactory(owner=team["zhang"], agent=team["zhang"]))
    revisits.revisit_record(revisit=revisit, by=team["zhang"], satisfaction=1)
    revisit.refresh_from_db()
    before = snapshot(revisit), snapshot(revisit.call)
    response = client_for(team["zhang"]).post(reverse("complaints:from_revisit", args=[revisit.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert (snapshot(revisit), snapshot(revisit.call)) == before
    assert not Complaint.objects.exists()
    response = client_for(team["zhang"]).post(reverse("tickets:revisit_settle", args=[revisit.pk]),
                                              {"comment": "已解释"})
    assert response.status_code == 403
    assert (snapshot(revisit), snapshot(revisit.call)) == before


def test_a_satisfied_revisit_opens_no_complaint(team, client_for, django_capture_on_commit_callbacks):
    revisit = CallRevisitFactory(call=CallFactory(owner=team["zhang"], agent=team["zhang"]))
    with django_capture_on_commit_callbacks(execute=True):
        revisits.revisit_record(revisit=revisit, by=team["zhang"], satisfaction=3)
    revisit.refresh_from_db()
    before = snapshot(revisit)
    client_for(team["boss"]).post(reverse("complaints:from_revisit", args=[revisit.pk]), {"confirm": "1"})
    assert snapshot(revisit) == before and not Complaint.objects.exists()
    assert not Notification.objects.filter(key__startswith="call-revisit-unsatisfied").exists()


def test_the_supervisor_settles_an_unsatisfied_answer_with_a_comment(team, client_for):
    revisit = CallRevisitFactory(call=CallFactory(owner=team["zhang"], agent=team["zhang"]))
    revisits.revisit_record(revisit=revisit, by=team["zhang"], satisfaction=2)
    boss = client_for(team["boss"])
    boss.post(reverse("tickets:revisit_settle", args=[revisit.pk]), {"comment": " "})
    revisit.refresh_from_db()
    assert revisit.state == "unsatisfied"
    boss.post(reverse("tickets:revisit_settle", args=[revisit.pk]), {"comment": "已回电道歉，客户接受"})
    revisit.refresh_from_db()
    assert revisit.state == "settled"
    assert revisit.events.last().comment == "已回电道歉，客户接受"


# --- the table --------------------------------------------------------------------------------------------------

# (state, action) -> (next state, who may). §10 and §1: agents "do revisits" — the call's owner, or a supervisor as
# for the call itself (docs/tickets.md: "only the owner or a supervisor edits … a call"); unsatisfied answers
# "reach the supervisor": only a supervisor opens the complaint or settles. Cancelling: the owner or a supervisor
# (a voided call's: the product itself).
OWNER_OR_SUPERVISOR = {"owner", "boss", "other_boss", "manager"}
SUPERVISORS = {"boss", "other_boss", "manager"}
EXPECTED = {
    ("pending", "record"): ("done", OWNER_OR_SUPERVISOR),
    ("pending", "record_unsatisfied"): ("unsatisfied", OWNER_OR_SUPERVISOR),
    ("pending", "cancel"): ("cancelled", OWNER_OR_SUPERVISOR),
    ("unsatisfied", "open_complaint"): ("complaint", SUPERVISORS),
    ("unsatisfied", "settle"): ("settled", SUPERVISORS),
}
STATES = ("pending", "done", "unsatisfied", "complaint", "settled", "cancelled")
ACTIONS = ("record", "record_unsatisfied", "cancel", "open_complaint", "settle")
WHO = ("owner", "colleague", "boss", "other_boss", "manager", "handler")


def make_in(team, state, make_employee):
    revisit = CallRevisitFactory(call=CallFactory(owner=team["zhang"], agent=team["zhang"]))
    if state in ("done", "unsatisfied", "complaint", "settled"):
        revisits.revisit_record(revisit=revisit, by=team["zhang"], satisfaction=5 if state == "done" else 2)
    if state == "complaint":
        revisits.revisit_complaint_opened(revisit=revisit, by=team["boss"], complaint_number="TS-202611-0001")
    if state == "settled":
        revisits.revisit_settle(revisit=revisit, by=team["boss"], comment="已处理")
    if state == "cancelled":
        revisits.call_revisit_need(call=revisit.call, by=team["zhang"], needs=False)
    revisit.refresh_from_db()
    assert revisit.state == state
    return revisit


def attempt(action, revisit, by):
    if action in ("record", "record_unsatisfied"):
        return revisits.revisit_record(revisit=revisit, by=by, satisfaction=4 if action == "record" else 1)
    if action == "cancel":
        return revisits.call_revisit_need(call=revisit.call, by=by, needs=False)
    if action == "open_complaint":
        return revisits.revisit_complaint_opened(revisit=revisit, by=by, complaint_number="TS-202611-0002")
    return revisits.revisit_settle(revisit=revisit, by=by, comment="已回电说明")


CASES = [(s, a) for s in STATES for a in ACTIONS]


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_the_table_each_move_works_for_its_roles_and_every_other_is_refused_with_nothing_changed(
        team, make_employee, state, action):
    people = {"owner": team["zhang"], "colleague": team["liu"], "boss": team["boss"],
              "other_boss": team["other_boss"], "manager": team["manager"], "handler": make_employee("handler")}
    expected = EXPECTED.get((state, action))
    untouched = make_in(team, state, make_employee)
    for who in WHO:
        if expected is not None and who in expected[1]:
            revisit = make_in(team, state, make_employee)
            attempt(action, revisit, people[who])
            revisit.refresh_from_db()
            assert revisit.state == expected[0], who
            last = revisit.events.order_by("-id").first()
            assert (last.action, last.from_state, last.to_state, last.by) == (action, state, expected[0],
                                                                              people[who]), who
        else:
            before = snapshot(untouched), snapshot(untouched.call)
            with translation.override("en"), pytest.raises(services.CallError):
                attempt(action, untouched, people[who])
            assert (snapshot(untouched), snapshot(untouched.call)) == before, who


def test_the_revisit_table_has_the_states_and_moves_written_out_above():
    moves = {(state, action): (m.to, ) for state, row in REVISIT.table.items() for action, m in row.items()}
    assert moves == {key: (value[0],) for key, value in EXPECTED.items()}


# --- the pages offer the moves the engine allows -------------------------------------------------------------------


def test_the_queues_buttons_are_the_available_actions(team, client_for):
    from tests.workflow_support import assert_buttons_are_the_available_actions

    revisit = CallRevisitFactory(call=CallFactory(owner=team["zhang"], agent=team["zhang"]))
    offered = assert_buttons_are_the_available_actions(client_for(team["zhang"]), reverse("tickets:revisits"),
                                                       revisit, team["zhang"])
    assert offered == {"record", "record_unsatisfied", "cancel"}
    revisits.revisit_record(revisit=revisit, by=team["zhang"], satisfaction=1)
    offered = assert_buttons_are_the_available_actions(client_for(team["boss"]), reverse("tickets:revisits_unsatisfied"),
                                                       revisit, team["boss"])
    assert offered == {"open_complaint", "settle"}


def test_the_call_page_shows_the_revisit_its_trail_and_the_record_form(team, client_for):
    call = CallFactory(owner=team["zhang"], agent=team["zhang"])
    revisits.call_revisit_need(call=call, by=team["zhang"], needs=True, note="客户希望下周回访")
    html = client_for(team["zhang"]).get(reverse("tickets:detail", args=[call.pk])).content.decode()
    assert 'id="revisit-record-form"' in html and 'id="revisit-untick-form"' in html
    assert "Revisit needed → To revisit · 客户希望下周回访" in html
    assert 'id="revisit-tick-form"' not in html  # one pending revisit at a time


def test_a_colleague_may_not_record_someone_elses_revisit_and_nothing_changes(team, client_for):
    revisit = CallRevisitFactory(call=CallFactory(owner=team["zhang"], agent=team["zhang"]))
    before = snapshot(revisit), snapshot(revisit.call)
    response = client_for(team["liu"]).post(reverse("tickets:revisit_record", args=[revisit.pk]),
                                            {"satisfaction": "5", "note": "代同事回访"})
    assert response.status_code == 302
    assert (snapshot(revisit), snapshot(revisit.call)) == before
