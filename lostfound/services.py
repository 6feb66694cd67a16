"""Every write of the lost-and-found registers (REGULATIONS §6).

Found items, lost reports and finance handovers move only through the workflow engine
(``csmgmt.core.workflow.transition``) by the tables of :mod:`lostfound.workflow`: the row locked, the move
checked against the table and the employee's roles, the state set, an event row written (who, when, from, to,
comment, data). A new record starts in its initial state with its first event from ``record_created``."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.numbering import number_next
from csmgmt.core.roles import Role
from csmgmt.core.workflow import event_write, record_created, transition
from staff.models import Employee
from tickets.phones import PhoneRejected, checked_phone

from .images import image_store, signature_store
from .models import (VALUABLE_CATEGORIES, CategoryRetention, Claim, FoundItem, FoundItemEvent, FoundItemPhoto,
                     HandoverBatch, LostReport)
from .selectors import handover_due_items, lostfound_settings
from .workflow import FOUND_ITEM, HANDOVER_BATCH, LOST_REPORT, AlreadyClaimed, LostfoundError


def _user(employee):
    return employee.user if employee is not None else None


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, lostfound_settings().custody_time))


def _phone(raw: str) -> str:
    """The one rule for phone numbers (``tickets.phones.checked_phone``), refused as this app's error."""
    try:
        return checked_phone(raw)
    except PhoneRejected as exc:
        raise LostfoundError(str(exc)) from None


# --- registers ---------------------------------------------------------------------------------------


def found_item_register(
    *, by: Employee, source: str, category: str, description: str, features: str = "", found_place: str,
    found_at: dt.datetime, finder_name: str = "", finder_phone: str = "", finder_employee: Employee | None = None,
    valuable: bool | None = None, team_lead: str = "", witness: str = "", photo=None,
) -> FoundItem:
    """Register a found item (number ``SW-YYYYMM-NNNN``). On-site records (REGULATIONS §6) need the
    team lead, the finder (a name or an employee) and a witness, and are flagged late when they reach
    the centre after the end of the day found."""
    if source == FoundItem.Source.ON_SITE and not (
            team_lead.strip() and witness.strip() and (finder_employee is not None or finder_name.strip())):
        raise LostfoundError(_("An item returned on the spot needs the team lead, the finder and a witness."))
    if source == FoundItem.Source.EMPLOYEE and finder_employee is None and not finder_name.strip():
        raise LostfoundError(_("Name the employee who found the item."))
    finder_phone = _phone(finder_phone)
    now = timezone.now()
    if found_at > now + dt.timedelta(minutes=5):
        raise LostfoundError(_("The time found cannot be in the future."))
    if valuable is None:
        valuable = category in VALUABLE_CATEGORIES
    late = source == FoundItem.Source.ON_SITE and now > _end_of_day(timezone.localtime(found_at).date())
    with transaction.atomic():
        item = FoundItem(
            number=number_next(prefix="SW", period=timezone.localdate(now).strftime("%Y%m")),
            source=source, category=category, description=description.strip(), features=features.strip(),
            found_place=found_place.strip(), found_at=found_at, finder_name=finder_name.strip(),
            finder_phone=finder_phone, finder_employee=finder_employee, received_by=by,
            valuable=valuable, team_lead=team_lead.strip(), witness=witness.strip(), late_record=late,
        )
        if finder_employee is not None and not item.finder_name:
            item.finder_name = finder_employee.name
        item._history_user = _user(by)
        item.save()
        record_created(FOUND_ITEM, item, by=by, action="register", at=now,
                       comment=_("Late record: registered after the end of the day found.") if late else "")
        if photo is not None:
            found_item_add_photo(item=item, photo=photo, by=by)
    return item


def found_item_add_photo(*, item: FoundItem, photo, by: Employee) -> FoundItemPhoto:
    original, display, thumb = image_store(photo, folder="lostfound/photos")
    with transaction.atomic():
        return FoundItemPhoto.objects.create(item=item, original=original, display=display, thumbnail=thumb,
                                             uploaded_by=by)


def lost_report_register(
    *, by: Employee, owner_name: str, owner_phone: str, category: str, description: str, features: str = "",
    lost_place: str = "", lost_at: dt.datetime,
) -> LostReport:
    phone = _phone(owner_phone)
    if not phone:
        raise LostfoundError(_("Give the owner's phone number so that we can call back."))
    if lost_at > timezone.now() + dt.timedelta(minutes=5):
        raise LostfoundError(_("The time lost cannot be in the future."))
    with transaction.atomic():
        report = LostReport(
            number=number_next(prefix="GS", period=timezone.localdate().strftime("%Y%m")),
            owner_name=owner_name.strip(), owner_phone=phone, category=category, description=description.strip(),
            features=features.strip(), lost_place=lost_place.strip(), lost_at=lost_at, received_by=by,
        )
        report._history_user = _user(by)
        report.save()
        record_created(LOST_REPORT, report, by=by, action="register")
    return report


def lost_report_mark_contacted(*, report: LostReport, item: FoundItem, by: Employee) -> LostReport:
    """The agent phoned the owner about ``item`` (主动联系游客前来认领)."""
    with transaction.atomic():
        report = LostReport.objects.select_for_update().get(pk=report.pk)
        if report.status != LostReport.Status.OPEN:
            raise LostfoundError(_("Lost report %(number)s is no longer open.") % {"number": report.number})
        if not item.is_open:
            raise LostfoundError(_("Item %(number)s is no longer held.") % {"number": item.number})
        now = timezone.now()
        report.matched_item = item
        report.contacted_at = now
        report.contacted_by = by
        report._history_user = _user(by)
        report.save(update_fields=["matched_item", "contacted_at", "contacted_by", "updated_at"])
        # a note on both trails (the contact moves neither record)
        event_write(FOUND_ITEM, item, action="owner_contacted", from_state="", to_state="", by=by, at=now,
                    comment=_("Owner of lost report %(number)s contacted.") % {"number": report.number},
                    data={"lost_report": report})
        event_write(LOST_REPORT, report, action="owner_contacted", from_state="", to_state="", by=by, at=now,
                    comment=_("Owner contacted about item %(number)s.") % {"number": item.number},
                    data={"item": item})
    return report


def lost_report_withdraw(*, report: LostReport, by: Employee, reason: str) -> LostReport:
    """The owner no longer looks for the item (found it, gave up): the report is withdrawn with the reason."""
    reason = reason.strip()
    if not reason:
        raise LostfoundError(_("Give a reason."))

    def apply(rec, ctx):
        rec.closing_note = reason
        rec._history_user = _user(by)

    return transition(LOST_REPORT, report, "withdraw", by=by, comment=reason, apply=apply)


def _lost_report_claimed(*, report: LostReport, item: FoundItem, claim: Claim) -> LostReport:
    """The product closes an open lost report whose item was just released (``SYSTEM``); its edit trail names
    the employee who released the item."""
    note = _("Item %(number)s claimed.") % {"number": item.number}

    def apply(rec, ctx):
        rec.matched_item = item
        rec.closing_note = note
        rec._history_user = _user(claim.released_by)

    return transition(LOST_REPORT, report, "claim", by=None, comment=note, data={"item": item, "claim": claim},
                      apply=apply)


# --- custody and disposal -------------------------------------------------------------------------------


def found_item_store(*, item: FoundItem, by: Employee, storage_place: str, handover_person: str,
                     comment: str = "") -> FoundItem:
    """The custodian takes the item into custody: the storage place and who handed it over (交接人)."""
    place, person = storage_place.strip(), handover_person.strip()
    if not place or not person:
        raise LostfoundError(_("Record the storage place and the person who handed the item over."))

    def apply(rec, ctx):
        rec.storage_place = place
        rec.custody_handover_person = person
        rec.custody_by = by
        rec.custody_at = ctx.now

    return transition(
        FOUND_ITEM, item, "store", by=by, apply=apply, data={"storage_place": place, "handover_person": person},
        comment=comment or _("Stored at %(place)s, handed over by %(person)s.") % {"place": place, "person": person},
    )


def found_item_dispose(*, item: FoundItem, by: Employee, reason: str) -> FoundItem:
    """Disposed (perishable, worthless): the item stays in the register with the reason."""
    if not reason.strip():
        raise LostfoundError(_("Give a reason."))
    return transition(FOUND_ITEM, item, "dispose", by=by, comment=reason.strip())


def found_item_hand_to_finance(*, item: FoundItem, batch: HandoverBatch, by: Employee) -> FoundItem:
    """One item of ``batch`` goes to finance: the move :func:`handover_confirm` makes for each item of the batch
    still held. The table refuses it for an item not listed on ``batch``."""
    return transition(FOUND_ITEM, item, "finance", by=by, data={"handover": batch.pk},
                      comment=_("Handed to finance in %(number)s.") % {"number": batch.number})


# --- claims ------------------------------------------------------------------------------------------


def claim_release(
    *, item_id: int, by: Employee, claimant_name: str, id_type: str, id_number: str, phone: str,
    description_given: str, verified_by: Employee, witness: str = "", signature_data: str = "",
    signed_on_paper: bool = False, lost_report: LostReport | None = None,
) -> Claim:
    """Release the item to its owner. The item row is locked first, so of two simultaneous claims
    one succeeds and the other is told the item is already claimed."""
    id_number = "".join(id_number.split()).upper()
    if not id_number:
        raise LostfoundError(_("Record the claimant's ID number."))
    if not signed_on_paper and not signature_data:
        raise LostfoundError(_("The claimant must sign: draw the signature or tick “signed on paper”."))
    name = claimant_name.strip()
    phone = _phone(phone)
    made = {}

    def apply(item, ctx):
        if item.source == FoundItem.Source.ON_SITE and not witness.strip():
            raise LostfoundError(_("Item %(number)s was registered on site: the claim needs a witness.")
                                 % {"number": item.number})
        signature = ""
        if signature_data and not signed_on_paper:
            try:
                signature = signature_store(signature_data, folder="lostfound/signatures")
            except ValidationError as exc:
                raise LostfoundError(exc.messages[0]) from None
        try:
            with transaction.atomic():
                claim = Claim(
                    item=item, lost_report=lost_report, claimant_name=name, id_type=id_type, id_number=id_number,
                    phone=phone, description_given=description_given.strip(),
                    verified_by=verified_by, witness=witness.strip(), signature=signature,
                    signed_on_paper=signed_on_paper, released_by=by, claimed_at=ctx.now,
                )
                claim._history_user = _user(by)
                claim.save()
        except IntegrityError:  # the one-claim-per-item constraint (belt and braces)
            raise AlreadyClaimed(_("Item %(number)s is already claimed.") % {"number": item.number}) from None
        made["claim"] = claim

    with transaction.atomic():
        # the second of two simultaneous claims waits here for the first, then is told so
        held = FoundItem.objects.select_for_update().get(pk=item_id)
        if held.status == FoundItem.Status.CLAIMED:
            raise AlreadyClaimed(_("Item %(number)s is already claimed.") % {"number": held.number})
        item = transition(FOUND_ITEM, held, "claim", by=by, apply=apply,
                          data={"lost_report": lost_report} if lost_report else None,
                          comment=_("Claimed by %(name)s.") % {"name": name})
        claim = made["claim"]
        reports = LostReport.objects.select_for_update().filter(status=LostReport.Status.OPEN)
        reports = reports.filter(pk=lost_report.pk) if lost_report else reports.filter(matched_item=item)
        for report in reports.order_by("pk"):
            _lost_report_claimed(report=report, item=item, claim=claim)
    return claim


# --- settings -------------------------------------------------------------------------------------------


def settings_update(*, by: Employee, custody_time: dt.time, default_retention_days: int, match_window_days: int,
                    retentions: dict[str, int | None]):
    """Save the rules; ``retentions`` maps a category to its days (None: use the default)."""
    if default_retention_days < 1 or match_window_days < 1:
        raise LostfoundError(_("Days must be at least 1."))
    with transaction.atomic():
        conf = lostfound_settings(for_update=True)
        conf.custody_time = custody_time
        conf.default_retention_days = default_retention_days
        conf.match_window_days = match_window_days
        conf._history_user = _user(by)
        conf.save()
        own = {r.category: r for r in CategoryRetention.objects.select_for_update()}
        for category, days in retentions.items():
            row = own.get(category)
            if row is None and days is None:
                continue
            if row is None:
                row = CategoryRetention(category=category)
            elif row.retention_days == days:
                continue
            row.retention_days = days  # None: back to the default, the row and its history kept
            row._history_user = _user(by)
            row.save()
    return conf


# --- the scheduled work ------------------------------------------------------------------------------

NOTICE_CUSTODY = gettext_lazy("%(count)s valuable item(s) found on %(day)s are unclaimed and not yet in custody.")
NOTICE_HANDOVER = gettext_lazy("%(count)s unclaimed item(s) are past retention: confirm the finance handover %(number)s.")


def custodians():
    return Employee.objects.filter(active=True, user__is_active=True, user__groups__name=Role.CUSTODIAN).distinct()


def custody_notify(*, day: dt.date, now: dt.datetime | None = None) -> int:
    """After the end of ``day`` (the configurable custody time), tell each custodian once which
    valuables found that day are still unclaimed and not in custody. Returns notices sent."""
    now = now or timezone.now()
    if now < _end_of_day(day):
        return 0
    from .selectors import awaiting_custody

    count = awaiting_custody(day=day).count()
    if not count:
        return 0
    sent = 0
    link = reverse("lostfound:custody") + f"?day={day.isoformat()}"
    for custodian in custodians():
        if notification_send(recipient=custodian, message=NOTICE_CUSTODY,
                             params={"count": count, "day": day.isoformat()}, link=link,
                             key=f"lostfound:custody:{day.isoformat()}"):
            sent += 1
    return sent


BATCH_LIMIT = 500  # items attached to the month's batch per run (each run adds the next ones)


def _handover_attach(batch: HandoverBatch, *, now: dt.datetime) -> int:
    """Attach up to BATCH_LIMIT items that are due (past retention, still held, in no batch) to the
    *locked, prepared* ``batch``, each with a note on its trail. Returns how many were attached."""
    due = list(handover_due_items(now=now).values_list("pk", flat=True)[:BATCH_LIMIT])
    if not due:
        return 0
    attached = FoundItem.objects.filter(pk__in=due, handover_batch__isnull=True).update(handover_batch=batch)
    note = _("Listed for finance handover %(number)s.") % {"number": batch.number}
    FoundItemEvent.objects.bulk_create([
        FoundItemEvent(item_id=pk, by=None, action=FoundItemEvent.Action.NOTE, comment=note,
                       data={"handover": batch.pk})
        for pk in FoundItem.objects.filter(pk__in=due, handover_batch=batch).values_list("pk", flat=True)
    ])
    return attached


def handover_prepare(*, period: str, by: Employee | None = None, now: dt.datetime | None = None
                     ) -> HandoverBatch | None:
    """Prepare the month's handover list: items past retention, still held and in no batch yet.
    While the batch is still "prepared", every run (the 1st-of-month task with ``by=None``, the custodian's
    "prepare") attaches the items that became due since, up to BATCH_LIMIT a run; a confirmed batch is closed
    (later items wait for the next month's). Safe to run twice: one batch per month (unique), one
    notice per custodian and month (keyed)."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = HandoverBatch.objects.select_for_update().filter(period=period).first()
        if batch is None:
            if not handover_due_items(now=now).exists():
                return None
            try:
                with transaction.atomic():
                    batch = HandoverBatch(number=number_next(prefix="YJ", period=period), period=period)
                    batch._history_user = _user(by)
                    batch.save()
                    record_created(HANDOVER_BATCH, batch, by=by, action="prepare", at=now)
            except IntegrityError:  # another worker made it first: wait for its lock, then add to it
                batch = HandoverBatch.objects.select_for_update().get(period=period)
        if batch.status != HandoverBatch.Status.PREPARED:
            return batch
        _handover_attach(batch, now=now)
        count = batch.items.filter(status__in=FoundItem.OPEN_STATUSES).count()
        if count:
            link = reverse("lostfound:handover", args=[batch.pk])
            for custodian in custodians():
                notification_send(recipient=custodian, message=NOTICE_HANDOVER,
                                  params={"count": count, "number": batch.number}, link=link,
                                  key=f"lostfound:handover:{period}")
    return batch


def handover_confirm(*, batch: HandoverBatch, by: Employee, finance_receiver: str, note: str = "") -> HandoverBatch:
    """The custodian hands the batch to finance: every item still held becomes "handed to finance";
    items claimed meanwhile stay claimed (and are listed as such)."""
    receiver, note = finance_receiver.strip(), note.strip()
    if not receiver:
        raise LostfoundError(_("Name the person in finance who received the items."))

    def apply(locked, ctx):
        items = list(locked.items.select_for_update().filter(status__in=FoundItem.OPEN_STATUSES).order_by("pk"))
        if not items:
            raise LostfoundError(_("No item of this handover is still held."))
        for item in items:
            found_item_hand_to_finance(item=item, batch=locked, by=by)
        locked.confirmed_at = ctx.now
        locked.confirmed_by = by
        locked.finance_receiver = receiver
        locked.note = note

    return transition(HANDOVER_BATCH, batch, "confirm", by=by, comment=note, data={"finance_receiver": receiver},
                      apply=apply)
