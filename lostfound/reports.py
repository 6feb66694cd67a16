"""The Lost and Found sheet of the monthly workbook and its Summary rows (REGULATIONS §6, §8).

A found item is never voided or deleted (a disposed one keeps its row with that status), so every item
registered in the month is listed. "Registered in the month" is by ``registered_at``."""

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import DATETIME_FORMAT, ChartSpec, SheetSpec

from .models import Category, FoundItem, FoundItemEvent
from .selectors import FIGURES, month_figures


def _registered(period):
    return FoundItem.objects.filter(registered_at__gte=period.start, registered_at__lt=period.end)


def _rows(period):
    """One row per item registered in the month, with its status when the month ended (a claim, handover or
    disposal after that is left out). One query."""
    at = min(timezone.now(), period.end)
    category = {k: str(v) for k, v in Category.choices}
    status = {k: str(v) for k, v in FoundItem.Status.choices}
    yes, no = _("Yes"), _("No")
    disposed = (FoundItemEvent.objects.filter(item=OuterRef("pk"), action=FoundItemEvent.Action.DISPOSE)
                .order_by("at").values("at")[:1])
    fields = ("number", "found_at", "category", "description", "valuable", "status", "custody_at",
              "claim__claimed_at", "handover_batch__confirmed_at", "disposed_at")
    qs = _registered(period).annotate(disposed_at=Subquery(disposed)).order_by("registered_at", "id")
    for number, found, cat, description, valuable, st, custody, claimed, handed, gone in (
            qs.values_list(*fields).iterator(chunk_size=2000)):
        claimed = claimed if claimed is not None and claimed < at else None
        handed = handed if st == FoundItem.Status.HANDED_TO_FINANCE and handed is not None and handed < at else None
        if claimed:
            st = FoundItem.Status.CLAIMED
        elif handed:
            st = FoundItem.Status.HANDED_TO_FINANCE
        elif (gone is not None and gone < at) or (gone is None and st == FoundItem.Status.DISPOSED):
            st = FoundItem.Status.DISPOSED  # (an imported disposal has no time: it stays disposed)
        else:
            st = FoundItem.Status.STORED if custody is not None and custody < at else FoundItem.Status.REGISTERED
        yield [number, found, category.get(cat, cat), description, yes if valuable else no, status.get(st, st),
               claimed, handed]


def _category_rows(period):
    """The month's figures by category (the summary page's table): one row per category, then the total."""
    figures = month_figures(year=period.year, month=period.month)
    for row in figures["rows"]:
        yield [str(row["category"]), *[row[f] for f in FIGURES]]
    yield [_("Total"), *[figures["totals"][f] for f in FIGURES]]


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
    ),
    SheetSpec(
        key="lostfound_categories",
        title=lambda: pgettext("sheet", "Lost and Found by category"),
        headers=lambda: [_("Category"), _("Registered"), _("Claimed"), _("Handed to finance"), _("Disposed"),
                         _("Still held at the end of the month")],
        rows=_category_rows,
        count=lambda period: len(Category.choices) + 1,
        widths=[16, 12, 10, 18, 10, 30],
    ),
]


def summary_numbers(period) -> dict:
    """The month's totals of :func:`~lostfound.selectors.month_figures` (the claims, handovers and disposals
    of any item, whenever registered; still held at the month's end)."""
    totals = month_figures(year=period.year, month=period.month)["totals"]
    return {"registered": totals["registered"], "claimed": totals["claimed"], "handed": totals["finance"],
            "disposed": totals["disposed"], "held": totals["held"]}


def summary(period):
    numbers = summary_numbers(period)
    return [
        (_("Found items registered"), numbers["registered"], None),
        (_("Found items claimed"), numbers["claimed"], None),
        (_("Handed to finance"), numbers["handed"], None),
        (_("Found items disposed"), numbers["disposed"], None),
        (_("Found items still held at the end of the month"), numbers["held"], None),
    ]


def charts(period):
    """REGULATIONS §8: the month's found items by category (one aggregate query)."""
    labels = {k: str(v) for k, v in Category.choices}
    rows = (_registered(period).values_list("category").annotate(n=Count("id")).order_by("-n", "category")
            .values_list("category", "n"))
    return [ChartSpec(title=_("Found items by category"), category_label=_("Category"), value_label=_("Items"),
                      points=[(labels.get(key, key), n) for key, n in rows])]
