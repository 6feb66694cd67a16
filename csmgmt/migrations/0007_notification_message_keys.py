"""Notices are stored as a message key with its parameters and rendered in the reader's language. The notices
already sent are matched back to their key where their words fit a catalogued message (Chinese or English);
the others keep their words as they are."""

from django.db import migrations, models


def keys_from_words(apps, schema_editor):
    from csmgmt.core.notices import legacy_match, legacy_templates

    Notification = apps.get_model("csmgmt", "Notification")
    rows = Notification.objects.filter(msgid="").only("pk", "text")
    if not rows.exists():
        return
    templates = legacy_templates()
    changed = []
    for notice in rows.iterator(chunk_size=2000):
        found = legacy_match(notice.text, templates)
        if found is None:
            continue
        notice.msgid, notice.msgctxt, notice.params = found
        changed.append(notice)
        if len(changed) >= 2000:
            Notification.objects.bulk_update(changed, ["msgid", "msgctxt", "params"])
            changed = []
    if changed:
        Notification.objects.bulk_update(changed, ["msgid", "msgctxt", "params"])


class Migration(migrations.Migration):

    dependencies = [
        ("csmgmt", "0006_notification_moves_to_the_ground"),
        ("staff", "0009_notification_moves_to_the_ground"),
    ]

    operations = [
        migrations.AddField(model_name="notification", name="msgid",
                            field=models.TextField(blank=True, verbose_name="message key")),
        migrations.AddField(model_name="notification", name="msgctxt",
                            field=models.CharField(blank=True, max_length=100, verbose_name="message context")),
        migrations.AddField(model_name="notification", name="params",
                            field=models.JSONField(blank=True, default=dict, verbose_name="parameters")),
        migrations.RunPython(keys_from_words, migrations.RunPython.noop, elidable=True),
    ]
