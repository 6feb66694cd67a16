"""Ship China's public holidays and make-up working days (补班) for every year the ``chinese-calendar`` package
carries from the State Council's notices (REGULATIONS §9). Nothing is invented: a year the package lacks is
entered by a manager when its notice comes out."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _rows():
    from chinese_calendar import constants

    for kind, table in (("holiday", constants.holidays), ("makeup", constants.workdays)):
        for day, holiday in sorted(table.items()):
            label = getattr(holiday, "value", str(holiday))
            if isinstance(label, tuple):
                label = label[0]
            yield day, kind, NAMES.get(label, label)


def ship(apps, schema_editor):
    PublicDay = apps.get_model("staff", "PublicDay")
    have = set(PublicDay.objects.filter(voided_at__isnull=True).values_list("date", flat=True))
    PublicDay.objects.bulk_create([PublicDay(date=day, kind=kind, name=name, source="package")
                                   for day, kind, name in _rows() if day not in have])


def unship(apps, schema_editor):
    apps.get_model("staff", "PublicDay").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("staff", "0021_working_calendars")]
    operations = [migrations.RunPython(ship, unship)]
