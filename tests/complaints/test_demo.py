from complaints.models import Complaint, ComplaintEvent


def test_demo_complaints_load_twice_without_duplicates(db, django_capture_on_commit_callbacks):
    from complaints import demo
    from staff import demo as staff_demo

    staff_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    first = (Complaint.objects.count(), ComplaintEvent.objects.count())
    demo.load()
    assert (Complaint.objects.count(), ComplaintEvent.objects.count()) == first
    stages = set(Complaint.objects.values_list("stage", flat=True))
    assert {"closed", "approve", "manager_approve", "assign", "revisit", "analyse", "plan"} <= stages
