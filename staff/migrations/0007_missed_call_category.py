"""The points preset's row "missed calls/messages that drew a complaint" (0 each; −5 at 3; another −5 at 5)
counted an event nothing produced. A supervisor now records it as a manual violation of the category
``missed_call_complaint``, and the preset's rule counts that category. Both changes are in the history."""

from django.db import migrations
from django.utils import timezone

CODE = "missed_call_complaint"
OLD_KIND = "complaint_missed_call"
NEW_KIND = f"manual:{CODE}"
REASON = "Missed calls that drew a complaint are recorded by supervisors"


def _history(apps, model_name, obj, history_type):
    Historical = apps.get_model("staff", f"Historical{model_name}")
    Historical.objects.create(**{f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields},
                              history_date=timezone.now(), history_type=history_type,
                              history_change_reason=REASON)


def forwards(apps, schema_editor):
    ManualCategory = apps.get_model("staff", "ManualCategory")
    Rule = apps.get_model("staff", "Rule")
    category, created = ManualCategory.objects.get_or_create(
        code=CODE, defaults={"name": "漏接电话/留言引起投诉", "kind": "violation"})
    if created:
        _history(apps, "ManualCategory", category, "+")
    for rule in Rule.objects.filter(rule_set__code="points", code="complaint_missed_call", event_kind=OLD_KIND):
        rule.event_kind = NEW_KIND
        rule.save(update_fields=["event_kind"])
        _history(apps, "Rule", rule, "~")


def backwards(apps, schema_editor):
    Rule = apps.get_model("staff", "Rule")
    Rule.objects.filter(rule_set__code="points", code="complaint_missed_call", event_kind=NEW_KIND).update(
        event_kind=OLD_KIND)


class Migration(migrations.Migration):
    dependencies = [("staff", "0006_tier_exempt")]
    operations = [migrations.RunPython(forwards, backwards)]
