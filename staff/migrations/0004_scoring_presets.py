"""Install the two rule sets of REGULATIONS §5: "points" (active) and "fines", with the manual
categories their rules count. Idempotent: a preset that already exists is left as a manager edited it."""

from django.db import migrations

from staff.scoring.presets import presets_install


def install(apps, schema_editor):
    presets_install(apps)


class Migration(migrations.Migration):
    dependencies = [("staff", "0003_scoring_models")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
