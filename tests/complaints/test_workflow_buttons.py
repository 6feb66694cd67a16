"""The complaint page offers exactly the moves the engine allows: for each stage and each role, its buttons
are ``available_actions`` (the revisit button stands for revisit and reopen: the answers pick the move)."""

import pytest

from complaints.workflow import available_actions
from tests.workflow_support import assert_buttons_are_the_available_actions

STAGES = ("analyse", "assign", "plan", "approve", "manager_approve", "respond", "revisit", "close", "closed",
          "withdrawn")


@pytest.mark.parametrize("stage", STAGES)
def test_each_role_sees_the_buttons_of_its_available_moves(client_for, people, complaint_at, stage):
    complaint = complaint_at(stage, severity="major" if stage == "manager_approve" else "ordinary")
    offered = {}
    for role in ("agent", "supervisor", "manager", "handler"):
        employee = people[role]
        if role == "handler" and stage in ("analyse", "assign"):  # not yet their department's: no page, no move
            assert client_for(employee).get(f"/complaints/{complaint.pk}/").status_code == 404
            assert available_actions(complaint, employee) == []
            continue
        offered[role] = assert_buttons_are_the_available_actions(
            client_for(employee), f"/complaints/{complaint.pk}/", complaint, employee)
    if stage == "approve":  # written out: the approval is a supervisor's, never an agent's or a handler's
        assert offered["agent"] == {"agree_next_reply", "pause", "withdraw"}  # the agent owns it: may pause
        assert offered["handler"] == {"pause"}  # the responsible handler may pause (REGULATIONS §9)
        assert offered["supervisor"] == {"approve", "send_back", "agree_next_reply", "pause", "withdraw"}
