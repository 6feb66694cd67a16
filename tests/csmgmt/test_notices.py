"""Notices are stored as a message key with its parameters and rendered in the reader's language: on screen in the
page's language, by email in the recipient's preferred one. Notices sent before the keys are matched back to them."""

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from csmgmt.core.models import Notification
from csmgmt.core.notices import legacy_match, legacy_templates, notification_send


def test_a_notice_keeps_its_key_and_parameters_not_only_its_words(make_employee):
    agent = make_employee("agent", language="zh-hans")
    notice = notification_send(recipient=agent, message=gettext_lazy("Complaint %(number)s is ready to be closed."),
                               params={"number": "TS-202611-0007"})
    notice.refresh_from_db()
    assert (notice.msgid, notice.msgctxt, notice.params) == (
        "Complaint %(number)s is ready to be closed.", "", {"number": "TS-202611-0007"})
    assert notice.text == "投诉 TS-202611-0007 可以结案了。"


def test_the_same_notice_reads_in_the_language_of_whoever_reads_it(make_employee):
    notice = notification_send(recipient=make_employee("agent", language="zh-hans"),
                               message=gettext_lazy("Complaint %(number)s is ready to be closed."),
                               params={"number": "TS-202611-0007"})
    assert notice.render("en") == "Complaint TS-202611-0007 is ready to be closed."
    assert notice.render("zh-hans") == "投诉 TS-202611-0007 可以结案了。"
    with translation.override("en"):
        assert notice.render() == "Complaint TS-202611-0007 is ready to be closed."


def test_a_translatable_parameter_follows_the_reader_too(make_employee):
    from complaints.models import ClockKind

    notice = notification_send(recipient=make_employee("agent"),
                               message=gettext_lazy("Complaint %(number)s: “%(clock)s” is due at %(due)s."),
                               params={"number": "TS-202611-0007", "clock": ClockKind.FIRST_REPLY.label,
                                       "due": "2026-11-20 10:00"})
    assert notice.params["clock"] == {"$t": "First reply to the customer"}
    assert notice.render("zh-hans") == "投诉 TS-202611-0007：“首次答复客户”将于 2026-11-20 10:00 到期。"
    assert notice.render("en") == "Complaint TS-202611-0007: “First reply to the customer” is due at 2026-11-20 10:00."


def test_a_message_with_a_context_keeps_it(make_employee):
    notice = notification_send(recipient=make_employee("agent"), message=pgettext_lazy("sheet", "Summary"))
    assert (notice.msgid, notice.msgctxt) == ("Summary", "sheet")
    assert notice.render("en") == "Summary"


def test_the_notices_page_shows_an_english_reader_english(client_for):
    c = client_for("agent", language="en")
    notification_send(recipient=c.employee, message=gettext_lazy("Complaint %(number)s is ready to be closed."),
                      params={"number": "TS-202611-0009"})
    c.cookies["django_language"] = "en"
    page = c.get("/staff/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Complaint TS-202611-0009 is ready to be closed." in page
    assert "可以结案" not in page


def test_the_email_is_written_in_the_recipients_language(make_employee, django_capture_on_commit_callbacks):
    agent = make_employee("agent", language="en", user__email="li@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=agent, message=gettext_lazy("Complaint %(number)s is ready to be closed."),
                          params={"number": "TS-202611-0010"})
    assert mail.outbox[0].subject == "[csmgmt] Complaint TS-202611-0010 is ready to be closed."


def test_an_old_notice_is_matched_back_to_its_key_from_its_chinese_or_english_words(db):
    templates = legacy_templates()
    assert legacy_match("投诉 TS-202611-0001 可以结案了。", templates) == (
        "Complaint %(number)s is ready to be closed.", "", {"number": "TS-202611-0001"})
    assert legacy_match("Complaint TS-202611-0001 is ready to be closed.", templates) == (
        "Complaint %(number)s is ready to be closed.", "", {"number": "TS-202611-0001"})
    assert legacy_match("随便写的一句话", templates) is None


def test_the_migration_gave_keys_to_the_notices_it_could_match(make_employee):
    """What migration 0007 does, run on rows as they were before it (words only)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("csmgmt.migrations.0007_notification_message_keys")
    agent = make_employee("agent")
    old = Notification.objects.create(recipient=agent, text="投诉 TS-202611-0001 可以结案了。")
    other = Notification.objects.create(recipient=agent, text="一条无法识别的旧通知")
    migration.keys_from_words(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.msgid, old.params) == ("Complaint %(number)s is ready to be closed.", {"number": "TS-202611-0001"})
    assert old.render("en") == "Complaint TS-202611-0001 is ready to be closed."
    assert (other.msgid, other.render("en")) == ("", "一条无法识别的旧通知")
