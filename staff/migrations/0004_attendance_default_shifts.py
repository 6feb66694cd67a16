import datetime as dt

from django.db import migrations

# REGULATIONS §4: the default shifts (managers add and edit more on the shift settings page).
SHIFTS = [
    ("A", "A班", False, dt.time(8, 0), dt.time(17, 0), False),
    ("B", "B班", False, dt.time(10, 0), dt.time(19, 0), False),
    ("W", "周末/节假日班", False, dt.time(9, 0), dt.time(18, 0), False),
    ("N", "夜班", False, dt.time(17, 30), dt.time(1, 0), True),
    ("REST", "休息", True, None, None, False),
]


def create_shifts(apps, schema_editor):
    Shift = apps.get_model("staff", "Shift")
    for code, name, is_rest, start, end, crosses in SHIFTS:
        Shift.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_rest": is_rest, "start": start, "end": end, "crosses_midnight": crosses},
        )


class Migration(migrations.Migration):
    dependencies = [("staff", "0003_attendance_models")]
    operations = [migrations.RunPython(create_shifts, migrations.RunPython.noop)]
