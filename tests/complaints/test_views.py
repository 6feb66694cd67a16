"""Pages: who may open them, who is refused (and that nothing changed), and their query counts."""

import uuid
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.models import ClockKind, ClockLength, Complaint, ComplaintClock, ComplaintEvent, Evidence
from tests.factories import ComplaintCallFactory, ComplaintEventFactory, DepartmentFactory

from tests.upload_files import one_pixel_png  # noqa: E402

PNG = one_pixel_png()  # an image upload must decode (issue 16)
from tests.upload_files import one_page_pdf  # noqa: E402

PDF = one_page_pdf()  # a PDF must open in a PDF parser with a page (issue 16)


def client_as(client_for, people, role):
    return client_for(people[role])


# --- refusals: every view, a role that must be refused, nothing changed -----------------------------

REFUSED_GET = [
    ("complaints:all", (), "handler"),
    ("complaints:all", (), "custodian"),
    ("complaints:mine", (), "handler"),
    ("complaints:approvals", (), "agent"),
    ("complaints:department", (), "agent"),
    ("complaints:revisits", (), "handler"),
    ("complaints:overdue", (), "custodian"),
    ("complaints:create", (), "handler"),
    ("complaints:statistics", (), "agent"),
    ("complaints:settings", (), "supervisor"),
]


@pytest.mark.parametrize(("url_name", "args", "role"), REFUSED_GET, ids=[f"{u}-{r}" for u, _a, r in REFUSED_GET])
def test_a_page_refuses_a_role_without_its_ability(client_for, people, url_name, args, role):
    response = client_as(client_for, people, role).get(reverse(url_name, args=args))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["custodian", "admin"])
def test_the_complaint_pages_refuse_roles_outside_complaints(client_for, people, complaint_at, role):
    complaint = complaint_at("approve")
    c = client_as(client_for, people, role)
    for name in ("complaints:detail", "complaints:print"):
        assert c.get(reverse(name, args=[complaint.pk])).status_code == 403
    response = c.post(reverse("complaints:act", args=[complaint.pk]), {"action": "approve"})
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.stage == "approve" and ComplaintEvent.objects.count() == 0


def test_a_handler_sees_nothing_of_another_departments_complaint(client_for, people, complaint_at):
    other = DepartmentFactory(name="物流配送部", code="LOG")
    complaint = complaint_at("plan", responsible_department=other)
    evidence = Evidence.objects.create(complaint=complaint, file=SimpleUploadedFile("a.png", PNG), original_name="a.png",
                                       content_type="image/png", size=len(PNG), uploaded_by=people["agent"])
    c = client_for(people["handler"])
    for url in (reverse("complaints:detail", args=[complaint.pk]), reverse("complaints:print", args=[complaint.pk]),
                reverse("complaints:evidence", args=[complaint.pk, evidence.pk])):
        assert c.get(url).status_code == 404, url
    response = c.post(reverse("complaints:act", args=[complaint.pk]),
                      {"action": "progress", "progress-comment": "偷看"})
    assert response.status_code == 404
    response = c.post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                      {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("b.png", PNG)})
    assert response.status_code == 404
    assert ComplaintEvent.objects.count() == 0 and Evidence.objects.count() == 1
    listing = c.get(reverse("complaints:department"))
    assert complaint.number not in listing.content.decode()


def test_an_agent_cannot_approve_through_the_page(client_for, people, complaint_at):
    complaint = complaint_at("approve")
    response = client_for(people["agent"]).post(reverse("complaints:act", args=[complaint.pk]), {"action": "approve"})
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.stage == "approve" and ComplaintEvent.objects.count() == 0


def test_a_handler_cannot_register_a_complaint(client_for, people):
    response = client_for(people["handler"]).post(reverse("complaints:create"), {"complainant_name": "x", "content": "y"})
    assert response.status_code == 403
    assert Complaint.objects.count() == 0


def test_a_handler_cannot_open_a_complaint_from_a_call(client_for, people):
    call = ComplaintCallFactory(agent=people["agent"])
    response = client_for(people["handler"]).post(reverse("complaints:create_from_call", args=[call.pk]), {})
    assert response.status_code == 403
    call.refresh_from_db()
    assert Complaint.objects.count() == 0 and call.outcome == "reply_promised"


def test_a_supervisor_cannot_change_clock_lengths(client_for, people):
    response = client_for(people["supervisor"]).post(reverse("complaints:settings"), {"first_reply__ordinary": 5})
    assert response.status_code == 403
    assert ClockLength.objects.count() == 0


# --- creating -----------------------------------------------------------------------------------------------


def create_form(**extra):
    return {"form_token": str(uuid.uuid4()), "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "phone",
            "complainant_name": "林女士", "complainant_phone": "+86 138 1234 5678", "demand": "exchange",
            "content": "收到的杯子碎了两个。", **extra}


def test_opening_a_complaint_from_a_call_links_both_ways(client_for, people):
    call = ComplaintCallFactory(agent=people["agent"])
    c = client_for(people["agent"])
    page = c.get(reverse("complaints:create_from_call", args=[call.pk]))
    assert page.status_code == 200
    assert 'value="林女士"' in page.content.decode() and call.number in page.content.decode()
    response = c.post(reverse("complaints:create_from_call", args=[call.pk]), create_form())
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    call.refresh_from_db()
    assert (complaint.source_call_id, call.outcome) == (call.pk, "complaint")
    assert list(call.complaints.all()) == [complaint]
    assert complaint.complainant_phone == "13812345678"
    period = timezone.localtime(complaint.received_at).strftime("%Y%m")
    assert complaint.number == f"TS-{period}-0001"
    assert list(ComplaintEvent.objects.values_list("action", "to_stage")) == [("receive", "analyse")]
    assert sorted(ComplaintClock.objects.values_list("kind", flat=True)) == ["assign", "close", "close_ordinary",
                                                                            "first_reply"]


def test_registering_directly_numbers_complaints_in_sequence(client_for, people):
    c = client_for(people["agent"])
    c.post(reverse("complaints:create"), create_form())
    c.post(reverse("complaints:create"), create_form(complainant_name="王先生"))
    numbers = list(Complaint.objects.order_by("id").values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == ["0001", "0002"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("complainant_name", "", "This field is required."),
    ("content", "", "This field is required."),
    ("received_at", "2099-01-01T10:00", "The time received cannot be in the future."),
    ("received_at", "yesterday", "Enter a valid date/time."),
])
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client_for, people, field, value, message):
    response = client_for(people["agent"]).post(reverse("complaints:create"), create_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Complaint.objects.count() == 0


# --- acting through the page ----------------------------------------------------------------------------


def test_the_page_offers_only_the_moves_the_user_may_make(client_for, people, complaint_at):
    complaint = complaint_at("approve")
    sup = client_for(people["supervisor"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    agent = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'value="approve"' in sup and 'value="send_back"' in sup and 'value="withdraw"' in sup
    assert 'value="approve"' not in agent and 'value="send_back"' not in agent and 'value="withdraw"' in agent


def test_a_form_error_is_shown_with_the_input_kept(client_for, people, complaint_at):
    complaint = complaint_at("plan")
    response = client_for(people["handler"]).post(reverse("complaints:act", args=[complaint.pk]), {
        "action": "submit_plan", "plan-findings": "包装问题", "plan-promised_by": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body and "包装问题" in body
    complaint.refresh_from_db()
    assert complaint.stage == "plan" and ComplaintEvent.objects.count() == 0


def test_a_domain_error_is_a_message_not_an_error_page(client_for, people, complaint_at):
    complaint = complaint_at("approve")
    response = client_for(people["supervisor"]).post(reverse("complaints:act", args=[complaint.pk]),
                                                       {"action": "send_back", "decision-comment": ""})
    assert response.status_code == 200
    assert "Give the reason for sending the plan back." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.stage == "approve"


def test_approving_an_already_approved_plan_says_so(client_for, people, complaint_at):
    complaint = complaint_at("respond")
    response = client_for(people["supervisor"]).post(reverse("complaints:act", args=[complaint.pk]),
                                                       {"action": "approve"}, follow=True)
    assert response.status_code == 200
    assert f"Already approved: complaint {complaint.number} has moved on to" in response.content.decode()
    assert ComplaintEvent.objects.count() == 0


def test_the_revisit_button_reopens_when_the_customer_is_dissatisfied(client_for, people, complaint_at):
    complaint = complaint_at("revisit")
    client_for(people["agent"]).post(reverse("complaints:act", args=[complaint.pk]), {
        "action": "revisit", "revisit-satisfaction_attitude": "3", "revisit-satisfaction_result": "2"})
    complaint.refresh_from_db()
    assert complaint.stage == "plan"
    assert list(ComplaintEvent.objects.values_list("action", flat=True)) == ["reopen"]


def test_a_manager_saves_clock_lengths_with_history(client_for, people):
    c = client_for(people["manager"])
    from complaints.models import DEFAULT_HOURS

    data = {f"{k}__{s}": h for (k, s), h in DEFAULT_HOURS.items()}
    data["close__ordinary"] = 48
    response = c.post(reverse("complaints:settings"), data)
    assert response.status_code == 302
    assert list(ClockLength.objects.values_list("kind", "severity", "hours")) == [("close", "ordinary", 48)]
    assert ClockLength.history.get().history_user == people["manager"].user
    data["close__ordinary"] = 0
    response = c.post(reverse("complaints:settings"), data)
    assert response.status_code == 200 and "greater than or equal to 1" in response.content.decode()
    assert ClockLength.objects.get().hours == 48


# --- evidence -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "accepted"), [
    ("photo.png", PNG, True),
    ("scan.pdf", PDF, True),
    ("evil.png", b"<html><script>alert(1)</script></html>", False),
    ("notes.txt", b"just text", False),
    ("fake.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, False),
])
def test_evidence_is_checked_by_content(client_for, people, complaint_at, name, content, accepted, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path)}}}
    complaint = complaint_at("plan")
    response = client_for(people["agent"]).post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                                                 {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile(name, content)}, follow=True)
    assert response.status_code == 200
    assert Evidence.objects.count() == (1 if accepted else 0)
    if not accepted:
        assert "Only images, PDF and office documents can be attached." in response.content.decode()


def test_an_office_document_whose_first_entry_is_large_is_accepted_as_what_it_is(client_for, people, complaint_at,
                                                                                   settings, tmp_path):
    from tests.csmgmt.test_uploads import docx_bytes, xlsx_bytes

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path)}}}
    complaint = complaint_at("plan")
    client = client_for(people["agent"])
    for name, content in (("说明.docx", docx_bytes()), ("清单.xlsx", xlsx_bytes(big_first=True))):
        response = client.post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                               {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile(name, content)}, follow=True)
        assert f"File “{name}” attached." in response.content.decode()
    # An office file must be the format its name says (issue 16): a Word document named .png is refused.
    response = client.post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                           {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("renamed.png", docx_bytes())}, follow=True)
    assert "The file is a .docx document but is named .png." in response.content.decode()
    rows = list(Evidence.objects.order_by("pk").values_list("original_name", "content_type"))
    assert rows == [
        ("说明.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("清单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]
    first = Evidence.objects.order_by("pk").first()
    download = client.get(reverse("complaints:evidence", args=[complaint.pk, first.pk]))
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert b"".join(download.streaming_content)[:4] == b"PK\x03\x04"


def test_a_plain_zip_named_docx_is_refused_as_evidence(client_for, people, complaint_at, settings, tmp_path):
    from tests.csmgmt.test_uploads import zipped

    complaint = complaint_at("plan")
    response = client_for(people["agent"]).post(
        reverse("complaints:evidence_upload", args=[complaint.pk]),
        {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("report.docx", zipped([("notes.txt", "hello")]))},
        follow=True)
    assert "Only images, PDF and office documents can be attached." in response.content.decode()
    assert Evidence.objects.count() == 0


def test_evidence_over_the_size_limit_is_refused(client_for, people, complaint_at, settings, tmp_path):
    settings.MAX_UPLOAD_BYTES = 1000
    complaint = complaint_at("plan")
    response = client_for(people["agent"]).post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                                                 {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("big.png", PNG + b"\x00" * 2000)},
                                                 follow=True)
    assert "The file is larger than 0 MB." in response.content.decode() or "larger than" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_evidence_is_served_as_an_attachment_to_those_who_may_see_it(client_for, people, complaint_at, settings,
                                                                     tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path)}}}
    complaint = complaint_at("plan")
    client_for(people["agent"]).post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                                     {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("照片.png", PNG)})
    evidence = Evidence.objects.get()
    response = client_for(people["handler"]).get(reverse("complaints:evidence", args=[complaint.pk, evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client_for(people["custodian"]).get(
        reverse("complaints:evidence", args=[complaint.pk, evidence.pk])).status_code == 403


# --- query counts: fixed whatever the data size --------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["complaints:all", "complaints:mine", "complaints:revisits", "complaints:overdue",
                                      "complaints:approvals"])
def test_a_queue_runs_the_same_queries_for_1_and_20_rows(client_for, people, complaint_at, url_name):
    c = client_for(people["supervisor"])
    stage = {"complaints:revisits": "revisit", "complaints:approvals": "approve"}.get(url_name, "plan")

    def add(n):
        for _ in range(n):
            complaint = complaint_at(stage, agent=people["supervisor"]) if url_name == "complaints:mine" else \
                complaint_at(stage)
            ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.CLOSE, started_at=timezone.now(),
                                          due_at=timezone.now() - dt.timedelta(hours=1))

    add(1)
    one = count_queries(c, reverse(url_name))
    add(19)
    twenty = count_queries(c, reverse(url_name))
    assert one == twenty
    assert len(c.get(reverse(url_name)).context["rows"]) == 20


def test_the_department_queue_runs_the_same_queries_for_1_and_20_rows(client_for, people, complaint_at):
    c = client_for(people["handler"])
    complaint_at("plan")
    one = count_queries(c, reverse("complaints:department"))
    for _ in range(19):
        complaint_at("plan")
    assert count_queries(c, reverse("complaints:department")) == one


def test_the_complaint_page_runs_the_same_queries_whatever_its_history(client_for, people, complaint_at):
    c = client_for(people["supervisor"])
    complaint = complaint_at("approve")

    def grow(n):
        for _ in range(n):
            ComplaintEventFactory(complaint=complaint, by=people["agent"])
            Evidence.objects.create(complaint=complaint, file="x", original_name="x.png", content_type="image/png",
                                    size=1, uploaded_by=people["agent"])
        ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.CLOSE, started_at=timezone.now(),
                                      due_at=timezone.now() + dt.timedelta(hours=2), state="met")

    grow(1)
    url = reverse("complaints:detail", args=[complaint.pk])
    one = count_queries(c, url)
    grow(19)
    assert count_queries(c, url) == one
    assert count_queries(c, reverse("complaints:print", args=[complaint.pk])) <= one


def test_pagination_shows_next_without_counting_the_table(client_for, people, complaint_at):
    for _ in range(26):
        complaint_at("plan")
    c = client_for(people["supervisor"])
    with CaptureQueriesContext(connection) as ctx:
        first = c.get(reverse("complaints:all"))
    assert first.context["has_next"] is True and len(first.context["rows"]) == 25
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not any(s.rstrip().endswith('FROM "complaints_complaint"') for s in sqls)  # no COUNT over the table
    assert any("LIMIT 26" in s for s in sqls)
    second = c.get(reverse("complaints:all") + "?page=2")
    assert second.context["has_next"] is False and len(second.context["rows"]) == 1


def test_statistics_page_shows_the_months_figures(client_for, people, complaint_at):
    now = timezone.now()
    complaint_at("closed", upheld=True, severity="major", demand="compensation", is_repeat=True,
                 satisfaction_attitude=4, satisfaction_result=2)
    complaint_at("respond", upheld=False, demand="apology")
    response = client_for(people["supervisor"]).get(reverse("complaints:statistics"),
                                                    {"month": timezone.localtime(now).strftime("%Y-%m")})
    assert response.status_code == 200
    totals = response.context["stats"]["totals"]
    assert (totals["n_total"], totals["n_upheld"], totals["n_not_upheld"], totals["n_major"],
            totals["n_repeats"]) == (2, 1, 1, 1, 1)
    assert float(totals["n_avg_result"]) == 2.0
    assert 'id="complaint-chart-data"' in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_caller_history_lists_visible_complaints_in_one_query(people, complaint_at, django_assert_num_queries):
    from complaints.selectors import caller_history
    from csmgmt.core.registry import caller_history_providers

    assert caller_history in caller_history_providers()
    older = complaint_at("closed", received_at=timezone.now() - dt.timedelta(days=3))
    newer = complaint_at("plan")
    complaint_at("plan", complainant_phone="13900000000")
    from csmgmt.core.permissions import roles_of

    user = people["agent"].user
    roles_of(user)  # cached for the request by then
    with django_assert_num_queries(1):
        items = caller_history(["13812345678"], user)
    assert [(i.kind, i.number, i.is_open) for i in items] == [("complaint", newer.number, True),
                                                               ("complaint", older.number, False)]
    assert caller_history(["13812345678"], people["custodian"].user) == []


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    ("agent", ["My complaints", "Revisits due", "Overdue"], ["Awaiting my approval", "My department"]),
    ("supervisor", ["My complaints", "Awaiting my approval", "Revisits due", "Overdue"], ["My department"]),
    ("handler", ["My department&#x27;s complaints", "Overdue"], ["My complaints", "Awaiting my approval",
                                                                  "Revisits due"]),
])
def test_the_navigation_shows_each_role_its_queues(client_for, people, complaint_at, role, shown, hidden):
    complaint_at("approve")
    body = client_for(people[role]).get(reverse("home")).content.decode()
    for label in shown:
        assert label in body, label
    for label in hidden:
        assert label not in body, label


def test_a_handler_sees_the_overdue_entry_counting_their_departments_complaints(client_for, people, complaint_at):
    now = timezone.now()
    ours = complaint_at("plan")
    theirs = complaint_at("plan", responsible_department=DepartmentFactory(name="物流配送部", code="LOG"))
    on_time = complaint_at("plan")
    for complaint, due in ((ours, now - dt.timedelta(hours=1)), (theirs, now - dt.timedelta(hours=1)),
                           (on_time, now + dt.timedelta(hours=5))):
        ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.DEPT_REPORT, started_at=now - dt.timedelta(
            hours=48), due_at=due)
    handler = client_for(people["handler"])

    response = handler.get(reverse("home"))

    entries = [item for group in response.context["navctx"].work_groups for item in group["items"]]
    overdue = [e for e in entries if e["url"] == reverse("complaints:overdue")]
    assert [(str(e["label"]), e["badge"]) for e in overdue] == [("Overdue", 1)]
    page = handler.get(reverse("complaints:overdue"))
    assert page.status_code == 200
    assert [c.number for c in page.context["rows"]] == [ours.number]
    supervisor = client_for(people["supervisor"]).get(reverse("home"))
    entries = [item for group in supervisor.context["navctx"].work_groups for item in group["items"]]
    assert [e["badge"] for e in entries if e["url"] == reverse("complaints:overdue")] == [2]
    custodian = client_for(people["custodian"]).get(reverse("home"))
    assert reverse("complaints:overdue") not in custodian.content.decode()


def test_the_approval_badge_counts_plans_waiting(client_for, people, complaint_at):
    complaint_at("approve")
    complaint_at("approve")
    complaint_at("manager_approve")
    from complaints.selectors import queue_count

    assert queue_count(people["supervisor"].user, "approvals") == 2
    assert queue_count(people["manager"].user, "approvals") == 3
    assert queue_count(people["agent"].user, "approvals") is None
    body = client_for(people["supervisor"]).get(reverse("home")).content.decode()
    assert 'id="complaints-widget"' in body


def test_a_complaint_finds_the_customer_profile_by_phone(client_for, people):
    from tickets.models import Customer, CustomerPhone

    customer = Customer.objects.create(name="林女士")
    CustomerPhone.objects.create(customer=customer, number="13812345678")
    client_for(people["agent"]).post(reverse("complaints:create"), create_form())
    assert Complaint.objects.get().customer_id == customer.pk


def test_the_form_warns_when_the_call_already_has_a_complaint(client_for, people, complaint_at):
    call = ComplaintCallFactory(agent=people["agent"])
    earlier = complaint_at("plan", source_call=call)
    body = client_for(people["agent"]).get(reverse("complaints:create_from_call", args=[call.pk])).content.decode()
    assert 'id="earlier-complaints"' in body and earlier.number in body


def test_registering_with_an_evidence_file_stores_it(client_for, people, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path)}}}
    response = client_for(people["agent"]).post(reverse("complaints:create"),
                                                 create_form(evidence=SimpleUploadedFile("破损.png", PNG)))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.complaint_id, evidence.original_name, evidence.content_type, evidence.size) == (
        Complaint.objects.get().pk, "破损.png", "image/png", len(PNG))


def test_registering_with_a_refused_file_saves_nothing(client_for, people):
    response = client_for(people["agent"]).post(
        reverse("complaints:create"), create_form(evidence=SimpleUploadedFile("x.pdf", b"#!/bin/sh\nrm -rf /\n")))
    assert response.status_code == 200
    assert "Only images, PDF and office documents can be attached." in response.content.decode()
    assert (Complaint.objects.count(), Evidence.objects.count(), ComplaintClock.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(("due_in", "state", "status"), [
    (dt.timedelta(hours=2), "running", "running"),
    (dt.timedelta(minutes=10), "running", "due_soon"),
    (-dt.timedelta(minutes=1), "running", "overdue"),
    (dt.timedelta(hours=1), "met", "met"),
    (-dt.timedelta(hours=1), "missed", "missed"),
])
def test_the_complaint_page_shows_each_clocks_state(client_for, people, complaint_at, due_in, state, status):
    complaint = complaint_at("plan")
    now = timezone.now()
    ComplaintClock.objects.create(complaint=complaint, kind=ClockKind.DEPT_REPORT, started_at=now - dt.timedelta(hours=3),
                                  due_at=now + due_in, state=state, met_at=now if state != "running" else None)
    body = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f'data-clock="dept_report" data-status="{status}"' in body


def test_every_move_is_in_the_complaints_history_with_who_made_it(people, complaint_at):
    from complaints.services import complaint_transition

    complaint = complaint_at("approve")
    complaint_transition(complaint=complaint, action="approve", by=people["supervisor"])
    last = complaint.history.latest()
    assert (last.stage, last.history_user) == ("respond", people["supervisor"].user)
    assert last.prev_record.stage == "approve"


def test_statistics_filter_by_department_and_survive_bad_input(client_for, people, complaint_at, qa):
    other = DepartmentFactory(name="物流配送部", code="LOG")
    complaint_at("plan")
    complaint_at("plan", responsible_department=other)
    c = client_for(people["supervisor"])
    month = timezone.localtime().strftime("%Y-%m")
    response = c.get(reverse("complaints:statistics"), {"month": month, "department": other.pk})
    assert response.context["stats"]["totals"]["n_total"] == 1
    for bad in ({"month": "13-2026"}, {"month": "x", "department": "y"}, {"month": "2026-00"}):
        assert c.get(reverse("complaints:statistics"), bad).status_code == 200


def test_the_analysis_shows_earlier_complaints_from_the_same_number(client_for, people, complaint_at):
    earlier = complaint_at("closed", received_at=timezone.now() - dt.timedelta(days=20))
    complaint = complaint_at("analyse")
    body = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="earlier-from-phone"' in body and earlier.number in body


def test_the_statistics_download_is_a_workbook_for_supervisors_only(client_for, people, complaint_at):
    complaint_at("plan")
    month = timezone.localtime().strftime("%Y-%m")
    response = client_for(people["supervisor"]).get(reverse("complaints:statistics_xlsx"), {"month": month})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="complaints-{month}.xlsx"'
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client_for(people["agent"]).get(reverse("complaints:statistics_xlsx")).status_code == 403


@pytest.mark.parametrize("q", ["138 1234", "+86 138-1234-5678", "客户"])
def test_the_list_finds_a_complaint_by_phone_as_typed_or_by_name(client_for, people, complaint_at, q):
    complaint = complaint_at("plan")
    complaint_at("plan", complainant_phone="13900000000", complainant_name="别人")
    response = client_for(people["agent"]).get(reverse("complaints:all"), {"q": q})
    assert [c.pk for c in response.context["rows"]] == [complaint.pk]


# --- the call and the complaints opened from it, on screen both ways -------------------------------------


def test_the_complaint_page_links_its_call_for_those_who_may_see_it(client_for, people, complaint_at, qa):
    logistics = DepartmentFactory(name="物流配送部", code="LOG")
    call = ComplaintCallFactory(department=logistics)
    complaint = complaint_at("plan", source_call=call)  # assigned to QA: the QA handler sees it
    call_url = reverse("tickets:detail", args=[call.pk])

    page = client_for(people["agent"]).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f'id="source-call"><a href="{call_url}">{call.number}</a>' in page

    handler = client_for(people["handler"])
    page = handler.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f'id="source-call">{call.number}</dd>' in page  # the call went to logistics: no link for QA
    assert call_url not in page
    assert handler.get(call_url).status_code == 404  # and the call page itself stays closed to them


def test_the_call_page_lists_the_complaints_opened_from_it(client_for, people, complaint_at):
    call = ComplaintCallFactory()
    first = complaint_at("closed", source_call=call, received_at=timezone.now() - dt.timedelta(days=2))
    second = complaint_at("plan", source_call=call)
    complaint_at("plan", source_call=ComplaintCallFactory())  # another call's

    response = client_for(people["agent"]).get(reverse("tickets:detail", args=[call.pk]))

    assert [(c.number, c.stage) for c in response.context["complaints"]] == [(first.number, "closed"),
                                                                             (second.number, "plan")]
    body = response.content.decode()
    assert "Complaints from this call" in body
    for c, label in ((first, "Closed"), (second, "Department plans")):
        assert f'<a href="{reverse("complaints:detail", args=[c.pk])}">{c.number}</a>' in body
        assert f'data-stage="{c.stage}">{label}</span>' in body


def test_the_call_page_lists_only_the_complaints_the_user_may_see(client_for, people, complaint_at, qa):
    call = ComplaintCallFactory(department=qa)
    mine = complaint_at("plan", source_call=call)
    complaint_at("plan", source_call=call, responsible_department=DepartmentFactory(name="工程部", code="ENG"))
    response = client_for(people["handler"]).get(reverse("tickets:detail", args=[call.pk]))
    assert response.status_code == 200
    assert [c.number for c in response.context["complaints"]] == [mine.number]


def test_a_call_without_complaints_shows_no_list(client_for, people):
    call = ComplaintCallFactory()
    response = client_for(people["agent"]).get(reverse("tickets:detail", args=[call.pk]))
    assert response.context["complaints"] == []
    assert 'id="call-complaints"' not in response.content.decode()


def test_the_call_page_runs_the_same_queries_for_1_and_5_complaints(client_for, people, complaint_at):
    c = client_for(people["agent"])
    counts = []
    for n in (1, 5):
        call = ComplaintCallFactory()
        for _i in range(n):
            complaint_at("plan", source_call=call)
        url = reverse("tickets:detail", args=[call.pk])
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url)
        assert len(response.context["complaints"]) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- the statistics page: every figure of REGULATIONS §3, clocks met and missed per clock -----------------


def test_statistics_count_clocks_per_kind_and_complaints_by_demand_department_cause_severity(client_for, people,
                                                                                              complaint_at, qa):
    tz = timezone.get_current_timezone()
    october = dt.datetime(2026, 10, 15, 10, 0, tzinfo=tz)  # a fixed month: the test does not depend on today
    now = timezone.now()
    logistics = DepartmentFactory(name="物流配送部", code="LOG")
    a = complaint_at("closed", received_at=october, demand="compensation", cause="包装破损", severity="major",
                     upheld=True)
    b = complaint_at("plan", received_at=october + dt.timedelta(days=1), demand="compensation", cause="包装破损",
                     responsible_department=logistics, upheld=True)
    c = complaint_at("revisit", received_at=october + dt.timedelta(days=2), demand="apology", cause="态度差",
                     upheld=False)
    complaint_at("plan", received_at=dt.datetime(2026, 11, 3, 9, 0, tzinfo=tz), demand="return", cause="别的月份")

    def clock(complaint, kind, state, due, met=None):
        ComplaintClock.objects.create(complaint=complaint, kind=kind, state=state, due_at=due, met_at=met,
                                      started_at=complaint.received_at)

    clock(a, ClockKind.FIRST_REPLY, "met", october + dt.timedelta(hours=2), october + dt.timedelta(hours=1))
    clock(a, ClockKind.CLOSE, "missed", october + dt.timedelta(days=7), october + dt.timedelta(days=8))
    clock(b, ClockKind.FIRST_REPLY, "running", b.received_at + dt.timedelta(hours=2))  # running past due: missed
    clock(b, ClockKind.ASSIGN, "running", now + dt.timedelta(hours=3))  # still running, not yet due
    clock(c, ClockKind.FIRST_REPLY, "met", c.received_at + dt.timedelta(hours=2), c.received_at)
    clock(c, ClockKind.DEPT_REPORT, "met", c.received_at + dt.timedelta(hours=48), c.received_at)
    clock(c, ClockKind.REVISIT, "cancelled", c.received_at + dt.timedelta(days=7))  # not needed: counts nowhere

    response = client_for(people["supervisor"]).get(reverse("complaints:statistics"), {"month": "2026-10"})

    stats = response.context["stats"]
    assert {r["kind"]: (r["met"], r["missed"], r["running"]) for r in stats["clocks"]} == {
        "first_reply": (2, 1, 0), "assign": (0, 0, 1), "dept_report": (1, 0, 0), "close_ordinary": (0, 0, 0),
        "close": (0, 1, 0), "revisit": (0, 0, 0), "promise": (0, 0, 0), "next_reply": (0, 0, 0)}
    assert sorted((r["demand"], r["n"]) for r in stats["by_demand"]) == [("apology", 1), ("compensation", 2)]
    assert sorted((r["responsible_department__name"], r["n"]) for r in stats["by_department"]) == [
        ("物流配送部", 1), ("质量管理部", 2)]
    assert [(r["cause"], r["n"]) for r in stats["by_cause"]] == [("包装破损", 2), ("态度差", 1)]
    assert sorted((r["severity"], r["n"]) for r in stats["by_severity"]) == [("major", 1), ("ordinary", 2)]
    t = stats["totals"]
    assert (t["n_total"], t["n_upheld"], t["n_not_upheld"], t["n_major"]) == (3, 2, 1, 1)
    body = response.content.decode()
    assert ('<tr><td>First reply to the customer</td><td class="text-end">2</td><td class="text-end">1</td>'
            '<td class="text-end">0</td></tr>') in body
    assert ('<tr><td>Every complaint closed (major included)</td><td class="text-end">0</td><td class="text-end">1</td>'
            '<td class="text-end">0</td></tr>') in body
    assert response.context["chart"]["clocks"]["missed"] == [1, 0, 0, 0, 1, 0, 0, 0]

    only_qa = client_for(people["supervisor"]).get(reverse("complaints:statistics"),
                                                    {"month": "2026-10", "department": qa.pk}).context["stats"]
    assert only_qa["totals"]["n_total"] == 2
    assert {r["kind"]: r["missed"] for r in only_qa["clocks"]}["first_reply"] == 0


# --- the printable handling form -----------------------------------------------------------------------------


def test_the_print_form_shows_the_number_the_plan_and_the_signature_lines(client_for, people, complaint_at):
    from decimal import Decimal

    complaint = complaint_at("respond", findings="包装不合格", action_immediate="补发商品", compensation=Decimal("300"))
    ComplaintEventFactory(complaint=complaint, action="approve", from_stage="approve", to_stage="respond",
                          by=people["supervisor"])
    response = client_for(people["agent"]).get(reverse("complaints:print", args=[complaint.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1 class=\"h4 text-center mb-1\">客户投诉处理单</h1>" in body
    assert f"No. <strong>{complaint.number}</strong>" in body
    assert "包装不合格" in body and "immediate action: 补发商品" in body and "300" in body
    assert f"Approve: {people['supervisor'].name}" in body
    for who in ("Responsible department (signature)", "Customer service (signature)", "Customer (signature)"):
        assert f'{who}:<div class="border-bottom" style="height: 3em"></div>' in body
    assert body.count('<div class="border-bottom" style="height: 3em"></div>') == 3


# --- no evidence once a complaint is closed or withdrawn --------------------------------------------------------


@pytest.mark.parametrize("stage", ["closed", "withdrawn"])
def test_evidence_cannot_be_added_to_a_closed_or_withdrawn_complaint(client_for, people, complaint_at, stage,
                                                                      settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path)}}}
    complaint = complaint_at(stage)
    client = client_for(people["agent"])

    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="evidence-upload"' not in page  # no upload form is offered
    response = client.post(reverse("complaints:evidence_upload", args=[complaint.pk]),
                           {"form_token": str(uuid.uuid4()), "file": SimpleUploadedFile("photo.png", PNG)}, follow=True)

    assert "Files cannot be added to a closed or withdrawn complaint." in response.content.decode()
    assert Evidence.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []  # no file was stored either
    from complaints.services import ComplaintError, evidence_add

    with pytest.raises(ComplaintError, match="closed or withdrawn"):
        evidence_add(complaint=complaint, by=people["supervisor"], upload=SimpleUploadedFile("p.png", PNG))
    assert Evidence.objects.count() == 0
