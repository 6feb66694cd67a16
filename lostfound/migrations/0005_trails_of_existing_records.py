"""The trails of lost reports and finance handovers start with the records that exist already: each gets the
events that can be known — a report's registration (by whoever received it) and its closing move (when and by
whom, from its edit history); a handover's preparation and, once handed over, its confirmation. Rows written
here carry ``data = {"backfilled": true}``."""

from django.db import migrations

BACKFILLED = {"backfilled": True}


def _first_history(model, statuses):
    """{(record id, status): (history date, user id)} of the first history row in each status."""
    first = {}
    rows = (model.objects.filter(status__in=statuses).order_by("id", "history_date", "history_id")
            .values_list("id", "status", "history_date", "history_user_id"))
    for pk, status, at, user_id in rows.iterator():
        first.setdefault((pk, status), (at, user_id))
    return first


def forwards(apps, schema_editor):
    Employee = apps.get_model("staff", "Employee")
    LostReport = apps.get_model("lostfound", "LostReport")
    LostReportEvent = apps.get_model("lostfound", "LostReportEvent")
    HandoverBatch = apps.get_model("lostfound", "HandoverBatch")
    HandoverBatchEvent = apps.get_model("lostfound", "HandoverBatchEvent")
    employee_of = dict(Employee.objects.values_list("user_id", "pk"))

    closed = _first_history(apps.get_model("lostfound", "HistoricalLostReport"), ["claimed", "withdrawn"])
    events = []
    for r in LostReport.objects.exclude(events__isnull=False).order_by("pk").iterator():
        events.append(LostReportEvent(report_id=r.pk, action="register", from_state="", to_state="open",
                                      by_id=r.received_by_id, at=r.registered_at, data=BACKFILLED))
        if r.status in ("claimed", "withdrawn"):
            at, user_id = closed.get((r.pk, r.status), (r.updated_at, None))
            by = employee_of.get(user_id) if r.status == "withdrawn" else None  # a claim closes it: the product
            events.append(LostReportEvent(report_id=r.pk, action="withdraw" if r.status == "withdrawn" else "claim",
                                          from_state="open", to_state=r.status, by_id=by, at=at,
                                          comment=r.closing_note, data=BACKFILLED))
    LostReportEvent.objects.bulk_create(events, batch_size=1000)

    prepared = _first_history(apps.get_model("lostfound", "HistoricalHandoverBatch"), ["prepared"])
    events = []
    for b in HandoverBatch.objects.exclude(events__isnull=False).order_by("pk"):
        _at, user_id = prepared.get((b.pk, "prepared"), (None, None))
        events.append(HandoverBatchEvent(batch_id=b.pk, action="prepare", from_state="", to_state="prepared",
                                         by_id=employee_of.get(user_id), at=b.prepared_at, data=BACKFILLED))
        if b.status == "confirmed":
            events.append(HandoverBatchEvent(
                batch_id=b.pk, action="confirm", from_state="prepared", to_state="confirmed", by_id=b.confirmed_by_id,
                at=b.confirmed_at, comment=b.note, data={**BACKFILLED, "finance_receiver": b.finance_receiver}))
    HandoverBatchEvent.objects.bulk_create(events, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("lostfound", "0004_workflow_events"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
