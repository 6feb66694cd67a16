"""Intake around the caller (issue 17), on the server: a recognised number fills name, form of address and
organisation (the page's initial values, and the blanks of the saved call); "called again" (Alt+A, the history
panel's link) links the new call to the caller's newest open call or complaint, shown on both pages; a refused
save puts the focus on the first field with an error and keeps every value; the transfer list's empty choice
reads a phrase."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CallFactory, ComplaintFactory, CustomerPhoneFactory
from tickets.models import Call

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def caller(db):
    return CustomerPhoneFactory(number=PHONE, customer__name="陈建华", customer__address_form="mr",
                                customer__organisation="东方物业").customer


def _open_call(agent, **extra):
    fields = {"caller_phone": PHONE, "summary": "电梯异响", "agent": agent, "owner": agent, "status": "open",
              "outcome": "reply_promised", "received_at": timezone.now() - dt.timedelta(hours=3),
              "reply_due_at": timezone.now() + dt.timedelta(hours=1)}
    fields.update(extra)
    return CallFactory(**fields)


def test_a_recognised_number_fills_name_form_of_address_and_organisation(client_for, caller):
    response = client_for("agent").get(reverse("tickets:intake"), {"phone": "138 0013 8000"})
    form = response.context["form"]
    assert (form["caller_name"].value(), form["address_form"].value(), form["organisation"].value()) == \
        ("陈建华", "mr", "东方物业")
    panel = client_for("agent").get(reverse("tickets:history_panel"), {"caller_phone": "138 0013 8000"})
    html = panel.content.decode()
    assert 'data-name="陈建华"' in html and 'data-address-form="mr"' in html and 'data-organisation="东方物业"' in html


def test_an_unknown_number_fills_nothing(client_for, caller):
    form = client_for("agent").get(reverse("tickets:intake"), {"phone": "139 0000 1111"}).context["form"]
    assert (form["caller_name"].value(), form["organisation"].value()) == (None, None)


def test_the_saved_call_takes_what_the_agent_left_blank_from_the_profile(client_for, caller, intake_data):
    c = client_for("agent")
    response = c.post(reverse("tickets:intake"), intake_data(caller_name="", address_form="", organisation="",
                                                             form_token=str(uuid.uuid4())))
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.caller_name, call.address_form, call.organisation, call.customer) == ("陈建华", "mr", "东方物业", caller)


def test_what_the_agent_typed_wins_over_the_profile(client_for, caller, intake_data):
    c = client_for("agent")
    c.post(reverse("tickets:intake"), intake_data(caller_name="陈先生", organisation="西方物业", form_token=str(uuid.uuid4())))
    call = Call.objects.get()
    assert (call.caller_name, call.organisation) == ("陈先生", "西方物业")


def test_a_complaint_opened_from_a_call_without_a_name_arrives_with_the_profiles(client_for, caller):
    c = client_for("agent")
    call = CallFactory(caller_phone=PHONE, caller_name="", customer=caller, category="complaint")
    form = c.get(reverse("complaints:create_from_call", args=[call.pk])).context["form"]
    assert form["complainant_name"].value() == "陈建华"


def test_the_history_offers_called_again_for_the_newest_open_call_or_complaint(client_for, caller):
    c = client_for("agent")
    _open_call(c.employee, received_at=timezone.now() - dt.timedelta(days=2), summary="更早的")
    newest = _open_call(c.employee)
    CallFactory(caller_phone=PHONE, status="closed", outcome="resolved", received_at=timezone.now())  # closed: no
    html = c.get(reverse("tickets:history_panel"), {"caller_phone": PHONE}).content.decode()
    link = re.search(r'<a [^>]*id="called-again"[^>]*>', html).group(0)
    assert 'data-hotkey="a"' in link
    assert f"again={newest.number}" in link


def test_no_called_again_without_an_open_record(client_for, caller):
    CallFactory(caller_phone=PHONE, status="closed", outcome="resolved")
    html = client_for("agent").get(reverse("tickets:history_panel"), {"caller_phone": PHONE}).content.decode()
    assert 'id="called-again"' not in html


def test_called_again_about_a_call_links_the_new_call_on_both_pages(client_for, caller, intake_data):
    c = client_for("agent")
    earlier = _open_call(c.employee)
    page = c.get(reverse("tickets:intake"), {"phone": PHONE, "again": earlier.number})
    assert page.context["again"].number == earlier.number
    assert page.context["form"]["summary"].value() == f"Called again about {earlier.number}: Enquiry (咨询) · 电梯异响"
    assert 'id="again-banner"' in page.content.decode()
    response = c.post(reverse("tickets:intake"), intake_data(again=earlier.number, form_token=str(uuid.uuid4()),
                                                             summary="再次催问"))
    assert response.status_code == 302
    new = Call.objects.exclude(pk=earlier.pk).get()
    assert (new.again_kind, new.again_pk, new.again_number) == ("call", earlier.pk, earlier.number)
    earlier_page = c.get(reverse("tickets:detail", args=[earlier.pk])).content.decode()
    assert reverse("tickets:detail", args=[new.pk]) in re.search(r'id="again-calls".*?</dd>', earlier_page, re.S).group(0)
    new_page = c.get(reverse("tickets:detail", args=[new.pk])).content.decode()
    assert reverse("tickets:detail", args=[earlier.pk]) in re.search(r'id="again-of".*?</dd>', new_page, re.S).group(0)
    earlier.refresh_from_db()
    assert earlier.status == "open"  # the earlier call is not moved; only linked


def test_called_again_about_a_complaint_is_listed_on_the_complaint(client_for, caller, intake_data):
    c = client_for("agent")
    complaint = ComplaintFactory(complainant_phone=PHONE, stage="analyse")
    c.post(reverse("tickets:intake"), intake_data(again=complaint.number, form_token=str(uuid.uuid4())))
    new = Call.objects.get()
    assert (new.again_kind, new.again_pk) == ("complaint", complaint.pk)
    html = c.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("tickets:detail", args=[new.pk]) in re.search(r'id="again-calls".*?</dd>', html, re.S).group(0)


def test_called_again_about_another_callers_record_links_nothing(client_for, caller, intake_data):
    c = client_for("agent")
    stranger = _open_call(c.employee, caller_phone="13912345678")
    c.post(reverse("tickets:intake"), intake_data(again=stranger.number, form_token=str(uuid.uuid4())))
    new = Call.objects.exclude(pk=stranger.pk).get()
    assert (new.again_kind, new.again_pk, new.again_number) == ("", None, "")


def test_a_refused_save_focuses_the_first_field_with_an_error_and_keeps_every_value(client_for, intake_data):
    c = client_for("agent")
    data = intake_data(summary="", outcome="reply_promised", reply_due_at="23:59", details="问停车收费",
                       valid="", form_token=str(uuid.uuid4()))
    response = c.post(reverse("tickets:intake"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"valid", "summary"}
    assert form.first_error() == "valid"  # valid comes before the summary on the page
    html = response.content.decode()
    focused = re.findall(r'<[^>]*\bautofocus\b[^>]*>', html)
    assert len(focused) == 1 and 'name="valid"' in focused[0]
    for name in ("caller_phone", "caller_name", "details", "reply_due_at"):
        assert form[name].value() == data[name]
    assert re.search(r'name="received_at" value="\d{4}-\d\d-\d\d \d\d:\d\d"', html)  # not empty
    assert Call.objects.count() == 0


def test_an_error_in_the_folded_group_opens_it(client_for, intake_data):
    response = client_for("agent").post(reverse("tickets:intake"), intake_data(channel="fax", form_token=str(uuid.uuid4())))
    assert response.context["form"].first_error() == "channel"
    assert re.search(r'<details[^>]*id="intake-more"[^>]*\bopen\b', response.content.decode())


def test_the_transfer_lists_empty_choice_reads_a_phrase(client_for):
    html = client_for("agent").get(reverse("tickets:intake")).content.decode()
    select = re.search(r'<select name="department".*?</select>', html, re.S).group(0)
    first = re.search(r"<option[^>]*>([^<]*)</option>", select).group(1)
    assert first == "— not transferred —"
    assert "---------" not in html


def test_the_reply_due_box_takes_a_time_of_today(client_for, intake_data):
    c = client_for("agent")
    c.post(reverse("tickets:intake"), intake_data(outcome="reply_promised", reply_due_at="23:58",
                                                  form_token=str(uuid.uuid4())))
    due = timezone.localtime(Call.objects.get().reply_due_at)
    assert (due.date(), due.hour, due.minute) == (timezone.localdate(), 23, 58)


def test_a_department_handler_may_not_open_intake(client_for):
    response = client_for("handler").get(reverse("tickets:intake"), {"phone": PHONE, "again": "LD-1"})
    assert response.status_code == 403
