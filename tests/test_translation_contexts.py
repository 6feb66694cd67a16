"""One English word, several meanings: the strings whose Chinese depends on where they stand carry a context
(pgettext), and no context-free msgid is shared by two apps unless it was reviewed to mean the same in each."""

from django.utils import translation
from django.utils.translation import pgettext

from tests.msgid_scan import msgid_uses


def test_the_six_shared_words_read_by_their_meaning():
    """Issue 17: a running clock is not 生成中, a lost item's owner is 失主, the reply method Phone is 电话, a
    complaint is closed as 结案, a complaint's receive time is 受理时间, the grid's rostered days 排班天数."""
    from complaints.models import Complaint, ClockState, ResponseMethod
    from complaints.workflow import ACTION_LABELS
    from lostfound.forms import LostReportForm
    from staff.attendance.selectors import TOTAL_COLUMNS

    with translation.override("zh-hans"):
        assert pgettext("clock", "Running") == "计时中"
        assert pgettext("lost property", "Owner") == "失主"
        assert pgettext("reply method", "Phone") == "电话"
        assert pgettext("complaint", "Close") == "结案"
        assert pgettext("complaint", "received at") == "受理时间"
        assert pgettext("roster", "Working days") == "排班天数"
        # ... and where they are shown
        assert str(ClockState.RUNNING.label) == "计时中"
        assert str(LostReportForm.base_fields["owner_name"].label) == "失主"
        assert str(ResponseMethod.PHONE.label) == "电话"
        assert str(ACTION_LABELS["close"]) == "结案"
        assert str(Complaint._meta.get_field("received_at").verbose_name) == "受理时间"
        assert str(dict(TOTAL_COLUMNS)["working_days"]) == "排班天数"
        # the other meanings keep their own words
        assert pgettext("report file", "Running") == "生成中"
        assert pgettext("call", "Owner") == "负责人"
        assert pgettext("item category", "Phone") == "手机"
        assert pgettext("dismiss", "Close") == "关闭"
        assert pgettext("call", "Received at") == "来电时间"
        assert translation.gettext("Days worked") == "出勤天数"
    with translation.override("en"):
        assert str(ClockState.RUNNING.label) == "Running"
        assert str(ACTION_LABELS["close"]) == "Close"
        assert str(dict(TOTAL_COLUMNS)["working_days"]) == "Working days"


# Reviewed (issue 17): each of these context-free msgids means the same thing in every app that uses it, so
# one Chinese serves all. A new msgid shared by two apps gets a context, or is reviewed and added here.
SAME_EVERYWHERE = {
    # actions and buttons
    "Approve", "Cancel", "Clear", "Edit", "Filter", "Import", "Print", "Save", "Search", "Show", "Withdraw",
    "Record revisit", "Next", "Previous", "Pages", "Page %(n)s",
    # states
    "Paused (waiting on the customer)",
    # reviewed at the merge of issue 20: the same thing wherever it is said
    "Call number", "call", "summary", "tags", "Tags", "Employee No", "version", "Versions", "the system",
    "Closed", "Failed", "Handed over", "Open", "Overdue", "Reopened", "Voided", "Waiting", "Withdrawn",
    # roles, sections and names of things
    "Agent", "Supervisor", "Customer service", "system", "Calls", "Complaints", "Lost and found", "Notifications",
    "All", "Yes", "No", "Other", "Result", "Problems found", "Trail",
    # channels and satisfaction (one list used by calls and complaints)
    "Dissatisfied (不满意)", "Email (电邮)", "Neutral (一般)", "Online chat (在线)", "Other (其他)",
    "Phone (电话)", "Satisfied (满意)", "Very dissatisfied (非常不满意)", "Very satisfied (非常满意)",
    "Walk-in (现场)",
    # field labels that name the same kind of value everywhere
    "Category", "Closing note", "Date", "Day", "Department", "Details", "Direction", "From", "To",
    "Month", "Name", "Note", "Number", "Reason", "Reason for voiding", "Source", "State", "Status",
    "action", "active", "address", "at", "by", "category", "channel", "closing note", "comment",
    "copy shown", "created", "customer", "data", "department", "description", "details", "direction", "due",
    "file", "file name", "finished", "from", "key", "kind", "month", "name", "note", "number", "order", "phone",
    "reason", "record", "requested at", "requested by", "result", "revisited at", "size", "source",
    "started", "state", "status", "text", "to", "type", "updated", "uploaded at", "withdrawn at",
    # a revisit of a call and of a complaint: the same step (REGULATIONS §3, §10), the same words
    "To revisit", "Not needed", "revisit", "Revisit the customer", "Revisit due", "complaint", "Working days",
    "counts",
    # messages of the shared mechanisms (imports, forms, the workflow engine)
    "File (.csv or .xlsx)", "Give a reason.", "Nothing was imported: fix the rows below and upload the file again.",
    "Row %(row)s: %(message)s", "Settings saved.", "The file is being imported in the background.",
    "Unknown action.", "Upload a .csv or .xlsx file.", "no employee with number %(no)s",
    "“%(action)s” is not possible now: %(record)s is “%(state)s”.",
    # reviewed after merging issues 17, 18 and 21: the same meaning in each app
    "extension", "Inbound (呼入)", "Outbound (呼出)", "employee", "customer service", "a given due time",
    "holiday answering script", "holiday", "Complaint", "At", "Received", "Working calendars", "Caller", "Active",
    "The number beside this list in the menu counts: %(what)s.", "Soonest deadline first.",
    # reviewed for issue 21's prefilled intake: the exchange's call on a call, the same meaning as on its record
    "exchange's call id", "rang at",
}


def test_no_msgid_without_a_context_is_shared_by_two_apps_unless_reviewed():
    uses = msgid_uses()
    shared = {msgid: sorted(apps) for (context, msgid), apps in uses.items()
              if context is None and len(apps) > 1 and msgid not in SAME_EVERYWHERE}
    assert shared == {}, ("give these a context (pgettext / {% translate ... context ... %}) where the meaning "
                          "differs, or review them and add them to SAME_EVERYWHERE: "
                          + "; ".join(f"{m!r} in {a}: {[p for app in a for p in uses[(None, m)][app]]}"
                                      for m, a in shared.items()))
    stale = {m for m in SAME_EVERYWHERE if len(uses.get((None, m), {})) < 2}
    assert stale == set(), "no longer shared: take them off SAME_EVERYWHERE"


def test_the_scanner_finds_template_and_python_uses_with_their_context():
    uses = msgid_uses()
    assert "complaints" in uses[("clock", "Running")]
    assert "templates/complaints/statistics.html" in " ".join(uses[("clock", "Running")]["complaints"])
    assert "lostfound/forms.py" in " ".join(uses[("lost property", "Owner")]["lostfound"])
    assert (None, "Running") not in uses
