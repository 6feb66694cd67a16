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
