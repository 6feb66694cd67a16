"""Rules that spoil a clean month without counting as a violation. The fines preset rewarded "no violation
all month" (+¥100) to someone absent three days, because it had no attendance rules: it gets one rule per
attendance kind that costs nothing, does not count towards the department's violations, and spoils the
clean month. Each change is in the history."""

from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone

ATTENDANCE = [("late", "迟到 ≤ 30 分钟"), ("late_over_30", "迟到 > 30 分钟"), ("early", "早退 ≤ 30 分钟"),
              ("early_over_30", "早退 > 30 分钟"), ("missed_punch", "漏签 (月底未补卡)"), ("absent", "旷工 (每天)")]
REASON = "Attendance spoils the fines preset's clean month"


def _history(apps, model_name, obj, history_type):
    Historical = apps.get_model("staff", f"Historical{model_name}")
    Historical.objects.create(**{f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields},
                              history_date=timezone.now(), history_type=history_type,
                              history_change_reason=REASON)


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("staff", "RuleSet")
    Rule = apps.get_model("staff", "Rule")
    Tier = apps.get_model("staff", "Tier")
    fines = RuleSet.objects.filter(code="fines").first()
    if fines is None:
        return
    order = max(fines.rules.values_list("order", flat=True), default=0)
    for code, name in ATTENDANCE:
        rule = fines.rules.filter(code=code).first()
        if rule is None:
            order += 1
            rule = Rule.objects.create(rule_set=fines, code=code, name=name, event_kind=code,
                                       counts_as_violation=False, spoils_clean_month=True, order=order)
            _history(apps, "Rule", rule, "+")
            tier = Tier.objects.create(rule=rule, first=1, last=None, points=Decimal("0"), money=Decimal("0"))
            _history(apps, "Tier", tier, "+")
        elif rule.event_kind == code and not rule.counts_as_violation and not rule.spoils_clean_month:
            rule.spoils_clean_month = True  # installed by 0004 on a new database, before the field existed
            rule.save(update_fields=["spoils_clean_month"])
            _history(apps, "Rule", rule, "~")


def backwards(apps, schema_editor):
    pass  # the field goes away with the schema change; the rules stay (nothing is deleted)


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0007_missed_call_category'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalrule',
            name='spoils_clean_month',
            field=models.BooleanField(default=False, help_text='An occurrence loses the clean-month reward even when it is not counted as a violation.', verbose_name='spoils a clean month'),
        ),
        migrations.AddField(
            model_name='rule',
            name='spoils_clean_month',
            field=models.BooleanField(default=False, help_text='An occurrence loses the clean-month reward even when it is not counted as a violation.', verbose_name='spoils a clean month'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
