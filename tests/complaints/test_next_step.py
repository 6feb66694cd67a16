"""Issue 17: the complaint page shows the record first and one "next step" panel with what this user may do now
(the workflow engine's available moves; the blocked ones with their reason); withdraw is a small secondary action,
not a red card above the complaint; a revisit that reopens the complaint says so, on the form and in the
timeline."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from tests.factories import ComplaintEventFactory
from tests.workflow_support import page_actions


def panel(html: str) -> tuple[str, str]:
    """(the panel's main part, its withdraw footer) of the complaint page."""
    section = html[html.index('<section class="card mb-3 border-primary" id="next-step"'):]
    section = section[:section.index("</section>")]
    main, _sep, footer = section.partition('<div class="card-footer')
    return main, footer


def page(client_for, employee, complaint):
    response = client_for(employee).get(reverse("complaints:detail", args=[complaint.pk]))
    assert response.status_code == 200
    return response.content.decode()


# Written out from REGULATIONS §3: who may do what at each stage (withdraw: customer service, any open stage), and
# §9: at any open stage the owner (the agent who registered it), a supervisor or the responsible department's handler
# may pause the complaint's clocks while it waits on the customer.
PANEL = [
    ("analyse", "agent", {"uphold", "reject", "agree_next_reply", "pause"}, True),
    ("assign", "agent", {"agree_next_reply", "pause"}, True),
    ("assign", "supervisor", {"assign", "agree_next_reply", "pause"}, True),
    ("plan", "handler", {"progress", "submit_plan", "pause"}, False),
    ("approve", "agent", {"agree_next_reply", "pause"}, True),
    ("approve", "supervisor", {"approve", "send_back", "agree_next_reply", "pause"}, True),
    ("approve", "handler", {"pause"}, False),
    ("respond", "agent", {"respond", "agree_next_reply", "pause"}, True),
    ("revisit", "agent", {"revisit", "reopen", "pause"}, True),
    ("close", "supervisor", {"close", "pause"}, True),
    ("close", "agent", {"pause"}, True),
    ("closed", "supervisor", set(), False),
]


@pytest.mark.parametrize("stage, role, actions, withdraw", PANEL)
def test_the_next_step_panel_offers_what_this_user_may_do_now(client_for, people, complaint_at, stage, role, actions,
                                                              withdraw):
    complaint = complaint_at(stage)

    main, footer = panel(page(client_for, people[role], complaint))

    assert page_actions(main) == actions
    assert page_actions(footer) == ({"withdraw"} if withdraw else set())
    if not actions:
        assert 'id="no-actions"' in main


def test_the_record_comes_first_and_withdraw_is_a_small_secondary_action(client_for, people, complaint_at):
    complaint = complaint_at("approve")

    html = page(client_for, people["supervisor"], complaint)

    assert html.index("Complaint record") < html.index('id="next-step"')
    _main, footer = panel(html)
    assert '<details id="card-withdraw">' in footer
    assert re.search(r'value="withdraw"[^>]*class="btn btn-sm btn-outline-secondary"', footer)
    assert "border-danger" not in html and "bg-danger-subtle" not in html


def test_a_blocked_move_is_shown_in_the_panel_with_its_reason(client_for, people, complaint_at):
    complaint = complaint_at("approve")
    ComplaintEventFactory(complaint=complaint, action="submit_plan", from_stage="plan", to_stage="approve",
                          by=people["supervisor"], at=timezone.now())

    main, _footer = panel(page(client_for, people["supervisor"], complaint))

    assert page_actions(main) == {"send_back", "agree_next_reply", "pause"}  # pause: §9
    assert ('<div class="alert alert-warning mt-3 mb-0" id="blocked-approve" data-blocked-action="approve">'
            '<i class="bi bi-people" aria-hidden="true"></i> <strong>Approve</strong>: You submitted this plan or '
            'reported progress on it: someone else approves it.</div>') in main


@pytest.mark.parametrize("department, reopens_at", [(True, "plan"), (False, "analyse")])
def test_the_revisit_form_says_before_saving_where_a_dissatisfied_answer_reopens_it(client_for, people, complaint_at,
                                                                                    department, reopens_at):
    fields = {} if department else {"responsible_department": None, "upheld": False}
    complaint = complaint_at("revisit", **fields)

    main, _footer = panel(page(client_for, people["agent"], complaint))

    assert f'data-reopens-at="{reopens_at}"' in main
    where = "it goes back to the department's plan" if department else "it goes back to analysis"
    assert f"“Dissatisfied” or worse, for attitude or result, reopens the complaint: {where}." in \
        main.replace("&#x27;", "'")
    assert 'id="revisit-reopen-warning"' in main  # shown by the script as soon as such an answer is chosen


def test_a_revisit_that_reopened_the_complaint_says_so_in_the_timeline(client_for, people, complaint_at):
    from complaints.services import complaint_record_revisit

    complaint = complaint_at("revisit")
    complaint_record_revisit(complaint=complaint, by=people["agent"], comment="客户仍不满意",
                             data={"satisfaction_attitude": 4, "satisfaction_result": 2, "revisit_comment": ""})
    complaint.refresh_from_db()
    assert complaint.stage == "plan"

    html = page(client_for, people["supervisor"], complaint)

    timeline = html[html.index('id="timeline"'):]
    assert ('<div class="text-danger-emphasis fw-semibold" data-reopened="plan">'
            '<i class="bi bi-arrow-counterclockwise" aria-hidden="true"></i> Customer dissatisfied: the revisit '
            'reopened the complaint (Department plans).</div>') in timeline


def test_a_role_refused_the_panel_move_changes_nothing(client_for, people, complaint_at):
    complaint = complaint_at("approve")
    before = list(Complaint.objects.filter(pk=complaint.pk).values_list("stage", "updated_at"))

    response = client_for(people["agent"]).post(reverse("complaints:act", args=[complaint.pk]),
                                                {"action": "approve", "decision-comment": "同意"})

    assert response.status_code == 403
    assert list(Complaint.objects.filter(pk=complaint.pk).values_list("stage", "updated_at")) == before
    assert client_for(people["custodian"]).get(reverse("complaints:detail", args=[complaint.pk])).status_code == 403
