"""Two claims of the same item at the same moment, on PostgreSQL with two connections: one wins,
the other is told the item is already claimed."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from lostfound import services
from lostfound.models import Claim, FoundItem
from tests.factories import EmployeeFactory, FoundItemFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_claims_one_wins(postgres):
    item = FoundItemFactory()
    agents = [EmployeeFactory(roles=["agent"]), EmployeeFactory(roles=["agent"])]
    barrier = threading.Barrier(2)
    results = []

    def claim(who, name):
        translation.activate("en")
        try:
            barrier.wait(timeout=10)
            services.claim_release(item_id=item.pk, by=who, claimant_name=name, id_type="resident_id",
                                   id_number="110101199001011234", phone="13900000000",
                                   description_given="黑色手机", verified_by=who, signed_on_paper=True)
            results.append(("ok", name))
        except services.AlreadyClaimed as exc:
            results.append(("already", str(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(agents[i], f"认领人{i}")) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(r[0] for r in results) == ["already", "ok"]
    assert f"Item {item.number} is already claimed." in [r[1] for r in results]
    winner = next(r[1] for r in results if r[0] == "ok")
    assert Claim.objects.get().claimant_name == winner
    assert FoundItem.objects.get(pk=item.pk).status == "claimed"
    assert item.events.filter(action="claim").count() == 1
