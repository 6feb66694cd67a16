"""Seed the standard scripts (标准话术, REGULATIONS §2), a holiday list and the intake settings row.
Managers edit them afterwards; re-running never overwrites their edits."""

import datetime as dt

from django.db import migrations

SCRIPTS = [
    ("answer", 10, "您好，XX客服中心，工号XXX为您服务，请问有什么可以帮您？"),
    ("outbound", 20, "您好，我是XX客服中心的客服专员XXX，工号XXX，请问您是XX先生/女士吗？现在方便接听电话吗？"),
    ("hold", 30, "请您稍等，我马上为您查询。"),
    ("after_hold", 40, "感谢您的耐心等待。"),
    ("cannot_hear", 50, "对不起，我听不清楚您的声音，请您大声一点好吗？"),
    ("apology", 60, "非常抱歉给您带来了不便，我们一定认真处理，并尽快给您答复。"),
    ("before_closing", 70, "请问还有什么可以帮您？"),
    ("closing", 80, "感谢您的来电，祝您生活愉快，再见！"),
    ("closing_survey", 90, "感谢您的来电，稍后请您对我的服务进行评价，祝您生活愉快，再见！"),
    ("forbidden", 100, "这不是我的工作。\n我不知道。\n这不归我们管。\n你自己去问。\n我们就是这样规定的。\n不可能！"),
]

# Dates follow the State Council's yearly notice; managers add next year's when it is published.
HOLIDAYS = [
    ("国庆节", dt.date(2026, 10, 1), dt.date(2026, 10, 7),
     "您好，XX客服中心祝您国庆快乐！工号XXX为您服务，请问有什么可以帮您？"),
    ("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 3),
     "您好，XX客服中心祝您元旦快乐！工号XXX为您服务，请问有什么可以帮您？"),
    ("春节", dt.date(2027, 2, 5), dt.date(2027, 2, 11),
     "您好，XX客服中心给您拜年了！工号XXX为您服务，请问有什么可以帮您？"),
]


def seed(apps, schema_editor):
    Script = apps.get_model("tickets", "Script")
    Holiday = apps.get_model("tickets", "Holiday")
    IntakeSettings = apps.get_model("tickets", "IntakeSettings")
    for kind, order, text in SCRIPTS:
        Script.objects.get_or_create(kind=kind, defaults={"order": order, "text": text})
    for name, start, end, greeting in HOLIDAYS:
        Holiday.objects.get_or_create(name=name, start_date=start, defaults={"end_date": end, "greeting": greeting})
    if not IntakeSettings.objects.exists():
        IntakeSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_intake")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
