"""The revisit's answers pick the move in the service, not in the view (issue 14): REGULATIONS §3, "不满意 or worse
reopens the complaint at plan" — on the short path (not upheld, no department) there is no plan to reopen, so it
goes back to analysis (docs/complaints.md); a satisfied customer sends it on to be closed."""

import pytest

from complaints.models import ComplaintEvent
from complaints.services import complaint_record_revisit


@pytest.mark.parametrize(("department", "attitude", "result", "stage", "action"), [
    (True, 5, 4, "close", "revisit"),
    (True, 3, 3, "close", "revisit"),  # 一般 is not dissatisfied
    (True, 2, 5, "plan", "reopen"),  # 不满意 with the attitude alone
    (True, 4, 1, "plan", "reopen"),
    (False, 4, 4, "close", "revisit"),
    (False, 1, 3, "analyse", "reopen_analysis"),  # the short path: back to analysis
])
def test_the_revisit_service_routes_by_the_answers(people, complaint_at, department, attitude, result, stage,
                                                   action):
    fields = {} if department else {"responsible_department": None}
    complaint = complaint_at("revisit", **fields)
    complaint_record_revisit(complaint=complaint, by=people["agent"],
                             data={"satisfaction_attitude": attitude, "satisfaction_result": result})
    complaint.refresh_from_db()
    assert complaint.stage == stage
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("action", "from_stage", "to_stage")) \
        == [(action, "revisit", stage)]
