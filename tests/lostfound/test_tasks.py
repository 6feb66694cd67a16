"""The end-of-day custody task and the monthly finance-handover task: each notice is sent once,
however often the task runs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from csmgmt.core.models import Notification
from lostfound import services, tasks
from lostfound.models import CategoryRetention, FoundItem, HandoverBatch, LostfoundSettings
from tests.factories import FoundItemFactory

pytestmark = pytest.mark.django_db


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_custody_notice_lists_the_days_unclaimed_valuables_once(custodian, make_employee):
    second = make_employee("custodian")
    day = timezone.localdate() - dt.timedelta(days=1)
    FoundItemFactory(category="phone", found_at=_at(day, 10))
    FoundItemFactory(category="cash", found_at=_at(day, 15))
    FoundItemFactory(category="camera", found_at=_at(day, 16), status="stored")  # already in custody
    FoundItemFactory(category="clothing", found_at=_at(day, 11))  # not a valuable
    FoundItemFactory(category="phone", found_at=_at(day - dt.timedelta(days=1), 11))  # another day

    assert tasks.custody_check.delay(day.isoformat()).get() == 2
    assert tasks.custody_check.delay(day.isoformat()).get() == 0

    notices = Notification.objects.filter(key=f"lostfound:custody:{day.isoformat()}")
    assert sorted(notices.values_list("recipient", flat=True)) == sorted([custodian.pk, second.pk])
    assert "2" in notices.first().text
    assert notices.first().link == f"/lostfound/custody/?day={day.isoformat()}"


def test_custody_notice_waits_for_the_configured_end_of_day(custodian):
    day = timezone.localdate()
    LostfoundSettings.objects.update_or_create(pk=1, defaults={"custody_time": dt.time(18, 0)})
    FoundItemFactory(category="phone", found_at=_at(day, 9))
    assert services.custody_notify(day=day, now=_at(day, 17, 59)) == 0
    assert Notification.objects.count() == 0
    assert services.custody_notify(day=day, now=_at(day, 18, 0)) == 1
    assert services.custody_notify(day=day, now=_at(day, 23, 0)) == 0
    assert Notification.objects.count() == 1


def test_handover_task_prepares_one_batch_and_one_notice_when_run_twice(custodian):
    now = timezone.now()
    old = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=31))
    stored = FoundItemFactory(category="clothing", found_at=now - dt.timedelta(days=40), status="stored")
    FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=29))  # still within retention
    FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=60), status="claimed")

    first = tasks.handover_prepare_month.delay("202612").get()
    second = tasks.handover_prepare_month.delay("202612").get()

    batch = HandoverBatch.objects.get()
    assert first == second == batch.pk
    assert batch.period == "202612"
    assert batch.number == "YJ-202612-0001"
    assert set(batch.items.values_list("pk", flat=True)) == {old.pk, stored.pk}
    assert Notification.objects.filter(recipient=custodian, key="lostfound:handover:202612").count() == 1
    assert Notification.objects.count() == 1


def test_retention_is_configurable_per_category(custodian):
    now = timezone.now()
    CategoryRetention.objects.create(category="cards", retention_days=7)
    cards = FoundItemFactory(category="cards", found_at=now - dt.timedelta(days=8))
    FoundItemFactory(category="keys", found_at=now - dt.timedelta(days=8))  # default 30 days
    batch = services.handover_prepare(period="202612")
    assert list(batch.items.values_list("pk", flat=True)) == [cards.pk]


def test_no_batch_when_nothing_is_past_retention(custodian):
    FoundItemFactory(found_at=timezone.now() - dt.timedelta(days=3))
    assert tasks.handover_prepare_month.delay("202612").get() is None
    assert HandoverBatch.objects.count() == 0
    assert Notification.objects.count() == 0


def test_confirming_the_batch_hands_the_held_items_to_finance(custodian, agent):
    now = timezone.now()
    a = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=40))
    b = FoundItemFactory(category="keys", found_at=now - dt.timedelta(days=35), status="stored")
    batch = services.handover_prepare(period="202612")
    # claimed after the list was prepared: stays claimed
    services.claim_release(item_id=b.pk, by=agent, claimant_name="周先生", id_type="resident_id",
                           id_number="110101199001011234", phone="13900000000", description_given="钥匙",
                           verified_by=agent, signed_on_paper=True)
    services.handover_confirm(batch=batch, by=custodian, finance_receiver="罗红")
    batch.refresh_from_db()
    assert (batch.status, batch.confirmed_by, batch.finance_receiver) == ("confirmed", custodian, "罗红")
    assert FoundItem.objects.get(pk=a.pk).status == "finance"
    assert FoundItem.objects.get(pk=b.pk).status == "claimed"
    assert a.events.last().comment == f"Handed to finance in {batch.number}."
    with pytest.raises(services.LostfoundError):
        services.handover_confirm(batch=batch, by=custodian, finance_receiver="罗红")


def test_jobs_are_registered():
    from csmgmt.core.registry import jobs

    tasks_by_name = {j.task: j for j in jobs()}
    assert tasks_by_name["lostfound.tasks.custody_check"].crontab == {"minute": "*/15"}
    assert tasks_by_name["lostfound.tasks.handover_prepare_month"].crontab["day_of_month"] == "1"


# --- a prepared batch takes the items that became due later, a bounded number a run ---------------------


def _batch_items(batch):
    return list(batch.items.order_by("found_at", "pk").values_list("pk", flat=True))


def test_each_run_attaches_the_next_due_items_while_the_batch_is_prepared(custodian, monkeypatch):
    monkeypatch.setattr(services, "BATCH_LIMIT", 2)  # the module's bound, made small
    now = timezone.now()
    items = [FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=40 - i)) for i in range(5)]

    first = tasks.handover_prepare_month.delay("202612").get()
    batch = HandoverBatch.objects.get()
    assert first == batch.pk
    assert _batch_items(batch) == [items[0].pk, items[1].pk]  # the oldest first, capped

    second = tasks.handover_prepare_month.delay("202612").get()  # run twice: two more, same batch
    assert second == batch.pk
    assert _batch_items(batch) == [i.pk for i in items[:4]]
    services.handover_prepare(period="202612")
    assert _batch_items(batch) == [i.pk for i in items]
    assert services.handover_prepare(period="202612") == batch  # nothing left: nothing changes
    assert _batch_items(batch) == [i.pk for i in items]

    assert HandoverBatch.objects.count() == 1
    assert Notification.objects.filter(recipient=custodian, key="lostfound:handover:202612").count() == 1
    assert Notification.objects.count() == 1  # run four times, notified once
    # each item's trail says once which list it was put on
    assert [list(i.events.filter(action="note").values_list("comment", flat=True)) for i in items] == \
        [[f"Listed for finance handover {batch.number}."]] * 5


def test_an_item_that_became_due_later_joins_the_prepared_batch(custodian):
    now = timezone.now()
    old = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=35))
    later = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=20))
    batch = services.handover_prepare(period="202612", now=now)
    assert _batch_items(batch) == [old.pk]

    batch = services.handover_prepare(period="202612", now=now + dt.timedelta(days=11))  # ``later`` is due now
    assert _batch_items(batch) == [old.pk, later.pk]
    assert Notification.objects.count() == 1


def test_a_confirmed_batch_takes_no_more_items(custodian):
    now = timezone.now()
    old = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=35))
    batch = services.handover_prepare(period="202612", now=now)
    services.handover_confirm(batch=batch, by=custodian, finance_receiver="罗红")
    later = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=32))

    assert services.handover_prepare(period="202612", now=now) == batch
    assert _batch_items(batch) == [old.pk]
    later.refresh_from_db()
    assert (later.handover_batch, later.status) == (None, "registered")  # waits for next month's list
    batch.refresh_from_db()
    assert batch.status == "confirmed"


def test_the_custodians_prepare_button_adds_the_items_past_the_cap(client_for, monkeypatch):
    monkeypatch.setattr(services, "BATCH_LIMIT", 1)
    now = timezone.now()
    a = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=40))
    b = FoundItemFactory(category="keys", found_at=now - dt.timedelta(days=39))
    client = client_for("custodian")
    period = timezone.localdate().strftime("%Y%m")
    services.handover_prepare(period=period)
    batch = HandoverBatch.objects.get()
    assert _batch_items(batch) == [a.pk]

    response = client.post(reverse("lostfound:handover_prepare"), {"confirm": "1"})

    assert response["Location"] == reverse("lostfound:handover", args=[batch.pk])
    assert _batch_items(batch) == [a.pk, b.pk]
    page = client.get(reverse("lostfound:handovers"))
    assert page.context["due"] == 0


def test_prepare_after_the_months_handover_was_confirmed_says_so(client_for):
    now = timezone.now()
    FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=40))
    client = client_for("custodian")
    period = timezone.localdate().strftime("%Y%m")
    batch = services.handover_prepare(period=period)
    services.handover_confirm(batch=batch, by=client.employee, finance_receiver="罗红")
    late = FoundItemFactory(category="bag", found_at=now - dt.timedelta(days=31))

    response = client.post(reverse("lostfound:handover_prepare"), {"confirm": "1"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"This month's handover {batch.number} is already confirmed: items due now go on next month's list."]
    late.refresh_from_db()
    assert late.handover_batch is None
