"""A duty-log entry's state, from the signatures it has: signed by both once the incoming employee has signed,
signed by the outgoing once the outgoing employee has, a draft before (the history rows likewise)."""

from django.db import migrations


def fill(apps, schema_editor):
    for name in ("DutyLogEntry", "HistoricalDutyLogEntry"):
        model = apps.get_model("staff", name)
        model.objects.filter(incoming_signed_at__isnull=False).update(state="signed_by_both")
        model.objects.filter(incoming_signed_at__isnull=True, outgoing_signed_at__isnull=False).update(
            state="signed_by_outgoing")
        model.objects.filter(outgoing_signed_at__isnull=True).update(state="draft")


class Migration(migrations.Migration):
    dependencies = [("staff", "0010_attendance_workflow_events")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
