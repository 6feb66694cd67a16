"""A generation whose worker died must not block its month for good: a waiting or running row with no
progress for REPORT_STALE_MINUTES is marked interrupted by the next request, which starts afresh."""

import datetime as dt

import pytest
from django.utils import timezone

from csmgmt.core.models import Notification
from csmgmt.core.sheets import Period
from csmgmt.models import MonthlyReport
from csmgmt.report_services import report_generate, report_request
from tests.csmgmt import report_probe

OCT = Period(2026, 10)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"


@pytest.fixture
def probe(settings):
    settings.REPORT_MODULES = ["tests.csmgmt.report_probe"]
    report_probe.seen.clear()
    report_probe.interrupt["on_count"] = False
    yield report_probe
    report_probe.interrupt["on_count"] = False


def stuck(status="running", minutes=16, month=OCT.first_day, **fields):
    """A generation whose last progress was ``minutes`` ago (its worker died at 40 %)."""
    report = MonthlyReport.objects.create(month=month, language="en", status=status, progress=40,
                                          stage="Calls", started_at=timezone.now() - dt.timedelta(hours=1), **fields)
    MonthlyReport.objects.filter(pk=report.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=minutes))
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("status", ["running", "pending"])
def test_a_generation_without_progress_for_the_stale_time_is_interrupted_and_a_new_one_starts(
        status, probe, media, settings, make_employee, django_capture_on_commit_callbacks):
    settings.REPORT_STALE_MINUTES = 15
    manager = make_employee("manager", language="en")
    old = stuck(status=status, minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        new, created = report_request(period=OCT, language="en", by=manager)
    assert created and new.pk != old.pk
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, old.error, old.progress, old.file.name) == ("failed", "interrupted", 40, "")
    assert old.finished_at is not None and old.was_interrupted
    assert (new.status, new.progress) == ("done", 100)
    assert new.file.name and new.size > 0


def test_a_generation_that_still_makes_progress_keeps_its_month(probe, settings, db):
    settings.REPORT_STALE_MINUTES = 15
    busy = stuck(minutes=14)
    again, created = report_request(period=OCT, language="en")
    assert (created, again.pk) == (False, busy.pk)
    busy.refresh_from_db()
    assert (busy.status, busy.error, busy.progress, MonthlyReport.objects.count()) == ("running", "", 40, 1)


def test_the_stale_time_is_a_setting(probe, settings, db):
    settings.REPORT_STALE_MINUTES = 60
    busy = stuck(minutes=16)
    assert report_request(period=OCT, language="en") == (busy, False)
    assert MonthlyReport.objects.get().status == "running"


def test_each_progress_update_touches_the_rows_heartbeat(probe, media, db):
    report = MonthlyReport.objects.create(month=OCT.first_day, language="en")
    MonthlyReport.objects.filter(pk=report.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    report_generate(report_id=report.pk)
    [(progress, stage, updated_at, started_at)] = probe.seen  # as seen from inside the sheet
    assert (progress, stage) == (25, "Probe")  # Summary counts 1 part of 4, the probe sheet 3 (none written yet)
    assert updated_at > started_at
    report.refresh_from_db()
    assert report.status == "done" and report.updated_at >= report.finished_at


def test_a_generation_marked_interrupted_meanwhile_stops_and_keeps_nothing(probe, media, make_employee):
    manager = make_employee("manager")
    current = MonthlyReport.objects.create(month=OCT.first_day, language="en", status="done", progress=100,
                                           file="reports/2026-10/old.xlsx", size=10)
    report = MonthlyReport.objects.create(month=OCT.first_day, language="en", requested_by=manager)
    probe.interrupt["on_count"] = True
    result = report_generate(report_id=report.pk)
    assert (result.pk, result.status, result.error, result.file.name) == (report.pk, "failed", "interrupted", "")
    current.refresh_from_db()
    assert current.status == "done"  # not superseded by the interrupted run
    assert not media.exists() or not any(media.rglob("*.xlsx"))
    assert Notification.objects.count() == 0


def test_the_row_says_when_a_generation_looks_lost_and_when_it_was_interrupted(client_for, settings, db):
    settings.REPORT_STALE_MINUTES = 15
    manager = client_for("manager", language="en")
    lost = stuck(minutes=20)
    html = manager.get(f"/reports/{lost.pk}/row/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No progress since" in html and "40%" in html
    fresh = stuck(minutes=1, status="pending", month=dt.date(2026, 9, 1))
    assert "No progress since" not in manager.get(f"/reports/{fresh.pk}/row/").content.decode()
    MonthlyReport.objects.filter(pk=lost.pk).update(status="failed", error="interrupted")
    html = manager.get(f"/reports/{lost.pk}/row/").content.decode()
    assert "Interrupted: it made no progress for too long" in html and "hx-trigger" not in html


def test_the_admin_shows_workbooks_and_imports_read_only(client_for, make_employee, db):
    from csmgmt.core.models import ImportJob

    admin = client_for("admin")
    report = stuck(minutes=30)
    job = ImportJob.objects.create(kind="punches", original_name="punches.xlsx", file="imports/x.xlsx",
                                   requested_by=make_employee("supervisor"))
    for model, obj in (("monthlyreport", report), ("importjob", job)):
        assert admin.get(f"/admin/csmgmt/{model}/").status_code == 200
        detail = admin.get(f"/admin/csmgmt/{model}/{obj.pk}/change/")
        assert detail.status_code == 200
        html = detail.content.decode()
        assert 'name="_save"' not in html and "/media/" not in html
        assert admin.get(f"/admin/csmgmt/{model}/add/").status_code == 403
        assert admin.post(f"/admin/csmgmt/{model}/{obj.pk}/change/", {"status": "done"}).status_code == 403
        assert admin.post(f"/admin/csmgmt/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    job.refresh_from_db()
    assert (report.status, job.status, MonthlyReport.objects.count(), ImportJob.objects.count()) == (
        "running", "pending", 1, 1)
    assert client_for("manager").get("/admin/csmgmt/monthlyreport/").status_code == 302
