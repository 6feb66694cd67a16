"""Uploads are judged by their content and size; downloads never render as a page; phone and ID numbers
never reach the logs (the app's JSON logs and gunicorn's access log)."""

import datetime
import uuid
import io
import logging
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from csmgmt.core.logging import JsonFormatter, RequestIdFilter
from tests.security.probe import client_as, row_counts
from tests.security.world import KWARGS, png_bytes

HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

# (URL name, a role that may download it)
DOWNLOADS = [
    ("complaints:evidence", "agent"),
    ("staff:attendance_leave_certificate", "supervisor"),
    ("staff:scoring_evidence", "supervisor"),
    ("lostfound:photo", "agent"),
    ("lostfound:claim_signature", "agent"),
    ("reports:download", "manager"),
    ("reports:team", "supervisor"),
    ("tickets:export", "agent"),
    ("complaints:statistics_xlsx", "supervisor"),
]


@pytest.mark.parametrize(("name", "role"), DOWNLOADS)
def test_every_download_is_an_attachment_or_an_image_and_never_sniffed(name, role, world, db):
    client = client_as(world.users[role])
    fn = KWARGS.get(name)
    response = client.get(reverse(name, kwargs=fn(world) if fn else None))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response.get("Content-Disposition", "")
    assert disposition.startswith("attachment") or response["Content-Type"] in IMAGE_TYPES, \
        (response["Content-Type"], disposition)
    assert not response["Content-Type"].startswith(("text/html", "image/svg"))


def test_a_certificate_stored_under_an_html_name_is_served_by_its_content(world, db):
    leave = world.objects["leave"]
    leave.certificate.save("certificate.html", ContentFile(png_bytes()), save=True)
    response = client_as(world.users["supervisor"]).get(reverse("staff:attendance_leave_certificate", args=[leave.pk]))
    assert response["Content-Type"] == "image/png"
    leave.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
                           save=True)
    response = client_as(world.users["supervisor"]).get(reverse("staff:attendance_leave_certificate", args=[leave.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def _checks():
    from complaints.services import ComplaintError
    from complaints.services import evidence_check as complaint_evidence_check
    from lostfound.images import image_check
    from staff.attendance.certificates import certificate_check
    from staff.attendance.workflow import AttendanceError
    from staff.scoring.services.manual_entries import evidence_check as scoring_evidence_check
    from staff.scoring.workflow import ScoringError

    return [
        ("complaint evidence", complaint_evidence_check, ComplaintError),
        ("leave certificate", certificate_check, AttendanceError),
        ("scoring evidence", scoring_evidence_check, ScoringError),
        ("found-item photo", image_check, ValidationError),
    ]


@pytest.mark.parametrize("index", range(4), ids=["complaint evidence", "leave certificate", "scoring evidence",
                                                 "found-item photo"])
def test_every_upload_is_judged_by_its_content_and_its_size(index, settings, db):
    _label, check, error = _checks()[index]
    with pytest.raises(error):  # HTML dressed up as a photo
        check(SimpleUploadedFile("photo.png", HTML, content_type="image/png"))
    check(SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png"))  # a real photo passes
    settings.MAX_UPLOAD_BYTES = 50
    with pytest.raises(error):  # a real photo over the limit
        check(SimpleUploadedFile("photo.png", png_bytes() + b"\0" * 100, content_type="image/png"))


def test_html_uploaded_as_complaint_evidence_is_refused_and_nothing_is_stored(world, db):
    complaint = world.objects["complaint"]
    client = client_as(world.users["agent"])
    before = row_counts()
    response = client.post(
        reverse("complaints:evidence_upload", args=[complaint.pk]),
        {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("x.png", HTML, content_type="image/png")}, follow=True)
    assert response.status_code == 200
    assert row_counts() == before
    with translation.override("zh-hans"):  # the demo employees read Chinese
        assert gettext("Only images, PDF and office documents can be attached.") in response.content.decode()


def test_html_uploaded_as_a_found_item_photo_is_refused_and_nothing_is_stored(world, db):
    item = world.objects["item"]
    client = client_as(world.users["custodian"])
    before = row_counts()
    response = client.post(
        reverse("lostfound:item_photo_add", args=[item.pk]),
        {"form_token": str(uuid.uuid4()), "photo": SimpleUploadedFile("x.jpg", HTML, content_type="image/jpeg"),
         "photos": SimpleUploadedFile("x.jpg", HTML, content_type="image/jpeg")}, follow=True)
    assert response.status_code in (200, 400)
    assert row_counts() == before


# --- logs ------------------------------------------------------------------------------------------

PHONE = "13812345678"
ID_NUMBER = "110101199003074578"


@pytest.fixture
def captured_logs():
    """Everything logged, at every level, written by the project's JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = logging.getLogger("django.db.backends")
    old_quiet = quiet.level
    quiet.setLevel(logging.DEBUG)  # the SQL carries the values too
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        quiet.setLevel(old_quiet)


def test_phone_and_id_numbers_in_requests_never_reach_the_logs(world, db, captured_logs, settings):
    settings.DEBUG = False
    agent = client_as(world.users["agent"])
    agent.get(reverse("tickets:history_panel") + f"?phone={PHONE}")
    agent.get(reverse("tickets:list") + f"?q={PHONE}")
    agent.post(reverse("tickets:intake"), {"caller_phone": PHONE, "caller_name": "张三", "content": f"回电 {PHONE}"})
    agent.get(f"/calls/customers/{PHONE}/")  # a 404, logged with its path
    agent.post(reverse("lostfound:claim_new", args=[world.objects["item"].pk]),
               {"claimant_name": "李四", "claimant_phone": PHONE, "id_type": "resident", "id_number": ID_NUMBER,
                "description_given": "黑色钱包"})
    agent.get(f"/lostfound/items/{ID_NUMBER}/")  # a 404, logged with its path
    logging.getLogger("csmgmt.test").warning("caller %s with ID %s", PHONE, ID_NUMBER)
    text = captured_logs.getvalue()
    assert "Not Found" in text and '"request_id": "' in text
    assert PHONE not in text
    assert ID_NUMBER not in text
    assert "138****5678" in text
    assert "110101********4578" in text


def test_the_gunicorn_access_log_masks_phone_numbers_in_the_query():
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))
    from gunicorn.config import Config

    logger = config["logger_class"](Config())

    class Resp:
        status = "200 OK"
        sent = 10
        headers = [("X-Request-ID", "abc123")]

    class Req:
        headers = []

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/calls/new/history/?phone={PHONE}", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/calls/new/history/", "QUERY_STRING": f"phone={PHONE}", "REMOTE_ADDR": "10.0.0.1"}
    atoms = logger.atoms(Resp(), Req(), environ, datetime.timedelta(milliseconds=12))
    line = config["access_log_format"] % atoms
    assert PHONE not in line
    assert "138****5678" in line and "rid=abc123" in line
