"""Big imports run in the background: the file is stored, a worker imports it (all or nothing), the
job page shows the summary or every bad row, and the requester gets a notice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csmgmt.core.imports import import_job_run
from csmgmt.core.models import ImportJob, Notification
from tickets.models import Call

HEADER = "received_at,caller_phone,caller_name,category,summary,agent_no\n"


@pytest.fixture
def big(settings, tmp_path):
    settings.IMPORT_BACKGROUND_BYTES = 0  # every file counts as big
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


def upload(text):
    return SimpleUploadedFile("register.csv", text.encode(), content_type="text/csv")


def test_a_big_call_register_is_imported_in_the_background(big, client_for, make_employee,
                                                           django_capture_on_commit_callbacks):
    make_employee("agent", employee_no="CS101")
    manager = client_for("manager", language="en")  # the worker writes in the requester's language
    body = HEADER + "2026-11-01 09:30,138 0013 8000,陈建华,咨询,咨询积分,CS101\n" \
                    "2026-11-01 10:00,13900001111,王芳,报修,热水器漏水,CS101\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(reverse("tickets:import"), {"file": upload(body)}, HTTP_ACCEPT_LANGUAGE="en")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert (job.status, job.summary, job.errors) == ("done", "Imported 2 calls.", [])
    assert sorted(Call.objects.values_list("caller_phone", flat=True)) == ["13800138000", "13900001111"]
    page = manager.get(reverse("imports:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Imported 2 calls." in page and "hx-trigger" not in page
    notice = Notification.objects.get(recipient=manager.employee, key=f"import-finished-{job.pk}")
    assert notice.link == reverse("imports:detail", args=[job.pk])


def test_a_big_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(big, client_for, make_employee,
                                                                         django_capture_on_commit_callbacks):
    make_employee("agent", employee_no="CS101")
    manager = client_for("manager")
    body = HEADER + "2026-11-01 09:30,13800138000,甲,咨询,好的一行,CS101\n" \
                    "2026-11-01 09:30,12,丙,咨询,号码不对,CS101\n" \
                    "2026-11-01 09:30,13800138000,丁,闲聊,类别不对,CS101\n"
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("tickets:import"), {"file": upload(body)})
    job = ImportJob.objects.get()
    assert job.status == "rejected"
    assert [row for row, _m in job.errors] == [3, 4]
    assert Call.objects.count() == 0
    page = manager.get(reverse("imports:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="import-errors"' in page and page.count("<li>Row ") == 2


def test_a_waiting_job_is_polled_and_running_it_twice_imports_once(big, client_for, make_employee):
    make_employee("agent", employee_no="CS101")
    manager = client_for("manager")
    manager.post(reverse("tickets:import"), {"file": upload(HEADER + "2026-11-01 09:30,13800138000,甲,咨询,一行,CS101\n")})
    job = ImportJob.objects.get()  # inside the test's transaction the queued task never starts
    assert 'hx-trigger="every 1s"' in manager.get(reverse("imports:status", args=[job.pk])).content.decode()
    import_job_run(job_id=job.pk)
    import_job_run(job_id=job.pk)
    assert Call.objects.count() == 1
    assert Notification.objects.filter(key=f"import-finished-{job.pk}").count() == 1


@pytest.mark.parametrize("role", ["agent", "supervisor", "handler", "custodian"])
def test_only_those_who_may_import_see_the_job(big, client_for, make_employee, role):
    manager = client_for("manager")
    manager.post(reverse("tickets:import"), {"file": upload(HEADER)})
    job = ImportJob.objects.get()
    other = client_for(role)
    assert other.get(reverse("imports:detail", args=[job.pk])).status_code == 403
    assert other.get(reverse("imports:status", args=[job.pk])).status_code == 403
    assert other.post(reverse("tickets:import"), {"file": upload(HEADER)}).status_code == 403
    assert ImportJob.objects.count() == 1


def test_a_big_time_clock_export_is_imported_in_the_background(big, client_for, make_employee,
                                                               django_capture_on_commit_callbacks):
    from staff.models import Punch

    supervisor = client_for("supervisor")
    agent = make_employee("agent", employee_no="T100", supervisor=supervisor.employee)
    body = "employee_no,timestamp\nT100,2026-11-02 07:58:00\nT100,2026-11-02 17:03:00\nT100,2026-11-02 17:03:00\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor.post(reverse("staff:attendance_punch_upload"), {"file": upload(body)},
                                   HTTP_ACCEPT_LANGUAGE="en")
    job = ImportJob.objects.get(kind="punches")
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == "done"
    assert Punch.objects.filter(employee=agent).count() == 2
