"""Call events become the workflow's trail (tickets/workflow.py): the status before and after each move, the
move's data, nobody as the actor for the product's own moves, and the move's own time. Existing rows get the
statuses their kind makes certain (a close was open → closed, a reopening closed → open, a hand-over and a
department reply happened on an open call, a voiding ended voided); the rest stay blank (not known)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


CERTAIN = {  # kind -> (status before, status after)
    "closed": ("open", "closed"),
    "reopened": ("closed", "open"),
    "handover": ("open", "open"),
    "department_reply": ("open", "open"),
    "voided": ("", "voided"),
}


def fill_statuses(apps, schema_editor):
    CallEvent = apps.get_model("tickets", "CallEvent")
    for kind, (before, after) in CERTAIN.items():
        CallEvent.objects.filter(kind=kind).update(from_status=before, to_status=after)


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0009_notification_moves_to_the_ground'),
        ('tickets', '0008_call_search_trigram_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='callevent',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='data'),
        ),
        migrations.AddField(
            model_name='callevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('open', 'Open'), ('closed', 'Closed'), ('voided', 'Voided')], max_length=10, verbose_name='status before'),
        ),
        migrations.AddField(
            model_name='callevent',
            name='to_status',
            field=models.CharField(blank=True, choices=[('open', 'Open'), ('closed', 'Closed'), ('voided', 'Voided')], max_length=10, verbose_name='status after'),
        ),
        migrations.AlterField(
            model_name='callevent',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='at'),
        ),
        migrations.AlterField(
            model_name='callevent',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.employee', verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='callevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Logged'), ('note', 'Follow-up note'), ('department_reply', 'Department reply'), ('handover', 'Handed over'), ('closed', 'Closed'), ('voided', 'Voided'), ('reopened', 'Reopened'), ('complaint', 'Opened as a complaint')], max_length=20, verbose_name='kind'),
        ),
        migrations.RunPython(fill_statuses, migrations.RunPython.noop),
    ]
