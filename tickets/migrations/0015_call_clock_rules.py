"""Clocks of a call on working calendars (REGULATIONS §9): a unit per intake clock (calendar time by default, as
before), and each call's clock rules and call-back due time stored when the clock starts. Existing calls: an open
repair request transferred gets its call-back mark as it was computed until now (received + the minutes, calendar
time); a reply due time equal to the default of the settings gets the calendar rule; any other is a given time."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def forward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # the updates' deferred trigger events would block the indexes created after this step
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _backfill(apps)
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def _backfill(apps):
    Call = apps.get_model("tickets", "Call")
    Settings = apps.get_model("tickets", "IntakeSettings")
    settings = Settings.objects.order_by("pk").first()
    phone, email, callback = ((settings.phone_reply_hours, settings.email_reply_hours,
                               settings.repair_callback_minutes) if settings else (2, 24, 20))
    repair = Call.objects.filter(category="repair", outcome="transferred")
    repair.filter(repair_callback_due_at__isnull=True).update(
        repair_callback_due_at=F("received_at") + dt.timedelta(minutes=callback), repair_callback_unit="calendar",
        repair_callback_length=callback)
    repair.filter(reply_due_at=F("received_at") + dt.timedelta(minutes=callback)).update(
        reply_due_unit="calendar", reply_due_minutes=callback)
    others = Call.objects.exclude(category="repair", outcome="transferred")
    others.filter(channel="email", reply_due_at=F("received_at") + dt.timedelta(hours=email)).update(
        reply_due_unit="calendar", reply_due_minutes=email * 60)
    others.exclude(channel="email").filter(reply_due_at=F("received_at") + dt.timedelta(hours=phone)).update(
        reply_due_unit="calendar", reply_due_minutes=phone * 60)


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0022_public_days_from_the_notices'),
        ('tickets', '0014_drop_call_intake_token'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='call',
            name='call_repair_waiting_idx',
        ),
        migrations.AddField(
            model_name='call',
            name='repair_callback_calendar',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.department', verbose_name='call-back clock calendar'),
        ),
        migrations.AddField(
            model_name='call',
            name='repair_callback_due_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='call-back due'),
        ),
        migrations.AddField(
            model_name='call',
            name='repair_callback_length',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='call-back clock length, minutes'),
        ),
        migrations.AddField(
            model_name='call',
            name='repair_callback_unit',
            field=models.CharField(blank=True, choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], max_length=20, verbose_name='call-back clock counts'),
        ),
        migrations.AddField(
            model_name='call',
            name='reply_due_calendar',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='staff.department', verbose_name='reply clock calendar'),
        ),
        migrations.AddField(
            model_name='call',
            name='reply_due_minutes',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='reply clock length, minutes'),
        ),
        migrations.AddField(
            model_name='call',
            name='reply_due_unit',
            field=models.CharField(blank=True, choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], max_length=20, verbose_name='reply clock counts'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='repair_callback_calendar',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.department', verbose_name='call-back clock calendar'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='repair_callback_due_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='call-back due'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='repair_callback_length',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='call-back clock length, minutes'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='repair_callback_unit',
            field=models.CharField(blank=True, choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], max_length=20, verbose_name='call-back clock counts'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='reply_due_calendar',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='staff.department', verbose_name='reply clock calendar'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='reply_due_minutes',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='reply clock length, minutes'),
        ),
        migrations.AddField(
            model_name='historicalcall',
            name='reply_due_unit',
            field=models.CharField(blank=True, choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], max_length=20, verbose_name='reply clock counts'),
        ),
        migrations.AddField(
            model_name='historicalintakesettings',
            name='email_reply_unit',
            field=models.CharField(choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], default='calendar', help_text="Working time: the customer-service department's hours.", max_length=20, verbose_name='reply promised (email) counts'),
        ),
        migrations.AddField(
            model_name='historicalintakesettings',
            name='phone_reply_unit',
            field=models.CharField(choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], default='calendar', help_text="Working time: the customer-service department's hours.", max_length=20, verbose_name='reply promised (phone, walk-in, chat) counts'),
        ),
        migrations.AddField(
            model_name='historicalintakesettings',
            name='repair_callback_unit',
            field=models.CharField(choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], default='calendar', help_text="Working time: the customer-service department's hours.", max_length=20, verbose_name='repair call-back counts'),
        ),
        migrations.AddField(
            model_name='intakesettings',
            name='email_reply_unit',
            field=models.CharField(choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], default='calendar', help_text="Working time: the customer-service department's hours.", max_length=20, verbose_name='reply promised (email) counts'),
        ),
        migrations.AddField(
            model_name='intakesettings',
            name='phone_reply_unit',
            field=models.CharField(choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], default='calendar', help_text="Working time: the customer-service department's hours.", max_length=20, verbose_name='reply promised (phone, walk-in, chat) counts'),
        ),
        migrations.AddField(
            model_name='intakesettings',
            name='repair_callback_unit',
            field=models.CharField(choices=[('calendar', 'Calendar time'), ('working_hours', 'Working time')], default='calendar', help_text="Working time: the customer-service department's hours.", max_length=20, verbose_name='repair call-back counts'),
        ),
        migrations.AddIndex(
            model_name='call',
            index=models.Index(condition=models.Q(('category', 'repair'), ('repair_callback_reminded_at__isnull', True), ('repair_on_site_at__isnull', True), ('status', 'open')), fields=['repair_callback_due_at'], name='call_repair_waiting_idx'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
