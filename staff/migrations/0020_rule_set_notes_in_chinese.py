"""The two shipped rule sets' notes, in Chinese like their names and rules (they read half English). Only a
note still as shipped is changed: a note a manager edited stays theirs."""

from django.db import migrations

NOTES = {
    "points": ("001 篇三: monthly base of 10 points.", "每月基础分 10 分（依据《001》篇三）。"),
    "fines": ("000 民众康健 L748–L846: money in CNY, to the department fund.",
              "按人民币罚款，计入部门基金（依据《000 民众康健》第 748–846 行）。"),
}


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("staff", "RuleSet")
    for code, (old, new) in NOTES.items():
        RuleSet.objects.filter(code=code, description=old).update(description=new)


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("staff", "RuleSet")
    for code, (old, new) in NOTES.items():
        RuleSet.objects.filter(code=code, description=new).update(description=old)


class Migration(migrations.Migration):
    dependencies = [("staff", "0019_roster_and_day_status_read_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
