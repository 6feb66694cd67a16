"""Browser: a manager regenerates a month, watches the progress (htmx polling), downloads the file.
A real Celery worker (Redis broker) generates the workbook in the background."""

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import is_postgres, require_service
from tests.factories import EmployeeFactory
from tests.real_worker import real_worker

pytestmark = [pytest.mark.e2e, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _redis_up():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_manager_regenerates_watches_progress_and_downloads(page, login, tmp_path, settings):
    require_service(_redis_up(), "needs Redis for a real Celery worker (set REDIS_URL)")
    require_service(is_postgres(), "needs PostgreSQL: the worker thread and the live server share the database")
    from csmgmt.celery import app
    from tickets.models import Call

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    manager = EmployeeFactory(user__username="manager", name="王建国", roles=["manager"])
    tz = ZoneInfo("Asia/Shanghai")
    Call.objects.bulk_create([
        Call(number=f"LD-20261015-{i:04d}", received_at=dt.datetime(2026, 10, 15, 9, tzinfo=tz) + dt.timedelta(minutes=i),
             agent=manager, owner=manager, summary=f"咨询 {i}", caller_phone="13800138000")
        for i in range(1, 3001)
    ])

    login("manager")
    page.goto(page.base_url + "/reports/")
    assert "No workbook yet" in page.locator("#reports-table").inner_text()
    page.fill("#id_month", "2026-10")
    page.select_option("#id_language", "en")
    with real_worker(app, shutdown_timeout=30):
        page.click("#generate-button")
        row = page.locator("#reports-table tbody tr").first
        # Right after the request the row shows its progress (a percentage, polled by htmx)... unless the
        # worker already finished it before the page came back (a fast machine): then it is done. Either is
        # right; "Waiting" or "Running" need not be seen.
        progress_or_done = row.locator(".progress-bar, .report-download").first
        expect(progress_or_done).to_be_visible(timeout=30_000)
        kind, text = progress_or_done.evaluate("el => [el.className, el.textContent]")  # one snapshot
        if "progress-bar" in kind:
            assert re.fullmatch(r"\d{1,3}%", text.strip()), text
        expect(row.locator(".report-status")).to_have_text("Done", timeout=60_000)
        page.screenshot(path="/tmp/e2e-reports.png", full_page=True)
        with page.expect_download() as download_info:
            row.locator(".report-download").click()
    download = download_info.value
    assert download.suggested_filename == "csmgmt-2026-10-en.xlsx"
    path = tmp_path / "dl.xlsx"
    download.save_as(path)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames[:2] == ["Summary", "Calls"]
    assert sum(1 for _ in wb["Calls"].iter_rows()) == 3001
