"""Every write of the lost-and-found registers (REGULATIONS §6).

Status changes go through :func:`_move` only: it refuses moves the ``TRANSITIONS`` table does not
allow and writes a :class:`FoundItemEvent` (who, when, from, to, comment)."""

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
from staff.models import Employee
from tickets.phones import normalize_phone

from .images import image_store, signature_store
from .models import (VALUABLE_CATEGORIES, CategoryRetention, Claim, FoundItem, FoundItemEvent, FoundItemPhoto,
                     HandoverBatch, LostReport)
from .selectors import handover_due_items, lostfound_settings

S = FoundItem.Status


class LostfoundError(Exception):
    """A refused action; ``str(exc)`` is the message for the user."""


class AlreadyClaimed(LostfoundError):
    pass


# state -> {action: next state}
TRANSITIONS = {
    S.REGISTERED: {"store": S.STORED, "claim": S.CLAIMED, "finance": S.HANDED_TO_FINANCE, "dispose": S.DISPOSED},
    S.STORED: {"claim": S.CLAIMED, "finance": S.HANDED_TO_FINANCE, "dispose": S.DISPOSED},
    S.CLAIMED: {},
    S.HANDED_TO_FINANCE: {},
    S.DISPOSED: {},
}


def _user(employee):
    return employee.user if employee is not None else None


def _move(*, item: FoundItem, action: str, by: Employee | None, comment: str = "", fields=()) -> FoundItem:
    """Move a *locked* item. Callers hold ``select_for_update`` on it inside ``transaction.atomic()``."""
    target = TRANSITIONS[item.status].get(action)
    if target is None:
        if item.status == S.CLAIMED and action == "claim":
            raise AlreadyClaimed(_("Item %(number)s is already claimed.") % {"number": item.number})
        raise LostfoundError(
            _("Item %(number)s is %(status)s: it cannot be changed that way.")
            % {"number": item.number, "status": item.get_status_display()}
        )
    old = item.status
    item.status = target
    item._history_user = _user(by)
    item.save(update_fields=["status", "updated_at", *fields])
    FoundItemEvent.objects.create(item=item, by=by, action=action, from_status=old, to_status=target, comment=comment)
    return item


def _locked(item_id: int) -> FoundItem:
    return FoundItem.objects.select_for_update().get(pk=item_id)


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, lostfound_settings().custody_time))


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
            finder_phone=normalize_phone(finder_phone), finder_employee=finder_employee, received_by=by,
            valuable=valuable, team_lead=team_lead.strip(), witness=witness.strip(), late_record=late,
        )
        if finder_employee is not None and not item.finder_name:
            item.finder_name = finder_employee.name
        item._history_user = _user(by)
        item.save()
        FoundItemEvent.objects.create(
            item=item, by=by, action="register", to_status=item.status,
            comment=_("Late record: registered after the end of the day found.") if late else "",
        )
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
    phone = normalize_phone(owner_phone)
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
    return report


def lost_report_mark_contacted(*, report: LostReport, item: FoundItem, by: Employee) -> LostReport:
    """The agent phoned the owner about ``item`` (主动联系游客前来认领)."""
    with transaction.atomic():
        report = LostReport.objects.select_for_update().get(pk=report.pk)
        if report.status != LostReport.Status.OPEN:
            raise LostfoundError(_("Lost report %(number)s is no longer open.") % {"number": report.number})
        if not item.is_open:
            raise LostfoundError(_("Item %(number)s is no longer held.") % {"number": item.number})
        report.matched_item = item
        report.contacted_at = timezone.now()
        report.contacted_by = by
        report._history_user = _user(by)
        report.save(update_fields=["matched_item", "contacted_at", "contacted_by", "updated_at"])
        FoundItemEvent.objects.create(
            item=item, by=by, action="owner_contacted",
            comment=_("Owner of lost report %(number)s contacted.") % {"number": report.number},
        )
    return report


def lost_report_withdraw(*, report: LostReport, by: Employee, reason: str) -> LostReport:
    if not reason.strip():
        raise LostfoundError(_("Give a reason."))
    with transaction.atomic():
        report = LostReport.objects.select_for_update().get(pk=report.pk)
        if report.status != LostReport.Status.OPEN:
            raise LostfoundError(_("Lost report %(number)s is no longer open.") % {"number": report.number})
        report.status = LostReport.Status.WITHDRAWN
        report.closing_note = reason.strip()
        report._history_user = _user(by)
        report.save(update_fields=["status", "closing_note", "updated_at"])
    return report


# --- custody and disposal -------------------------------------------------------------------------------


def found_item_store(*, item: FoundItem, by: Employee, storage_place: str, handover_person: str,
                     comment: str = "") -> FoundItem:
    """The custodian takes the item into custody: the storage place and who handed it over (交接人)."""
    if not storage_place.strip() or not handover_person.strip():
        raise LostfoundError(_("Record the storage place and the person who handed the item over."))
    with transaction.atomic():
        item = _locked(item.pk)
        item.storage_place = storage_place.strip()
        item.custody_handover_person = handover_person.strip()
        item.custody_by = by
        item.custody_at = timezone.now()
        return _move(
            item=item, action="store", by=by,
            comment=comment or _("Stored at %(place)s, handed over by %(person)s.")
            % {"place": item.storage_place, "person": item.custody_handover_person},
            fields=["storage_place", "custody_handover_person", "custody_by", "custody_at"],
        )


def found_item_dispose(*, item: FoundItem, by: Employee, reason: str) -> FoundItem:
    """Disposed (perishable, worthless): the item stays in the register with the reason."""
    if not reason.strip():
        raise LostfoundError(_("Give a reason."))
    with transaction.atomic():
        return _move(item=_locked(item.pk), action="dispose", by=by, comment=reason.strip())


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
    with transaction.atomic():
        item = _locked(item_id)
        if item.status == S.CLAIMED:
            raise AlreadyClaimed(_("Item %(number)s is already claimed.") % {"number": item.number})
        if item.status not in FoundItem.OPEN_STATUSES:
            _move(item=item, action="claim", by=by)  # raises with the reason
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
                    item=item, lost_report=lost_report, claimant_name=claimant_name.strip(), id_type=id_type,
                    id_number=id_number, phone=normalize_phone(phone), description_given=description_given.strip(),
                    verified_by=verified_by, witness=witness.strip(), signature=signature,
                    signed_on_paper=signed_on_paper, released_by=by, claimed_at=timezone.now(),
                )
                claim._history_user = _user(by)
                claim.save()
        except IntegrityError:  # the one-claim-per-item constraint (belt and braces)
            raise AlreadyClaimed(_("Item %(number)s is already claimed.") % {"number": item.number}) from None
        _move(item=item, action="claim", by=by,
              comment=_("Claimed by %(name)s.") % {"name": claim.claimant_name})
        reports = LostReport.objects.select_for_update().filter(status=LostReport.Status.OPEN)
        reports = reports.filter(pk=lost_report.pk) if lost_report else reports.filter(matched_item=item)
        for report in reports:
            report.status = LostReport.Status.CLAIMED
            report.matched_item = item
            report.closing_note = _("Item %(number)s claimed.") % {"number": item.number}
            report._history_user = _user(by)
            report.save(update_fields=["status", "matched_item", "closing_note", "updated_at"])
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
        for category, days in retentions.items():
            if days is None:
                CategoryRetention.objects.filter(category=category).delete()  # a setting, not a record
            else:
                CategoryRetention.objects.update_or_create(category=category, defaults={"retention_days": days})
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
        FoundItemEvent(item_id=pk, by=None, action=FoundItemEvent.Action.NOTE, comment=note)
        for pk in FoundItem.objects.filter(pk__in=due, handover_batch=batch).values_list("pk", flat=True)
    ])
    return attached


def handover_prepare(*, period: str, now: dt.datetime | None = None) -> HandoverBatch | None:
    """Prepare the month's handover list: items past retention, still held and in no batch yet.
    While the batch is still "prepared", every run (the 1st-of-month task, the custodian's "prepare")
    attaches the items that became due since, up to BATCH_LIMIT a run; a confirmed batch is closed
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
                    batch = HandoverBatch.objects.create(number=number_next(prefix="YJ", period=period),
                                                         period=period)
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
    if not finance_receiver.strip():
        raise LostfoundError(_("Name the person in finance who received the items."))
    with transaction.atomic():
        batch = HandoverBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != HandoverBatch.Status.PREPARED:
            raise LostfoundError(_("Handover %(number)s is already confirmed.") % {"number": batch.number})
        items = list(batch.items.select_for_update().filter(status__in=FoundItem.OPEN_STATUSES).order_by("pk"))
        if not items:
            raise LostfoundError(_("No item of this handover is still held."))
        for item in items:
            _move(item=item, action="finance", by=by,
                  comment=_("Handed to finance in %(number)s.") % {"number": batch.number})
        batch.status = HandoverBatch.Status.CONFIRMED
        batch.confirmed_at = timezone.now()
        batch.confirmed_by = by
        batch.finance_receiver = finance_receiver.strip()
        batch.note = note.strip()
        batch._history_user = _user(by)
        batch.save()
    return batch
