"""Exempt tiers: occurrences that are allowed (no record, not a violation). REGULATIONS §5 penalises only
the compensatory (调休) days beyond 4 in a month, so the 0-cost tier 1–4 of every ``comp_leave_day`` rule
(the "points" preset and any copy of it) becomes exempt. Each change is written to the tier's history."""

from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone

REASON = "REGULATIONS §5: the first 4 compensatory days are allowed"


def comp_days_exempt(apps, schema_editor):
    Tier = apps.get_model("staff", "Tier")
    HistoricalTier = apps.get_model("staff", "HistoricalTier")
    tiers = Tier.objects.filter(rule__event_kind="comp_leave_day", first=1, last=4, points=Decimal("0"),
                                money=Decimal("0"), exempt=False)
    now = timezone.now()
    for tier in tiers:
        tier.exempt = True
        tier.save(update_fields=["exempt"])
        HistoricalTier.objects.create(
            id=tier.pk, rule_id=tier.rule_id, first=tier.first, last=tier.last, points=tier.points,
            money=tier.money, exempt=True, history_date=now, history_type="~", history_change_reason=REASON)


def comp_days_counted(apps, schema_editor):
    Tier = apps.get_model("staff", "Tier")
    Tier.objects.filter(rule__event_kind="comp_leave_day", first=1, last=4, exempt=True).update(exempt=False)


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0005_merge_20261123_2012'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltier',
            name='exempt',
            field=models.BooleanField(default=False, help_text='Allowed occurrences: no record and not a violation (e.g. the first 4 compensatory days).', verbose_name='exempt'),
        ),
        migrations.AddField(
            model_name='tier',
            name='exempt',
            field=models.BooleanField(default=False, help_text='Allowed occurrences: no record and not a violation (e.g. the first 4 compensatory days).', verbose_name='exempt'),
        ),
        migrations.RunPython(comp_days_exempt, comp_days_counted),
    ]
