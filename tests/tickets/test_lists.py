"""The call list: filters, search, pagination without COUNT(*), fixed query counts, Excel export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CallFactory, DepartmentFactory
from tickets.models import Call
from tickets.selectors import calls_for_statistics

URL = reverse("tickets:list")


def numbers(response):
    return [c.number for c in response.context["page"]["rows"]]


@pytest.fixture
def calls(make_employee):
    now = timezone.now()
    a1, a2 = make_employee("agent"), make_employee("agent")
    eng = DepartmentFactory(name="工程部", code="ENG")
    rows = {
        "old_enquiry": CallFactory(agent=a1, received_at=now - dt.timedelta(days=10), category="enquiry",
                                   caller_phone="13800138000", caller_name="陈建华", summary="咨询会员积分"),
        "repair": CallFactory(agent=a2, received_at=now - dt.timedelta(days=2), category="repair",
                              channel="phone", outcome="transferred", department=eng, status="open",
                              reply_due_at=now + dt.timedelta(hours=1), summary="热水器不出热水"),
        "email_overdue": CallFactory(agent=a1, received_at=now - dt.timedelta(days=1), channel="email",
                                     outcome="reply_promised", status="open",
                                     reply_due_at=now - dt.timedelta(hours=1), summary="发票补开"),
        "voided": CallFactory(agent=a2, received_at=now - dt.timedelta(hours=5), status="voided",
                              void_reason="误登记", summary="测试"),
    }
    rows["a1"], rows["a2"], rows["eng"] = a1, a2, eng
    return rows


def test_newest_first(client_for, calls):
    c = client_for("agent")
    assert numbers(c.get(URL)) == [calls[k].number for k in ("voided", "email_overdue", "repair", "old_enquiry")]


@pytest.mark.parametrize(("params", "expected"), [
    ({"category": "repair"}, ["repair"]),
    ({"channel": "email"}, ["email_overdue"]),
    ({"outcome": "transferred"}, ["repair"]),
    ({"state": "open"}, ["email_overdue", "repair"]),
    ({"state": "overdue"}, ["email_overdue"]),
    ({"state": "voided"}, ["voided"]),
    ({"state": "closed"}, ["old_enquiry"]),
    ({"q": "138 0013 8000"}, ["old_enquiry"]),
    ({"q": "+86 13800138000"}, ["old_enquiry"]),
    ({"q": "1380013"}, ["old_enquiry"]),
    ({"q": "陈建"}, ["old_enquiry"]),
    ({"q": "热水器"}, ["repair"]),
    ({"q": "会员 积分"}, ["old_enquiry"]),
    ({"q": "不存在的词"}, []),
])
def test_filters_and_search(client_for, calls, params, expected):
    c = client_for("agent")
    assert numbers(c.get(URL, params)) == [calls[k].number for k in expected]


def test_filter_by_agent_department_and_dates(client_for, calls):
    c = client_for("agent")
    assert numbers(c.get(URL, {"agent": calls["a2"].pk})) == [calls["voided"].number, calls["repair"].number]
    assert numbers(c.get(URL, {"department": calls["eng"].pk})) == [calls["repair"].number]


def test_filter_by_date_range_in_local_days(client_for, make_employee):
    tz = timezone.get_current_timezone()
    agent = make_employee("agent")
    inside = CallFactory(agent=agent, received_at=dt.datetime(2026, 11, 2, 0, 5, tzinfo=tz))
    last_minute = CallFactory(agent=agent, received_at=dt.datetime(2026, 11, 3, 23, 59, tzinfo=tz))
    CallFactory(agent=agent, received_at=dt.datetime(2026, 11, 1, 23, 59, tzinfo=tz))
    CallFactory(agent=agent, received_at=dt.datetime(2026, 11, 4, 0, 0, tzinfo=tz))
    c = client_for("agent")
    assert numbers(c.get(URL, {"date_from": "2026-11-02", "date_to": "2026-11-03"})) == [last_minute.number,
                                                                                         inside.number]


def test_dates_in_the_wrong_order_give_a_message_not_a_500(client_for, calls):
    c = client_for("agent")
    response = c.get(URL, {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_voided_calls_are_listed_marked_but_out_of_statistics(client_for, calls):
    c = client_for("agent")
    html = c.get(URL).content.decode()
    assert "text-decoration-line-through" in html
    assert calls["voided"].pk not in calls_for_statistics().values_list("pk", flat=True)
    assert calls_for_statistics().count() == 3


def test_pages_fetch_one_row_more_and_never_count(client_for, make_employee, django_assert_num_queries):
    agent = make_employee("agent")
    now = timezone.now()
    for i in range(30):
        CallFactory(agent=agent, received_at=now - dt.timedelta(minutes=i))
    c = client_for("agent")
    first = c.get(URL)
    assert len(first.context["page"]["rows"]) == 25 and first.context["page"]["has_next"]
    second = c.get(URL, {"page": 2})
    assert len(second.context["page"]["rows"]) == 5 and not second.context["page"]["has_next"]
    assert second.context["page"]["has_previous"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        c.get(URL, {"page": 2})
    assert not any("COUNT(" in q["sql"].upper() and "tickets_call" in q["sql"] for q in ctx.captured_queries)


def test_a_page_number_that_is_not_a_number_shows_page_one(client_for, calls):
    assert client_for("agent").get(URL, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_list_page_runs_a_fixed_number_of_queries(client_for, make_employee, django_assert_num_queries, n):
    eng = DepartmentFactory(name="工程部", code="ENG")
    for i in range(n):
        CallFactory(agent=make_employee("agent"), outcome="transferred", department=eng, status="open",
                    reply_due_at=timezone.now())
    c = client_for("agent")
    c.get(URL)
    # session, user, employee, roles; unread notices; the calls page; the agent and department choices
    with django_assert_num_queries(11):
        response = c.get(URL)
    assert len(response.context["page"]["rows"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_filtered_list_runs_a_fixed_number_of_queries(client_for, make_employee, django_assert_num_queries, n):
    agent = make_employee("agent")
    for i in range(n):
        CallFactory(agent=agent, category="repair")
    c = client_for("agent")
    params = {"category": "repair", "agent": agent.pk, "q": "咨询"}
    c.get(URL, params)
    with django_assert_num_queries(12):  # + validating the chosen agent
        response = c.get(URL, params)
    assert len(response.context["page"]["rows"]) == n


def test_call_detail_runs_a_fixed_number_of_queries(client_for, make_employee, django_assert_num_queries):
    from tickets import services

    c = client_for("supervisor")
    counts = []
    for n in (1, 20):
        call = CallFactory(outcome="reply_promised", status="open", reply_due_at=timezone.now())
        for i in range(n):
            services.call_add_note(call=call, by=c.employee, text=f"跟进{i}")
        url = reverse("tickets:detail", args=[call.pk])
        c.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            c.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_export_writes_the_filtered_list_as_text_never_formulas(client_for, make_employee):
    agent = make_employee("agent")
    CallFactory(agent=agent, summary="=HYPERLINK(\"http://evil\",\"点我\")", caller_name="+cmd", category="repair",
                details="@SUM(A1)")
    CallFactory(agent=agent, summary="-2+3", category="repair")
    CallFactory(agent=agent, summary="不在筛选里", category="enquiry")
    c = client_for("agent")
    response = c.get(reverse("tickets:export"), {"category": "repair"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 2
    summaries = {r[8].value for r in rows}
    assert summaries == {"'=HYPERLINK(\"http://evil\",\"点我\")", "'-2+3"}
    assert all(cell.data_type != "f" for r in rows for cell in r)
    assert Call.objects.count() == 3


def test_export_runs_a_fixed_number_of_queries(client_for, make_employee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    eng = DepartmentFactory(name="工程部", code="ENG")
    c = client_for("agent")
    counts = []
    for n in (1, 20):
        for _ in range(n):
            CallFactory(agent=make_employee("agent"), outcome="transferred", department=eng, status="open",
                        reply_due_at=timezone.now())
        c.get(reverse("tickets:export"))
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse("tickets:export"))
            b"".join(response.streaming_content)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_handlers_export_holds_only_the_calls_of_their_department(client_for, calls):
    qa = DepartmentFactory(name="质量管理部", code="QA")
    theirs = CallFactory(agent=calls["a1"], outcome="transferred", department=qa, status="open",
                         reply_due_at=timezone.now() + dt.timedelta(hours=2), summary="内胆掉漆")
    c = client_for("handler", department=calls["eng"])
    for params in ({}, {"q": "内胆"}, {"department": qa.pk}, {"category": "enquiry"}):
        response = c.get(reverse("tickets:export"), params)
        assert response.status_code == 200
        ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        exported = [r[0].value for r in ws.iter_rows(min_row=2)]
        expected = [calls["repair"].number] if params == {} else []
        assert exported == expected, params
    other = client_for("handler", department=qa).get(reverse("tickets:export"))
    ws = load_workbook(io.BytesIO(b"".join(other.streaming_content))).active
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == [theirs.number]
