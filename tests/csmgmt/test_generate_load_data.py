"""``python -m bench.generate_load_data``: the benchmark filler writes what it says, over the span it is given."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.generate_load_data import run
from complaints.models import OPEN_STAGES, Complaint
from lostfound.models import FoundItem
from staff.models import Employee
from tickets.models import Call

pytestmark = pytest.mark.django_db


def test_fills_calls_complaints_people_and_items_over_the_days_given():
    call_command("load_demo", "--force", stdout=io.StringIO())
    demo_calls, demo_complaints, demo_items = Call.objects.count(), Complaint.objects.count(), FoundItem.objects.count()
    out = io.StringIO()

    run(employees=25, calls=600, complaints=40, found_items=12, months=1, days=5, stdout=out)

    generated = Employee.objects.filter(employee_no__startswith="LT").order_by("employee_no")
    assert [e.employee_no for e in generated[:2]] == ["LT00000", "LT00001"]
    assert generated.count() == 25
    # the first of each team of 20 supervises it
    assert set(generated.exclude(employee_no__in=["LT00000", "LT00020"]).values_list("supervisor__employee_no",
                                                                                       flat=True)) == {"LT00000", "LT00020"}
    new_calls = Call.objects.filter(agent__employee_no__startswith="LT")
    assert Call.objects.count() - demo_calls == new_calls.count() == 600
    first_day = timezone.localdate() - dt.timedelta(days=4)
    assert not new_calls.filter(received_at__date__lt=first_day).exists()
    assert not new_calls.filter(received_at__gt=timezone.now()).exists()
    assert all(name and "\u4e00" <= name[0] <= "\u9fff" for name in new_calls.values_list("caller_name", flat=True)
               .exclude(caller_name="")[:50])
    assert Complaint.objects.count() - demo_complaints == 40
    assert FoundItem.objects.count() - demo_items == 12
    # five days at the full rate: none older than the ten days after which the generator closes them
    new_complaints = Complaint.objects.filter(agent__employee_no__startswith="LT")
    assert new_complaints.count() == 40
    assert new_complaints.filter(stage__in=OPEN_STAGES).count() == 40
    assert "done in" in out.getvalue()


def test_without_days_the_calls_spread_over_the_months():
    call_command("load_demo", "--force", stdout=io.StringIO())
    run(employees=5, calls=2000, months=3, stdout=io.StringIO())

    new_calls = Call.objects.filter(agent__employee_no__startswith="LT")
    oldest = new_calls.order_by("received_at").values_list("received_at", flat=True).first()
    assert timezone.now() - oldest > dt.timedelta(days=60)
    assert not new_calls.filter(received_at__lt=timezone.now() - dt.timedelta(days=90)).exists()
