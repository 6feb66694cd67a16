"""Downloads while a month is regenerated: the old file stays downloadable until the new one is done;
afterwards the old row's link (an open page, an older notice) leads to the current file."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from csmgmt.core.models import Notification
from csmgmt.models import MonthlyReport
from csmgmt.report_services import report_generate

OCT = dt.date(2026, 10, 1)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"


def done(content=b"PK old workbook", month=OCT, language="en"):
    name = default_storage.save(f"reports/{month:%Y-%m}/old-{language}.xlsx", ContentFile(content))
    return MonthlyReport.objects.create(month=month, language=language, status="done", progress=100, file=name,
                                        size=len(content), finished_at=dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC))


def body(response):
    return b"".join(response.streaming_content)


def test_the_old_file_stays_downloadable_while_the_month_is_regenerated(media, client_for):
    manager = client_for("manager", language="en")
    old = done()
    running = MonthlyReport.objects.create(month=OCT, language="en", status="running", progress=40, stage="Calls",
                                           requested_by=manager.employee)
    response = manager.get("/reports/")
    assert [r.pk for r in response.context["reports"]] == [running.pk, old.pk]
    html = response.content.decode()
    old_row = html[html.index(f'id="report-{old.pk}"'):]
    old_row = old_row[:old_row.index("</tr>")]
    running_row = html[html.index(f'id="report-{running.pk}"'):]
    running_row = running_row[:running_row.index("</tr>")]
    assert f'href="/reports/{old.pk}/download/"' in old_row and "hx-get" not in old_row
    assert "40%" in running_row and 'hx-trigger="every 1s"' in running_row and "download" not in running_row
    download = manager.get(f"/reports/{old.pk}/download/")
    assert download.status_code == 200 and body(download) == b"PK old workbook"
    assert download["Content-Disposition"] == 'attachment; filename="csmgmt-2026-10-en.xlsx"'
    assert manager.get(f"/reports/{running.pk}/download/").status_code == 404


def test_the_reports_page_costs_the_same_queries_whatever_the_number_of_rows(media, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = client_for("manager")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get("/reports/").status_code == 200
        return len(ctx.captured_queries)

    done()
    before = queries()
    for month in range(1, 10):
        MonthlyReport.objects.create(month=dt.date(2026, month, 1), language="en", status="failed", error="x",
                                     requested_by=manager.employee)
    assert queries() == before


def test_a_superseded_rows_download_leads_to_the_current_file_of_its_month_and_language(
        media, client_for, settings, django_capture_on_commit_callbacks):
    settings.REPORT_MODULES = ["tests.csmgmt.report_probe"]
    manager = client_for("manager", language="en")
    old = done()
    other_language = done(b"PK chinese", language="zh-hans")
    new = MonthlyReport.objects.create(month=OCT, language="en", requested_by=manager.employee)
    with django_capture_on_commit_callbacks(execute=True):
        report_generate(report_id=new.pk)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == ("superseded", "done")
    assert not default_storage.exists(old.file.name)  # the old file is gone once the new one is done
    response = manager.get(f"/reports/{old.pk}/download/")  # the Download button of a page opened before
    assert (response.status_code, response["Location"]) == (302, f"/reports/{new.pk}/download/")
    download = manager.get(response["Location"])
    assert download.status_code == 200
    with default_storage.open(new.file.name, "rb") as fh:
        assert body(download) == fh.read()
    # the other language's file is untouched
    assert manager.get(f"/reports/{other_language.pk}/download/").status_code == 200
    # a notice sent for the old file leads there too
    [notice] = Notification.objects.filter(recipient=manager.employee).values_list("link", flat=True)
    assert notice == f"/reports/{new.pk}/download/"


def test_a_superseded_row_without_a_current_file_and_a_failed_row_are_not_found(media, client_for):
    manager = client_for("manager")
    orphan = MonthlyReport.objects.create(month=OCT, language="en", status="superseded", file="reports/gone.xlsx")
    failed = MonthlyReport.objects.create(month=OCT, language="en", status="failed", error="x")
    assert manager.get(f"/reports/{orphan.pk}/download/").status_code == 404
    assert manager.get(f"/reports/{failed.pk}/download/").status_code == 404


def test_the_redirect_is_for_managers_only(media, client_for):
    old = MonthlyReport.objects.create(month=OCT, language="en", status="superseded")
    done()
    for role in ("agent", "supervisor", "admin"):
        assert client_for(role).get(f"/reports/{old.pk}/download/").status_code == 403
