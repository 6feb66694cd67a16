"""The manager's settings of quality inspection: the sample size, the swap limit and the checklist."""

from django.db import transaction
from django.utils.translation import gettext as _

from csmgmt.core.permissions import can
from staff.models import Employee, ManualCategory

from ..models import ChecklistItem, ChecklistVersion, QualitySettings
from ..workflow import QualityError, QualityForbidden


def settings_get() -> QualitySettings:
    row, _created = QualitySettings.objects.get_or_create(pk=1)
    return row


def _manager(by: Employee) -> None:
    if by is None or not can(by.user, "quality.configure"):
        raise QualityForbidden(_("Only a manager may change the quality inspection settings."))


def settings_save(*, by: Employee, sample_size: int, swaps_per_agent: int) -> QualitySettings:
    _manager(by)
    if not 1 <= sample_size <= 50:
        raise QualityError(_("Sample between 1 and 50 calls per agent."))
    if not 0 <= swaps_per_agent <= 50:
        raise QualityError(_("Allow between 0 and 50 swaps per agent and month."))
    with transaction.atomic():
        row = QualitySettings.objects.select_for_update().get(pk=settings_get().pk)
        row.sample_size = sample_size
        row.swaps_per_agent = swaps_per_agent
        row._history_user = by.user
        row.save()
    return row


def checklist_current() -> ChecklistVersion | None:
    return ChecklistVersion.objects.order_by("-number").first()


def checklist_save(*, by: Employee, items: list[dict], note: str = "") -> ChecklistVersion:
    """A new version of the checklist: ``items`` are dicts of name, points and violation_category (a
    ManualCategory of kind violation, or None). Inspections already drawn keep their version."""
    _manager(by)
    rows = [i for i in items if (i.get("name") or "").strip()]
    if not rows:
        raise QualityError(_("The checklist needs at least one item."))
    for row in rows:
        if not row.get("points") or int(row["points"]) < 1:
            raise QualityError(_("Every item needs at least 1 point."))
        category = row.get("violation_category")
        if category is not None and (category.kind != ManualCategory.Kind.VIOLATION or not category.active):
            raise QualityError(_("An item can become only a violation category in use."))
    with transaction.atomic():
        last = ChecklistVersion.objects.select_for_update().order_by("-number").first()
        version = ChecklistVersion.objects.create(number=(last.number if last else 0) + 1, created_by=by,
                                                  note=(note or "").strip()[:300])
        ChecklistItem.objects.bulk_create([
            ChecklistItem(version=version, order=n, name=row["name"].strip()[:100], points=int(row["points"]),
                          violation_category=row.get("violation_category"))
            for n, row in enumerate(rows, start=1)])
    return version
