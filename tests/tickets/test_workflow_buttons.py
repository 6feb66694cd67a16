"""The call page offers exactly the moves the engine allows: for each status and each role that sees the page,
its buttons (hand over, reply, close, void) are ``available_actions``. Reopening has no button: a new outcome on
the edit page makes it."""

import pytest

from tests.workflow_support import assert_buttons_are_the_available_actions

ROLES = ("agent", "owner", "supervisor", "manager", "department_handler")

# written out: what each role is offered, by status
OFFERED = {
    "open": {"agent": set(), "owner": {"hand_over", "close"}, "supervisor": {"hand_over", "close", "void"},
             "manager": {"hand_over", "close", "void"}, "department_handler": {"reply"}},
    "closed": {"agent": set(), "owner": set(), "supervisor": {"void"}, "manager": {"void"},
               "department_handler": set()},
    "voided": {role: set() for role in ROLES},
}


@pytest.mark.parametrize("status", ["open", "closed", "voided"])
def test_each_role_sees_the_buttons_of_its_available_moves(client_for, people, call_at, status):
    call = call_at(status)
    url = f"/calls/{call.pk}/"
    for role in ROLES:
        employee = people[role]
        if role == "department_handler" and status == "closed":  # a resolved call went to no department
            assert client_for(employee).get(url).status_code == 404
            continue
        offered = assert_buttons_are_the_available_actions(client_for(employee), url, call, employee)
        assert offered == OFFERED[status][role], role
    for role in ("handler", "custodian", "admin"):  # another department's handler; no call pages at all
        assert client_for(people[role]).get(url).status_code in (403, 404), role


# a repair request sent to 工程部, by its step (REGULATIONS §2: on site, finished, then the revisit closes it)
REPAIR_OFFERED = {
    "dispatched": {"agent": set(), "owner": {"hand_over", "on_site"}, "supervisor": {"hand_over", "on_site", "void"},
                   "manager": {"hand_over", "on_site", "void"}, "department_handler": {"reply", "on_site"}},
    "finished": {"agent": set(), "owner": {"hand_over", "revisit"}, "supervisor": {"hand_over", "revisit", "void"},
                 "manager": {"hand_over", "revisit", "void"}, "department_handler": {"reply"}},
}


@pytest.mark.parametrize("step", ["dispatched", "finished"])
def test_a_repair_request_offers_its_next_step(client_for, people, eng, step):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import CallFactory

    fields = {"status": "open", "category": "repair", "outcome": "transferred", "department": eng,
              "agent": people["owner"], "owner": people["owner"]}
    if step == "finished":
        fields.update(repair_on_site_at=timezone.now() - dt.timedelta(minutes=40),
                      repair_finished_at=timezone.now() - dt.timedelta(minutes=5))
    call = CallFactory(**fields)
    for role in ROLES:
        employee = people[role]
        offered = assert_buttons_are_the_available_actions(client_for(employee), f"/calls/{call.pk}/", call, employee)
        assert offered == REPAIR_OFFERED[step][role], role
