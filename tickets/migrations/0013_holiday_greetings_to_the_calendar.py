"""The scripts' holiday list gives way to the working calendar (REGULATIONS §9): each holiday greeting moves onto
the calendar's public holidays of its dates; a row whose dates the State Council's notice does not list as holidays
(e.g. a year without a notice yet) gives its greeting to the latest holidays of the same name, so it is answered
on that holiday in the years to come. The old rows stay in their table, unused (nothing is deleted)."""

import datetime as dt

from django.db import migrations


def move(apps, schema_editor):
    Holiday = apps.get_model("tickets", "Holiday")
    PublicDay = apps.get_model("staff", "PublicDay")
    current = PublicDay.objects.filter(voided_at__isnull=True, kind="holiday")
    for h in Holiday.objects.filter(active=True).order_by("start_date", "pk"):
        on_dates = current.filter(date__range=(h.start_date, h.end_date))
        if on_dates.exists():
            on_dates.filter(greeting="").update(greeting=h.greeting)
            continue
        latest = current.filter(name=h.name).order_by("-date").values_list("date", flat=True).first()
        if latest is not None:
            current.filter(name=h.name, date__year=latest.year, greeting="").update(greeting=h.greeting)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0012_call_called_again"), ("staff", "0022_public_days_from_the_notices")]
    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
