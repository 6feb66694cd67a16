"""load_demo: the demo department's targets from last month on, so the demo month shows its figures against them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from targets.models import MonthFigure, Target


@pytest.fixture
def demo(db, settings, tmp_path, django_capture_on_commit_callbacks):
    from complaints import demo as complaints_demo
    from staff import demo as staff_demo
    from targets import demo
    from tickets import demo as tickets_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"
    staff_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        tickets_demo.load()
        complaints_demo.load()
    demo.load()
    return demo


def test_demo_targets_load_twice_without_new_rows_or_trail(demo):
    first = (Target.objects.count(), Target.history.count(), MonthFigure.objects.count())
    demo.load()
    assert (Target.objects.count(), Target.history.count(), MonthFigure.objects.count()) == first
    assert dict(Target.objects.values_list("figure", "value")) == {
        "first_contact": Decimal("80.00"), "reply_on_time": Decimal("90.00"), "clocks_met": Decimal("85.00"),
        "revisit_rate": Decimal("100.00"), "satisfaction": Decimal("4.20"), "qa_score": Decimal("85.00")}


def test_the_demo_month_shows_figures_against_the_targets(demo, client):
    from staff.models import Employee

    client.force_login(Employee.objects.get(employee_no="CS001").user)
    page = client.get(reverse("targets:department")).content.decode()
    assert 'id="targets-empty"' not in page
    assert "80.0%" in page  # the first-contact target
    assert "text-success" in page or "text-danger" in page  # at least one figure measured against its target
