"""Violations and praise recorded by a supervisor for their team (a manager for anyone): an event for the
month's computation ("manual:<id>"), voided with a reason. A closed month takes none and voids none."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csmgmt.core.notices import notification_send
from csmgmt.core.uploads import PDF_TYPES, PHOTO_TYPES, UploadRejected, image_display_copy, upload_verified
from staff.models import Employee, ManualCategory, ManualEntry

from ..selectors import can_record_for
from ..workflow import ScoringError, ScoringForbidden
from .common import refuse_closed_day, rematerialise_after_commit

EVIDENCE_TYPES = PHOTO_TYPES | PDF_TYPES


def evidence_check(file) -> str:
    """An evidence file must be an image or a PDF by its content (not its name), within the size limit.
    Returns the extension its content says it has."""
    try:
        return upload_verified(file, allowed=EVIDENCE_TYPES,
                           type_message=_("Evidence must be a photo (JPEG, PNG, GIF, WebP) or a PDF.")).extension
    except UploadRejected as exc:
        raise ScoringError(exc.message) from None


def _may_record_for(by: Employee, employee: Employee) -> None:
    if by is None or not can_record_for(by.user, employee):
        raise ScoringForbidden(_("You may record violations and praise only for your own team."))


def manual_entry_create(*, employee: Employee, category: ManualCategory, date: dt.date, note: str, by: Employee,
                        evidence=None) -> ManualEntry:
    """``by`` records it: a supervisor of the employee, or a manager. The employee is told; the month is
    recomputed after the commit."""
    _may_record_for(by, employee)
    note = (note or "").strip()
    if not note:
        raise ScoringError(_("Write a note: what happened."))
    if not category.active:
        raise ScoringError(_("That category is no longer in use."))
    if date > timezone.localdate():
        raise ScoringError(_("The date is in the future."))
    if evidence:
        evidence.name = f"evidence.{evidence_check(evidence)}"  # named by its content, never by the uploader
    with transaction.atomic():
        refuse_closed_day(date)
        entry = ManualEntry(employee=employee, category=category, date=date, note=note, recorded_by=by)
        if evidence:
            entry.evidence = evidence
            entry.evidence_display = image_display_copy(evidence)
        entry._history_user = by.user
        entry.save()
        notification_send(
            recipient=employee,
            message=gettext_lazy("%(by)s recorded “%(category)s” for you on %(date)s: %(note)s"),
            params={"by": by.name, "category": category.name, "date": date.isoformat(), "note": note[:150]},
            link=reverse("staff:scoring_card") + f"?month={date:%Y-%m}", key=f"scoring-manual-{entry.pk}",
        )
        rematerialise_after_commit(date)
    return entry


def manual_entry_void(*, entry: ManualEntry, by: Employee, reason: str) -> ManualEntry:
    """The entry stops being an event (its record is withdrawn at the next computation); never deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("Give a reason for voiding the entry."))
    _may_record_for(by, entry.employee)
    with transaction.atomic():
        entry = ManualEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.voided:
            raise ScoringError(_("The entry is already voided."))
        refuse_closed_day(entry.date)
        entry.voided = True
        entry.void_reason = reason[:300]
        entry._history_user = by.user
        entry.save(update_fields=["voided", "void_reason"])
        rematerialise_after_commit(entry.date)
    return entry
