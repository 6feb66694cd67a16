from django.core import mail
from django.utils.translation import gettext_lazy as _

from csmgmt.core.models import Notification
from csmgmt.core.notices import notification_mark_read, notification_send
from tests.factories import EmployeeFactory, NotificationFactory


def test_a_keyed_notice_is_sent_once(make_employee):
    agent = make_employee("agent")
    first = notification_send(recipient=agent, message="Reply due", link="/calls/1/", key="call-due-1")
    second = notification_send(recipient=agent, message="Reply due", link="/calls/1/", key="call-due-1")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=agent).count() == 1


def test_the_text_is_written_in_the_recipients_language(make_employee):
    zh = make_employee("agent", language="zh-hans")
    en = make_employee("agent", language="en")
    for who in (zh, en):
        notification_send(recipient=who, message=_("My work"))
    assert Notification.objects.get(recipient=zh).text == "我的工作"
    assert Notification.objects.get(recipient=en).text == "My work"


def test_an_employee_with_an_email_address_gets_it_by_email_once(make_employee, django_capture_on_commit_callbacks):
    agent = make_employee("agent", user__email="zhangwei@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notification_send(recipient=agent, message="投诉 TS-202611-0001 即将超时", link="/complaints/1/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhangwei@example.com"]
    assert "投诉 TS-202611-0001 即将超时" in mail.outbox[0].body
    assert "/complaints/1/" in mail.outbox[0].body
    from csmgmt.core.notices import notification_email_send

    assert notification_email_send(notification_id=notice.pk) is False  # already emailed
    assert len(mail.outbox) == 1


def test_no_email_without_an_address(make_employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=make_employee("agent"), message="x")
    assert mail.outbox == []


def test_the_navigation_shows_the_unread_count_and_the_list_page_marks_read(client_for):
    c = client_for("agent")
    NotificationFactory.create_batch(3, recipient=c.employee)
    NotificationFactory(recipient=EmployeeFactory())  # someone else's
    page = c.get("/").content.decode()
    assert 'id="unread-count">3</span>' in page
    listing = c.get("/staff/notifications/")
    assert listing.status_code == 200
    assert len(listing.context["page"]) == 3
    one = Notification.objects.filter(recipient=c.employee).first()
    assert c.post(f"/staff/notifications/{one.pk}/read/", {"confirm": "1"}).status_code == 302
    assert Notification.objects.filter(recipient=c.employee, read_at__isnull=True).count() == 2
    c.post("/staff/notifications/read/", {"confirm": "1"})
    assert Notification.objects.filter(recipient=c.employee, read_at__isnull=True).count() == 0
    assert 'id="unread-count"' not in c.get("/").content.decode()


def test_one_cannot_mark_someone_elses_notice_read(client_for):
    c = client_for("agent")
    other = NotificationFactory(recipient=EmployeeFactory())
    c.post(f"/staff/notifications/{other.pk}/read/")
    other.refresh_from_db()
    assert other.read_at is None
    assert notification_mark_read(employee=c.employee, notification_id=other.pk) == 0


def test_the_list_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    c = client_for("agent")
    NotificationFactory.create_batch(2, recipient=c.employee)
    with django_assert_max_num_queries(12) as small:
        c.get("/staff/notifications/")
    NotificationFactory.create_batch(20, recipient=c.employee)
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get("/staff/notifications/")
