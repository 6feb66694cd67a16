"""Issue 16, points 4, 5, 6 and 8: heavy spreadsheets, polyglot uploads, formula text in exports, kept
history and visible failures — each through the web layer."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


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
