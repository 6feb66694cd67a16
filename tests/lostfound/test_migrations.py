"""The data migration that starts the trails of the lost reports and handovers that existed before them."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from lostfound.models import HandoverBatch, HandoverBatchEvent, LostReportEvent
from tests.factories import LostReportFactory

pytestmark = pytest.mark.django_db

backfill = import_module("lostfound.migrations.0005_trails_of_existing_records").forwards


def test_existing_records_get_the_trail_that_can_be_known_once(make_employee):
    agent, custodian = make_employee("agent"), make_employee("custodian")
    still_open = LostReportFactory(received_by=agent)
    withdrawn = LostReportFactory(received_by=agent, status="withdrawn", closing_note="客户已自行找到")
    withdrawn.history.update(history_user=custodian.user)  # withdrawn by the custodian, says its edit history
    withdrawn_at = withdrawn.history.get().history_date
    claimed = LostReportFactory(received_by=agent, status="claimed", closing_note="物品已认领")
    confirmed_at = timezone.now() - dt.timedelta(days=3)
    batch = HandoverBatch.objects.create(number="YJ-202610-0001", period="202610", status="confirmed",
                                         confirmed_at=confirmed_at, confirmed_by=custodian, finance_receiver="罗红",
                                         note="十月未认领物品")

    backfill(apps, None)
    backfill(apps, None)  # run again (the tests re-run data migrations after a flush): nothing twice

    b = {"backfilled": True}
    rows = ("report_id", "action", "from_state", "to_state", "by_id", "at", "comment", "data")
    assert list(LostReportEvent.objects.order_by("report_id", "pk").values_list(*rows)) == [
        (still_open.pk, "register", "", "open", agent.pk, still_open.registered_at, "", b),
        (withdrawn.pk, "register", "", "open", agent.pk, withdrawn.registered_at, "", b),
        (withdrawn.pk, "withdraw", "open", "withdrawn", custodian.pk, withdrawn_at, "客户已自行找到", b),
        (claimed.pk, "register", "", "open", agent.pk, claimed.registered_at, "", b),
        (claimed.pk, "claim", "open", "claimed", None, claimed.history.get().history_date, "物品已认领", b),
    ]
    assert list(HandoverBatchEvent.objects.order_by("pk").values_list(
        "batch_id", "action", "from_state", "to_state", "by_id", "at", "comment", "data")) == [
        (batch.pk, "prepare", "", "prepared", None, batch.prepared_at, "", b),
        (batch.pk, "confirm", "prepared", "confirmed", custodian.pk, confirmed_at, "十月未认领物品",
         {**b, "finance_receiver": "罗红"}),
    ]
