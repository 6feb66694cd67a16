import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintClock, ComplaintEvent, Evidence


@pytest.fixture
def demo(db, settings, tmp_path, django_capture_on_commit_callbacks):
    from complaints import demo
    from staff import demo as staff_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    staff_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    return demo


def test_demo_complaints_load_twice_without_duplicates(demo):
    first = (Complaint.objects.count(), ComplaintEvent.objects.count(), Evidence.objects.count(),
             ComplaintClock.objects.count())
    demo.load()
    assert (Complaint.objects.count(), ComplaintEvent.objects.count(), Evidence.objects.count(),
            ComplaintClock.objects.count()) == first
    assert first[0] == 15 and first[2] == 1
    stages = set(Complaint.objects.values_list("stage", flat=True))
    assert {"closed", "approve", "manager_approve", "assign", "revisit", "analyse", "plan", "respond", "close",
            "withdrawn"} <= stages


def _case(name):
    return Complaint.objects.get(complainant_name=name)


def test_demo_has_a_complaint_to_respond_and_one_to_close(demo):
    assert _case("孙女士").stage == "respond"
    to_close = _case("吴先生")
    assert (to_close.stage, to_close.satisfaction_attitude, to_close.satisfaction_result) == ("close", 5, 4)


def test_demo_has_a_withdrawn_complaint_with_its_reason(demo):
    withdrawn = _case("郑女士")
    assert (withdrawn.stage, withdrawn.withdrawn_reason) == ("withdrawn", "客户来电告知积分已到账，撤回投诉")
    assert withdrawn.withdrawn_at is not None
    assert not withdrawn.clocks.filter(state="running").exists()
    assert list(withdrawn.events.values_list("action", flat=True)) == ["receive", "uphold", "withdraw"]


def test_demo_has_a_complaint_reopened_after_a_dissatisfied_revisit(demo):
    reopened = _case("冯先生")
    assert (reopened.stage, reopened.satisfaction_result) == ("plan", 2)
    event = reopened.events.get(action="reopen")
    assert (event.from_stage, event.to_stage) == ("revisit", "plan")
    assert reopened.clocks.filter(kind="dept_report", state="running").count() == 1


def test_demo_has_a_complaint_with_an_evidence_photo(demo):
    from django.core.files.storage import default_storage
    from PIL import Image

    evidence = Evidence.objects.get()
    assert (evidence.complaint.complainant_name, evidence.original_name, evidence.content_type) == (
        "何女士", "发霉面包照片.png", "image/png")
    assert evidence.file.name.startswith(f"complaints/evidence/{evidence.complaint_id}/")
    with default_storage.open(evidence.file.name) as fh:
        assert fh.size == evidence.size
        with Image.open(fh) as img:
            assert (img.format, img.size) == ("PNG", (160, 120))


def test_demo_complaints_never_lie_in_the_future(demo):
    now = timezone.now()
    assert Complaint.objects.filter(received_at__gt=now).count() == 0
    assert ComplaintEvent.objects.filter(at__gt=now).count() == 0
    assert ComplaintClock.objects.filter(started_at__gt=now).count() == 0
    assert ComplaintClock.objects.filter(met_at__gt=now).count() == 0


def test_demo_has_a_complaint_with_an_agreed_next_reply_time(demo):
    agreed = _case("钱先生")
    event = agreed.events.get(action="agree_next_reply")
    clock = agreed.clocks.get(kind="next_reply")
    assert (agreed.stage, event.from_stage, event.to_stage) == ("assign", "assign", "assign")
    assert (clock.state, clock.owner.employee_no) == ("running", "CS102")
    assert clock.due_at > timezone.now()
    assert dt.datetime.fromisoformat(event.data["next_reply_at"]) == clock.due_at


def test_demo_has_a_complaint_against_cs_planned_by_its_named_writer(demo):
    against_cs = _case("赵女士")
    assert (against_cs.stage, against_cs.plan_writer.employee_no, against_cs.against_employee.employee_no) == (
        "manager_approve", "CS003", "CS104")
    assert list(against_cs.events.values_list("action", "by__employee_no")) == [
        ("receive", "CS101"), ("uphold", "CS002"), ("assign_writer", "CS001"), ("submit_plan_to_manager", "CS003")]
