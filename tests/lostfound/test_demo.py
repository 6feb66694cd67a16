import pytest

from lostfound.models import Claim, FoundItem, HandoverBatch, LostReport


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates(make_employee):
    from staff import demo as staff_demo

    from lostfound import demo

    staff_demo.load()
    demo.load()
    counts = (FoundItem.objects.count(), LostReport.objects.count(), Claim.objects.count(),
              HandoverBatch.objects.count())
    demo.load()
    assert (FoundItem.objects.count(), LostReport.objects.count(), Claim.objects.count(),
            HandoverBatch.objects.count()) == counts == (8, 3, 1, 1)
    assert set(FoundItem.objects.values_list("status", flat=True)) == {"registered", "stored", "claimed"}
