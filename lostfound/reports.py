"""The Lost and Found sheet of the monthly workbook and its Summary rows (REGULATIONS §6, §8).

A found item is never voided or deleted (a disposed one keeps its row with that status), so every item
registered in the month is listed. "Registered in the month" is by ``registered_at``."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import DATETIME_FORMAT, ChartSpec, SheetSpec

from .models import Category, Claim, FoundItem, HandoverBatch


def _registered(period):
    return FoundItem.objects.filter(registered_at__gte=period.start, registered_at__lt=period.end)


def _rows(period):
    category = {k: str(v) for k, v in Category.choices}
    status = {k: str(v) for k, v in FoundItem.Status.choices}
    yes, no = _("Yes"), _("No")
    fields = ("number", "found_at", "category", "description", "valuable", "status", "claim__claimed_at",
              "handover_batch__confirmed_at")
    for number, found, cat, description, valuable, st, claimed, handed in (
        _registered(period).order_by("registered_at", "id").values_list(*fields).iterator(chunk_size=2000)
    ):
        yield [number, found, category.get(cat, cat), description, yes if valuable else no, status.get(st, st),
               claimed, handed if st == FoundItem.Status.HANDED_TO_FINANCE else None]


SHEETS = [
    SheetSpec(
        key="lostfound",
        title=lambda: pgettext("sheet", "Lost and Found"),
        headers=lambda: [_("Number"), _("Found at"), _("Category"), _("Description"), _("Valuable"), _("Status"),
                         _("Claimed at"), _("Handed to finance at")],
        rows=_rows,
        count=lambda period: _registered(period).count(),
        widths=[18, 17, 12, 40, 9, 16, 17, 20],
        formats={1: DATETIME_FORMAT, 6: DATETIME_FORMAT, 7: DATETIME_FORMAT},
    )
]


def summary_numbers(period) -> dict:
    """Found items registered in the month; claims made in the month; items handed to finance in a batch
    confirmed in the month. Three counts (the claims and handovers of any item, whenever registered)."""
    return {
        "registered": _registered(period).count(),
        "claimed": Claim.objects.filter(claimed_at__gte=period.start, claimed_at__lt=period.end).count(),
        "handed": FoundItem.objects.filter(
            status=FoundItem.Status.HANDED_TO_FINANCE, handover_batch__status=HandoverBatch.Status.CONFIRMED,
            handover_batch__confirmed_at__gte=period.start, handover_batch__confirmed_at__lt=period.end,
        ).count(),
    }


def summary(period):
    numbers = summary_numbers(period)
    return [
        (_("Found items registered"), numbers["registered"], None),
        (_("Found items claimed"), numbers["claimed"], None),
        (_("Handed to finance"), numbers["handed"], None),
    ]


def charts(period):
    """REGULATIONS §8: the month's found items by category (one aggregate query)."""
    labels = {k: str(v) for k, v in Category.choices}
    rows = (_registered(period).values_list("category").annotate(n=Count("id")).order_by("-n", "category")
            .values_list("category", "n"))
    return [ChartSpec(title=_("Found items by category"), category_label=_("Category"), value_label=_("Items"),
                      points=[(labels.get(key, key), n) for key, n in rows])]
