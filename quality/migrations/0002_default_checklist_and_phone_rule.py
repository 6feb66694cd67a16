"""The checklist REGULATIONS §10 ships (version 1: its items and points, 100 in all, each failed item becoming
the phone-handling violation of §5), and that violation's rule added to both scoring presets where missing: the
"fines" preset has it (¥20/¥50/¥100 tiers, dismissal at the 8th); the "points" preset gets −0.5 per occurrence
(our choice: as "day's work not finished")."""

from decimal import Decimal as D

from django.db import migrations

ITEMS = [("开场问候及标准话术", 15), ("语言规范", 15), ("服务态度", 20), ("解答准确", 20), ("问题解决", 15),
         ("未使用禁用语", 10), ("记录完整", 5)]

# preset code -> (tiers (first, last, points, money), thresholds (at, points, money, flag))
PHONE_RULE = {
    "points": ([(1, None, D("-0.5"), D("0"))], []),
    "fines": ([(1, 2, D("0"), D("-20")), (3, 4, D("0"), D("-50")), (5, 7, D("0"), D("-100"))],
              [(8, D("0"), D("0"), "dismissal")]),
}


def forwards(apps, schema_editor):
    ManualCategory = apps.get_model("staff", "ManualCategory")
    RuleSet = apps.get_model("staff", "RuleSet")
    Rule = apps.get_model("staff", "Rule")
    Tier = apps.get_model("staff", "Tier")
    Threshold = apps.get_model("staff", "Threshold")
    ChecklistVersion = apps.get_model("quality", "ChecklistVersion")
    ChecklistItem = apps.get_model("quality", "ChecklistItem")
    QualitySettings = apps.get_model("quality", "QualitySettings")

    category, _ = ManualCategory.objects.get_or_create(
        code="phone_rule", defaults={"name": "电话接听规范违规", "kind": "violation"})
    for code, (tiers, extras) in PHONE_RULE.items():
        rule_set = RuleSet.objects.filter(code=code).first()
        if rule_set is None or Rule.objects.filter(rule_set=rule_set, event_kind="manual:phone_rule").exists():
            continue
        if Rule.objects.filter(rule_set=rule_set, code="phone_rule").exists():
            continue
        last = Rule.objects.filter(rule_set=rule_set).order_by("-order").first()
        rule = Rule.objects.create(rule_set=rule_set, code="phone_rule", name="电话接听规范违规",
                                   event_kind="manual:phone_rule", counts_as_violation=True,
                                   order=(last.order if last else 0) + 1)
        for first, last_n, points, money in tiers:
            Tier.objects.create(rule=rule, first=first, last=last_n, points=points, money=money)
        for at, points, money, flag in extras:
            Threshold.objects.create(rule=rule, at=at, points=points, money=money, flag=flag)
    if not ChecklistVersion.objects.exists():
        version = ChecklistVersion.objects.create(number=1, note="REGULATIONS §10")
        for order, (name, points) in enumerate(ITEMS, start=1):
            ChecklistItem.objects.create(version=version, order=order, name=name, points=points,
                                         violation_category=category)
    QualitySettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
