import datetime as dt

import pytest
from django.utils import timezone

from csmgmt.core.registry import caller_history_providers
from lostfound.selectors import caller_history
from tests.factories import FoundItemFactory, LostReportFactory

pytestmark = pytest.mark.django_db


def test_provider_is_registered():
    assert caller_history in caller_history_providers()


def test_found_items_and_lost_reports_by_phone_newest_first(make_employee, django_assert_num_queries):
    agent = make_employee("agent")
    now = timezone.now()
    found = FoundItemFactory(finder_phone="13912345678", found_at=now - dt.timedelta(days=2))
    claimed = FoundItemFactory(finder_phone="13912345678", found_at=now - dt.timedelta(days=5), status="claimed")
    report = LostReportFactory(owner_phone="13912345678", lost_at=now - dt.timedelta(days=1))
    FoundItemFactory(finder_phone="13800000000")
    list(caller_history(["13912345678"], agent.user))  # roles cached on the user
    with django_assert_num_queries(2):
        history = caller_history(["139 1234 5678"], agent.user)
    assert [(h.kind, h.number, h.is_open) for h in history] == [
        ("lost_report", report.number, True), ("found_item", found.number, True),
        ("found_item", claimed.number, False)]
    assert history[0].url == f"/lostfound/reports/{report.pk}/"


def test_a_handler_gets_no_lost_and_found_history(make_employee):
    FoundItemFactory(finder_phone="13912345678")
    assert caller_history(["13912345678"], make_employee("handler").user) == []
