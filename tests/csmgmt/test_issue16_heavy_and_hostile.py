"""Issue 16, points 4, 5, 6 and 8: heavy spreadsheets, polyglot uploads, formula text in exports, kept
history and visible failures — each through the web layer."""

import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def token() -> dict:
    """A fresh one-time token: every creating form carries one (issue 16.3)."""
    return {"form_token": str(uuid.uuid4())}


# --- 6. formula text in exports ----------------------------------------------------------------------------


def test_export_gives_formula_like_text_a_leading_quote_and_keeps_dates_typed(client_for, make_employee):
    agent = make_employee("agent")
    when = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    CallFactory(agent=agent, received_at=when, summary="\t=1+1", caller_name="\r@SUM(A1)", category="repair",
                details="-3", organisation="普通单位")

    response = client_for("agent").get(reverse("tickets:export"), {"category": "repair"})

    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = next(ws.iter_rows(min_row=2, max_row=2))
    assert row[8].value == "'\t=1+1"  # the summary: a leading ' before the TAB
    assert row[5].value == "'\r@SUM(A1)" or row[5].value == "'\n@SUM(A1)"  # XML may normalise CR
    assert row[9].value == "'-3"  # text that looks like a negative number is text with a quote
    assert row[6].value == "普通单位"  # ordinary text unchanged
    assert row[1].value == dt.datetime(2026, 11, 3, 9, 30)  # a date stays a typed date
    assert row[1].data_type == "d" or row[1].is_date
    assert all(cell.data_type != "f" for cell in row)


# --- 8. kept history, logged failures, an honest /healthz ---------------------------------------------------


def test_a_retention_set_back_to_the_default_keeps_its_row_and_history(client_for):
    from lostfound.models import CategoryRetention
    from lostfound.selectors import retention_days

    c = client_for("custodian")
    data = {"custody_time": "20:30", "default_retention_days": "45", "match_window_days": "10",
            "retention_cash": "60"}
    assert c.post(reverse("lostfound:settings"), data).status_code == 302
    assert retention_days()["cash"] == 60

    data.pop("retention_cash")  # back to the default
    response = c.post(reverse("lostfound:settings"), data)

    assert response.status_code == 302
    row = CategoryRetention.objects.get(category="cash")  # kept, not deleted
    assert row.retention_days is None
    assert [h.retention_days for h in row.history.order_by("history_id")] == [60, None]
    assert not CategoryRetention.history.filter(history_type="-").exists()
    assert retention_days()["cash"] == 45  # the default applies
    page = c.get(reverse("lostfound:settings"))
    assert page.context["form"].initial.get("retention_cash") is None


def test_bookkeeping_hook_failures_are_logged_not_swallowed(caplog):
    from csmgmt import signals
    from csmgmt.models import JobRun

    class Sender:  # a task whose name does not fit the bookkeeping column: the insert really fails
        name = "csmgmt.tasks." + "x" * 300

    with caplog.at_level("ERROR", logger="csmgmt.signals"):
        signals._started(sender=Sender())
    records = [r for r in caplog.records if r.name == "csmgmt.signals"]
    assert len(records) == 1
    assert records[0].exc_info is not None and "DataError" in type(records[0].exc_info[1]).__name__
    assert "csmgmt.tasks.xxx" in records[0].getMessage()
    assert not JobRun.objects.exists()


def test_healthz_says_starting_until_the_first_worker_heartbeat(client):
    from csmgmt.tasks import heartbeat

    before = client.get("/healthz")
    assert before.status_code == 200
    assert before.json()["status"] == "starting"
    heartbeat.delay()  # eager in tests: the real task
    after = client.get("/healthz")
    assert after.status_code == 200
    assert after.json()["status"] == "ok"


# --- 4. heavy spreadsheets ---------------------------------------------------------------------------------

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from csmgmt.core.models import ImportJob  # noqa: E402
from tests.heavy_files import heavy_xlsx  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Each import page: (URL name, who may use it, its columns, a row that would be good).
IMPORTERS = {
    "calls": ("tickets:import", "manager", ["received_at", "caller_phone", "category", "summary", "agent_no"],
              ["2026-11-01 09:30", "13800138000", "咨询", "咨询积分", "CS101"]),
    "punches": ("staff:attendance_punch_upload", "supervisor", ["employee_no", "timestamp"],
                ["CS101", "2026-11-02 07:58:00"]),
    "roster": ("staff:attendance_roster_upload", "supervisor", ["employee_no", "date", "shift_code"],
               ["CS101", "2026-11-02", "D"]),
    "employees": ("staff:import_employees", "admin", ["employee_no", "name", "department"],
                  ["CS900", "王芳", "客服部"]),
}


def written():
    """Everything an import could write."""
    from staff.models import Employee, Punch, RosterEntry
    from tickets.models import Call

    return Call.objects.count(), Punch.objects.count(), RosterEntry.objects.count(), Employee.objects.count()


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture(scope="module")
def heavy():
    """The probe's file: ~0.5 MB of .xlsx unpacking to 1.5 million rows (no stated size)."""
    return {kind: heavy_xlsx(columns, row, 1_500_000) for kind, (_u, _r, columns, row) in IMPORTERS.items()}


def test_the_limits_default_to_the_issues_numbers(settings):
    # Issue 16 point 4: calls 200,000 rows, other imports 20,000; 60 columns; 200 MB unpacked; 5,000 a cell.
    assert settings.IMPORT_MAX_ROWS_CALLS == 200_000
    assert settings.IMPORT_MAX_ROWS == 20_000
    assert settings.IMPORT_MAX_COLUMNS == 60
    assert settings.IMPORT_MAX_UNPACKED_BYTES == 200 * 1024 * 1024
    assert settings.IMPORT_MAX_CELL_CHARS == 5000


@pytest.mark.parametrize("kind", list(IMPORTERS))
def test_the_heavy_file_goes_to_the_background_and_is_refused_naming_the_limit(
        kind, heavy, media, client_for, make_employee, django_capture_on_commit_callbacks):
    url, role, _columns, _row = IMPORTERS[kind]
    make_employee("agent", employee_no="CS101")
    c = client_for(role, language="en")
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse(url), {"file": SimpleUploadedFile("heavy.xlsx", heavy[kind], XLSX)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    with zipfile.ZipFile(io.BytesIO(heavy[kind])) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
    limit = "200,000" if kind == "calls" else "20,000"
    if unpacked > 200 * 1024 * 1024:  # the call register's five columns make it unpack past 200 MB first
        message = "The workbook unpacks to more than 200 MB; split it into smaller files."
    else:
        message = f"The file has more than {limit} rows; split it into files of at most {limit} rows."
    assert (job.kind, job.status, job.errors) == (kind, "rejected", [[0, message]])
    assert job.rows_read == 0  # refused before openpyxl read a row
    assert written() == before
    page = c.get(reverse("imports:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<li>{message}</li>" in page


def test_a_small_upload_that_unpacks_big_is_never_read_in_the_web_request(
        media, client_for, django_capture_on_commit_callbacks, settings):
    url, role, columns, row = IMPORTERS["punches"]
    content = heavy_xlsx(columns, row, 60_000)  # a few tens of KB, several MB unpacked
    assert len(content) < settings.IMPORT_BACKGROUND_BYTES
    c = client_for(role, language="en")
    response = c.post(reverse(url), {"file": SimpleUploadedFile("small.xlsx", content, XLSX)})
    job = ImportJob.objects.get()  # queued (the task starts after commit, never inside this request)
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == "pending"


def test_a_streamed_csv_stops_at_the_row_limit_and_reports_its_progress(
        media, client_for, make_employee, django_capture_on_commit_callbacks, settings):
    url, role, columns, row = IMPORTERS["punches"]
    body = ",".join(columns) + "\n" + (",".join(row) + "\n") * 20_001 + (",".join(row) + "\n") * 30_000
    assert len(body) > settings.IMPORT_BACKGROUND_BYTES
    c = client_for(role, language="en")
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse(url), {"file": SimpleUploadedFile("punches.csv", body.encode(), "text/csv")})
    job = ImportJob.objects.get()
    assert job.status == "rejected"
    assert job.errors == [[0, "The file has more than 20,000 rows; split it into files of at most 20,000 rows."]]
    assert job.rows_read == 20_000  # read to the limit, not the 50,001 rows of the file
    assert written() == before


def test_too_many_columns_and_a_too_long_cell_are_refused_at_once_on_the_form(client_for):
    url, role, columns, row = IMPORTERS["employees"]
    c = client_for(role, language="en")
    before = written()
    wide = ",".join(columns + [f"extra{i}" for i in range(58)]) + "\n" + ",".join(row) + "\n"
    response = c.post(reverse(url), {"file": SimpleUploadedFile("wide.csv", wide.encode(), "text/csv")},
                      HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [str(e) for e in response.context["errors"]] == [
        "The file has more than 60 columns; split it or remove the extra columns."]
    long_cell = ",".join(columns) + "\n" + ",".join(row) + "\n" + "CS901," + "长" * 5001 + ",客服部\n"
    response = c.post(reverse(url), {"file": SimpleUploadedFile("long.csv", long_cell.encode(), "text/csv")},
                      HTTP_ACCEPT_LANGUAGE="en")
    assert [str(e) for e in response.context["errors"]] == ["Row 3 has a cell longer than 5,000 characters."]
    assert written() == before


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(
        media, client_for, django_capture_on_commit_callbacks, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024  # 1 MB here; 200 MB by default
    url, role, columns, row = IMPORTERS["roster"]
    content = heavy_xlsx(columns, row, 19_000)  # under the row limit, ~2 MB unpacked
    c = client_for(role, language="en")
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse(url), {"file": SimpleUploadedFile("r.xlsx", content, XLSX)})
    job = ImportJob.objects.get()  # a workbook unpacking big is never read in the web request
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.errors == [[0, "The workbook unpacks to more than 1 MB; split it into smaller files."]]
    assert job.rows_read == 0
    assert written() == before


def test_a_big_employee_file_is_imported_in_the_background_and_the_job_keeps_no_password(
        media, client_for, django_capture_on_commit_callbacks, settings):
    from staff.models import Department, Employee

    settings.IMPORT_BACKGROUND_BYTES = 0  # every file counts as big
    Department.objects.create(name="客服部", code="CS")
    c = client_for("admin", language="en")
    body = "employee_no,name,department,roles\nCS900,王芳,客服部,agent\nCS901,李雷,CS,agent\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("staff:import_employees"), {
            "file": SimpleUploadedFile("people.csv", body.encode(), "text/csv"), "initial_password": "s3cret-Pass9"})
    job = ImportJob.objects.get(kind="employees")
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert (job.status, job.summary) == ("done", "Imported: 2 employees created, 0 updated, 0 departments created.")
    assert Employee.objects.get(employee_no="CS901").user.check_password("s3cret-Pass9")
    assert "s3cret" not in str(job.options)
    assert job.requested_by == c.employee


def test_imports_run_on_their_own_queue_with_a_time_limit(settings):
    from csmgmt.celery import app
    from csmgmt.core.tasks import import_run
    from csmgmt.tasks import heartbeat, monthly_report_generate

    def queue(task):
        return app.amqp.router.route({}, task.name)["queue"].name

    assert queue(import_run) == "imports"
    assert queue(heartbeat) == queue(monthly_report_generate) == "celery"
    assert import_run.soft_time_limit == settings.IMPORT_TIME_LIMIT_SECONDS
    assert import_run.time_limit > import_run.soft_time_limit


# --- 5. polyglot uploads ----------------------------------------------------------------------------------


def gif_then_html() -> bytes:
    """A real 1x1 GIF followed by an HTML page: a polyglot that passes a magic-byte check."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 10, 10)).save(buf, format="GIF")
    return buf.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


GIF_HEADER_THEN_HTML = b"GIF89a" + b"<html><script>alert(1)</script></html>" * 4


def test_complaint_evidence_polyglot_is_shown_only_re_encoded_and_the_original_only_downloads(
        media, client_for, make_employee):
    from complaints.models import Complaint, Evidence
    from tests.factories import ComplaintFactory

    agent = client_for("agent", language="en")
    complaint = ComplaintFactory(agent=agent.employee)
    url = reverse("complaints:evidence_upload", args=[complaint.pk])

    # A GIF header followed by HTML is not an image at all: refused, nothing stored.
    response = agent.post(url, {**token(), "file": SimpleUploadedFile("x.gif", GIF_HEADER_THEN_HTML)}, follow=True)
    assert "The image cannot be read: it is damaged or not only an image." in response.content.decode()
    assert Evidence.objects.count() == 0

    # A real GIF with HTML after it: kept, but pages show only a re-encoded copy.
    agent.post(url, {**token(), "file": SimpleUploadedFile("x.gif", gif_then_html())})
    evidence = Evidence.objects.get()
    shown = agent.get(reverse("complaints:evidence_image", args=[complaint.pk, evidence.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    body = b"".join(shown.streaming_content)
    assert body.startswith(b"\x89PNG") and b"<script" not in body
    original = agent.get(reverse("complaints:evidence", args=[complaint.pk, evidence.pk]))
    assert original["Content-Disposition"].startswith("attachment;")
    assert b"<script" in b"".join(original.streaming_content)  # the original, kept as it came
    page = agent.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("complaints:evidence_image", args=[complaint.pk, evidence.pk]) in page
    assert Complaint.objects.count() == 1


def test_a_pdf_must_open_with_a_page_and_an_office_file_must_be_what_its_name_says(
        media, client_for):
    from complaints.models import Evidence
    from tests.csmgmt.test_uploads import docx_bytes
    from tests.factories import ComplaintFactory
    from tests.upload_files import one_page_pdf

    agent = client_for("agent", language="en")
    complaint = ComplaintFactory(agent=agent.employee)
    url = reverse("complaints:evidence_upload", args=[complaint.pk])
    for name, content, message in (
            ("scan.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF", "The PDF cannot be opened or has no pages."),
            ("report.xlsx", docx_bytes(), "The file is a .docx document but is named .xlsx.")):
        response = agent.post(url, {**token(), "file": SimpleUploadedFile(name, content)}, follow=True)
        assert message in response.content.decode(), name
    assert Evidence.objects.count() == 0
    response = agent.post(url, {**token(), "file": SimpleUploadedFile("scan.pdf", one_page_pdf())}, follow=True)
    assert "File “scan.pdf” attached." in response.content.decode()
    assert Evidence.objects.get().display.name == ""  # a PDF has no picture copy; it only downloads


def test_a_leave_certificate_photo_is_shown_re_encoded_never_as_uploaded(media, client_for, make_employee):
    from staff.models import LeaveRequest
    from tests.upload_files import one_page_pdf  # noqa: F401

    supervisor = make_employee("supervisor")
    agent = client_for("agent", language="en", supervisor=supervisor)
    start = timezone.localdate() + dt.timedelta(days=2)
    data = {"kind": "sick", "start_date": start.isoformat(), "end_date": start.isoformat(), "part": "full",
            "reason": "发烧"}
    refused = agent.post(reverse("staff:attendance_leave_new"),
                         {**data, **token(), "certificate": SimpleUploadedFile("c.gif", GIF_HEADER_THEN_HTML)})
    assert refused.status_code == 200
    assert "The image cannot be read: it is damaged or not only an image." in refused.content.decode()
    assert LeaveRequest.objects.count() == 0

    agent.post(reverse("staff:attendance_leave_new"), {**data, **token(), "certificate": SimpleUploadedFile("c.gif", gif_then_html())})
    leave = LeaveRequest.objects.get()
    response = agent.get(reverse("staff:attendance_leave_certificate", args=[leave.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and not response.get("Content-Disposition", "").startswith("attachment")
    assert b"<script" not in b"".join(response.streaming_content)
    assert b"<script" in leave.certificate.open("rb").read()  # the original kept privately


def test_scoring_evidence_photo_is_shown_re_encoded(media, client_for, make_employee):
    from staff.models import ManualCategory, ManualEntry
    from staff.scoring.presets import presets_install
    from staff.scoring.services.manual_entries import manual_entry_create

    presets_install()
    manager = make_employee("manager")
    agent = client_for("agent", language="en")
    entry = manual_entry_create(employee=agent.employee, category=ManualCategory.objects.get(code="conduct"),
                                date=timezone.localdate(), note="x", by=manager,
                                evidence=SimpleUploadedFile("e.gif", gif_then_html()))
    response = agent.get(reverse("staff:scoring_evidence", args=[entry.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"<script" not in b"".join(response.streaming_content)
    assert ManualEntry.objects.count() == 1
