"""The trails of the rows that existed before scoring moved onto the workflow engine.

- The month's events get their from/to: a closing open → closed, a reopening closed → open, a computation
  (a note: it moves nothing) "" → open.
- Each appeal: filed ("" → pending, by the employee, at its filing), then its decision (pending → upheld or
  rejected, by whoever decided, with the reason) when it was decided.
- Each penalty record: computed ("" → active, by the product, at its creation), appealed (active → active, by
  the employee) when it was, and its move to voided (the upheld appeal's time) or withdrawn (the time of its last
  change in the history) when it no longer counts. ``data`` says the row was written here.
"""

from django.db import migrations
from django.db.models import Max

BATCH = 1000
MIGRATED = {"migrated": True}


def _flush(model, rows, force=False):
    if rows and (force or len(rows) >= BATCH):
        model.objects.bulk_create(rows, batch_size=BATCH)
        rows.clear()


def forwards(apps, schema_editor):
    ScoreMonthEvent = apps.get_model("staff", "ScoreMonthEvent")
    Appeal = apps.get_model("staff", "Appeal")
    AppealEvent = apps.get_model("staff", "AppealEvent")
    PenaltyRecord = apps.get_model("staff", "PenaltyRecord")
    PenaltyRecordEvent = apps.get_model("staff", "PenaltyRecordEvent")
    HistoricalPenaltyRecord = apps.get_model("staff", "HistoricalPenaltyRecord")

    ScoreMonthEvent.objects.filter(action="close").update(from_state="open", to_state="closed")
    ScoreMonthEvent.objects.filter(action="reopen").update(from_state="closed", to_state="open")
    ScoreMonthEvent.objects.filter(action="materialise").update(from_state="", to_state="open")

    rows = []
    appeals = {}
    for a in Appeal.objects.order_by("pk").iterator(chunk_size=BATCH):
        appeals[a.record_id] = (a.employee_id, a.created, a.status, a.decided_at)
        rows.append(AppealEvent(appeal_id=a.pk, action="file", from_state="", to_state="pending",
                                by_id=a.employee_id, at=a.created, comment=a.reason, data=MIGRATED))
        if a.status != "pending":
            rows.append(AppealEvent(appeal_id=a.pk, action="uphold" if a.status == "upheld" else "reject",
                                    from_state="pending", to_state=a.status, by_id=a.decided_by_id,
                                    at=a.decided_at or a.created, comment=a.decision_reason, data=MIGRATED))
        _flush(AppealEvent, rows)
    _flush(AppealEvent, rows, force=True)

    last_change = dict(HistoricalPenaltyRecord.objects.exclude(status="active").values("id")
                       .annotate(at=Max("history_date")).values_list("id", "at"))
    for r in PenaltyRecord.objects.order_by("pk").iterator(chunk_size=BATCH):
        rows.append(PenaltyRecordEvent(record_id=r.pk, action="create", from_state="", to_state="active",
                                       at=r.created, data=MIGRATED))
        appeal = appeals.get(r.pk)
        if appeal is not None:
            rows.append(PenaltyRecordEvent(record_id=r.pk, action="appeal", from_state="active", to_state="active",
                                           by_id=appeal[0], at=appeal[1], data=MIGRATED))
        if r.status == "voided":
            at = appeal[3] if appeal is not None and appeal[2] == "upheld" and appeal[3] else last_change.get(r.pk)
            rows.append(PenaltyRecordEvent(record_id=r.pk, action="void", from_state="active", to_state="voided",
                                           at=at or r.created, comment=r.void_reason, data=MIGRATED))
        elif r.status == "withdrawn":
            rows.append(PenaltyRecordEvent(record_id=r.pk, action="withdraw", from_state="active",
                                           to_state="withdrawn", at=last_change.get(r.pk) or r.created,
                                           data=MIGRATED))
        _flush(PenaltyRecordEvent, rows)
    _flush(PenaltyRecordEvent, rows, force=True)


def backwards(apps, schema_editor):
    apps.get_model("staff", "AppealEvent").objects.all().delete()
    apps.get_model("staff", "PenaltyRecordEvent").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0010_scoring_workflow_events"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
