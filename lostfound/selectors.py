"""Reads shared by the lost-and-found pages, tasks, the caller history and the home panel."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csmgmt.core.permissions import can
from csmgmt.core.registry import HistoryItem
from csmgmt.core.search import SearchSpec, search
from tickets.phones import normalize_phone

from .models import (Category, CategoryRetention, Claim, FoundItem, FoundItemEvent, HandoverBatch, LostfoundSettings,
                     LostReport)


def lostfound_settings(*, for_update: bool = False) -> LostfoundSettings:
    qs = LostfoundSettings.objects.select_for_update() if for_update else LostfoundSettings.objects
    conf = qs.filter(pk=1).first()
    if conf is None:
        conf, _created = LostfoundSettings.objects.get_or_create(pk=1)
    return conf


def retention_days() -> dict[str, int]:
    """Days of retention for every category (its own, or the default)."""
    default = lostfound_settings().default_retention_days
    own = dict(CategoryRetention.objects.filter(retention_days__isnull=False)
               .values_list("category", "retention_days"))
    return {c: own.get(c, default) for c in Category.values}


# --- lists ------------------------------------------------------------------------------------------


@dataclass
class Page:
    """A page of rows without COUNT(*): one extra row tells whether there is a next page."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def page_of(qs, page, size: int = 25) -> Page:
    try:
        number = max(int(page or 1), 1)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(qs[start:start + size + 1])
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)


def _single(field: str):
    """A single character in lost and found: the categories whose name has it (in Chinese or the page's language)
    and the descriptions that have it."""
    def condition(chars: list[str]) -> Q:
        from django.utils import translation

        with translation.override("zh-hans"):
            labels = {value: f"{label} {value}" for value, label in Category.choices}
        cond = Q(category__in=[v for v, text in labels.items()
                               if any(c in text or c in str(dict(Category.choices)[v]) for c in chars)])
        for c in chars:
            cond |= Q(**{f"{field}__contains": c})
        return cond
    return condition


# The search boxes of found items and lost reports (csmgmt.core.search): description, features, place, the
# finder's or owner's name; a phone number or its start; a record number; a single character: category and
# description.
FOUND_SEARCH = SearchSpec(order=("-found_at", "-id"), number="number", phones=("finder_phone",),
                          normalize_phone=normalize_phone, single=_single("description"))
LOST_SEARCH = SearchSpec(order=("-lost_at", "-id"), number="number", phones=("owner_phone",),
                         normalize_phone=normalize_phone, single=_single("description"))


def found_items_search(*, q: str = "", category: str = "", status: str = "", date_from=None, date_to=None,
                       valuable: bool | None = None):
    qs = FoundItem.objects.select_related("received_by", "claim")
    if q:
        qs = search(qs, q, FOUND_SEARCH)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(found_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(found_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if valuable is not None:
        qs = qs.filter(valuable=valuable)
    return qs.order_by("-found_at", "-id")


def lost_reports_search(*, q: str = "", category: str = "", status: str = "", date_from=None, date_to=None):
    qs = LostReport.objects.select_related("received_by", "matched_item")
    if q:
        qs = search(qs, q, LOST_SEARCH)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(lost_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(lost_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs.order_by("-lost_at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def found_item_detail(pk: int) -> FoundItem:
    return (
        FoundItem.objects.select_related("received_by", "finder_employee", "custody_by", "handover_batch",
                                         "claim__verified_by", "claim__released_by", "claim__lost_report")
        .prefetch_related("photos", "events__by")
        .get(pk=pk)
    )


def lost_report_detail(pk: int) -> LostReport:
    return LostReport.objects.select_related("received_by", "matched_item", "contacted_by").get(pk=pk)


def open_reports_for_phone(phone: str, limit: int = 5) -> list[LostReport]:
    """Open lost reports with this normalised phone number, newest first (the index ``lf_report_phone_idx``): the
    warning before a second report of the same owner is saved."""
    if not phone:
        return []
    return list(LostReport.objects.filter(owner_phone=phone, status=LostReport.Status.OPEN)
                .only("pk", "number", "owner_name", "description", "lost_at", "registered_at")
                .order_by("-registered_at", "-id")[:limit])


def claim_for_item(item_pk: int) -> Claim:
    return Claim.objects.select_related("item", "verified_by", "released_by", "lost_report").get(item_id=item_pk)


# --- matching ---------------------------------------------------------------------------------------

MATCH_LIMIT = 5
FALLBACK_CANDIDATES = 300

# The level a suggestion reads (issue 17; the cut-offs are written on the page and in docs/lostfound.md). The
# score adds the likeness of the description and features (0–1, ×2), the same category (+0.6) and the likeness
# of the place (0–1, ×0.4): 0 to 3. On the test set of Chinese descriptions (tests/lostfound/test_matching.py)
# the owner's report scores 1.7 or more and every other report less than 1.
MATCH_HIGH = 1.5  # high: score ≥ 1.5
MATCH_MEDIUM = 1.0  # medium: 1.0 ≤ score < 1.5; low: below 1.0
MATCH_LEVEL_LABELS = {"high": _("high match"), "medium": _("medium match"), "low": _("low match")}


def match_level(score: float) -> str:
    if score >= MATCH_HIGH:
        return "high"
    if score >= MATCH_MEDIUM:
        return "medium"
    return "low"


def matched_words(text: str, other: str, limit: int = 8) -> list[str]:
    """The runs of two or more letters or digits that ``text`` and ``other`` share (Chinese has no spaces: the
    longest shared run at each place of ``text``), in the order of ``text``, each once: 黑色, 苹果手机, 小猫."""
    a = "".join(c if c.isalnum() else " " for c in (text or "").lower())
    b = "".join(c if c.isalnum() else " " for c in (other or "").lower())
    words, i = [], 0
    while i < len(a) and len(words) < limit:
        j = i + 2
        if a[i:j].strip() != a[i:j] or a[i:j] not in b:
            i += 1
            continue
        while j < len(a) and a[j] != " " and a[i:j + 1] in b:
            j += 1
        if not any(a[i:j] in w for w in words):
            words = [w for w in words if w not in a[i:j]] + [a[i:j]]
        i = j
    return words


def _explain(rows, text: str, text_field: str) -> list:
    for row in rows:
        row.level = match_level(row.score)
        row.level_label = MATCH_LEVEL_LABELS[row.level]
        row.words = matched_words(f"{getattr(row, text_field)} {row.features}", text)
    return rows


def _bigrams(text: str) -> set[str]:
    chars = [c for c in (text or "").lower() if c.isalnum()]
    if len(chars) < 2:
        return set(chars)
    return {a + b for a, b in zip(chars, chars[1:])}


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: works on Chinese without word segmentation."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def _score(row, *, category: str, text: str, place: str, text_field: str, place_field: str) -> float:
    """The score a suggestion shows and its level is read from (0–3): character-bigram likeness of the description
    and features (×2), the same category (+0.6), bigram likeness of the place (×0.4) — the same on every
    database."""
    t = text_similarity(f"{getattr(row, text_field)} {row.features}", text)
    p = text_similarity(getattr(row, place_field), place)
    c = 1.0 if row.category == category else 0.0
    row.score = t * 2 + c * 0.6 + p * 0.4
    row.text_likeness = t
    return row.score


def _rank(qs, *, category: str, text: str, place: str, text_field: str, place_field: str, limit: int,
          trigram: bool | None = None):
    """Order ``qs`` by likeness: words of the description (most), same category, similar place.
    PostgreSQL picks the candidates with pg_trgm in the database (three times the shown number); elsewhere (or
    with ``trigram=False``) the newest candidates are taken. Either way the shown score is ``_score``'s, so the
    levels' cut-offs mean the same on both."""
    if trigram is None:
        trigram = connection.vendor == "postgresql"
    if trigram:
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models import Case, F, FloatField, TextField, Value, When
        from django.db.models.functions import Concat

        qs = qs.annotate(
            text_score=TrigramSimilarity(Concat(text_field, Value(" "), "features", output_field=TextField()), text),
            place_score=TrigramSimilarity(place_field, place or " "),
            category_score=Case(When(category=category, then=Value(1.0)), default=Value(0.0),
                                output_field=FloatField()),
        )
        qs = qs.annotate(pick=F("text_score") * 2 + F("category_score") * 0.6 + F("place_score") * 0.4)
        rows = list(qs.filter(Q(category=category) | Q(text_score__gt=0.1)).order_by("-pick", "-id")[:limit * 3])
    else:
        rows = list(qs.order_by("-id")[:FALLBACK_CANDIDATES])
    scored = []
    for row in rows:
        _score(row, category=category, text=text, place=place, text_field=text_field, place_field=place_field)
        if row.category == category or row.text_likeness > 0.1:
            scored.append(row)
    scored.sort(key=lambda r: (-r.score, -r.pk))
    return _explain(scored[:limit], text, text_field)


def lost_report_candidates(item: FoundItem, *, limit: int = MATCH_LIMIT, trigram: bool | None = None) -> list[LostReport]:
    """Open lost reports that may be the owner's of ``item``, likeliest first."""
    window = dt.timedelta(days=lostfound_settings().match_window_days)
    qs = LostReport.objects.filter(
        status=LostReport.Status.OPEN, lost_at__gte=item.found_at - window, lost_at__lte=item.found_at + dt.timedelta(days=1)
    )
    return _rank(qs, category=item.category, text=f"{item.description} {item.features}", place=item.found_place,
                 text_field="description", place_field="lost_place", limit=limit, trigram=trigram)


def found_item_candidates(report: LostReport, *, limit: int = MATCH_LIMIT, trigram: bool | None = None) -> list[FoundItem]:
    """Found items still held that may be the one ``report`` describes, likeliest first."""
    window = dt.timedelta(days=lostfound_settings().match_window_days)
    qs = FoundItem.objects.filter(
        status__in=FoundItem.OPEN_STATUSES, found_at__gte=report.lost_at - dt.timedelta(days=1),
        found_at__lte=report.lost_at + window,
    )
    return _rank(qs, category=report.category, text=f"{report.description} {report.features}",
                 place=report.lost_place, text_field="description", place_field="found_place", limit=limit,
                 trigram=trigram)


# --- custody and handover ------------------------------------------------------------------------------


def awaiting_custody(*, day: dt.date | None = None):
    """Valuables still registered (unclaimed, not in custody); found on ``day`` when given."""
    qs = FoundItem.objects.filter(valuable=True, status=FoundItem.Status.REGISTERED)
    if day is not None:
        qs = qs.filter(found_at__gte=_day_start(day), found_at__lt=_day_start(day + dt.timedelta(days=1)))
    return qs.select_related("received_by").order_by("found_at", "id")


def custody_queue():
    """Everything the custodian may take in: registered items, valuables first."""
    return (FoundItem.objects.filter(status=FoundItem.Status.REGISTERED).select_related("received_by")
            .order_by("-valuable", "found_at", "id"))


def handover_due_items(*, now: dt.datetime | None = None):
    """Items still held, in no handover yet, found longer ago than their category's retention."""
    now = now or timezone.now()
    cond = Q()
    for category, days in retention_days().items():
        cond |= Q(category=category, found_at__lte=now - dt.timedelta(days=days))
    return (FoundItem.objects.filter(cond, status__in=FoundItem.OPEN_STATUSES, handover_batch__isnull=True)
            .order_by("found_at", "id"))


def handover_batches():
    """Each batch with the number of items on its list (:func:`handover_items`)."""
    on_list = (Q(status=HandoverBatch.Status.CONFIRMED, items__status=FoundItem.Status.HANDED_TO_FINANCE)
               | Q(status=HandoverBatch.Status.PREPARED, items__status__in=FoundItem.OPEN_STATUSES))
    return (HandoverBatch.objects.select_related("confirmed_by").annotate(item_count=Count("items", filter=on_list))
            .order_by("-period"))


def handover_detail(pk: int) -> HandoverBatch:
    return HandoverBatch.objects.select_related("confirmed_by").get(pk=pk)


def handover_items(batch: HandoverBatch):
    """The handover list: what was handed to finance (a confirmed batch), or what is to be (a prepared
    one: the items still held). An item claimed or disposed meanwhile is not on it."""
    if batch.status == HandoverBatch.Status.CONFIRMED:
        items = batch.items.filter(status=FoundItem.Status.HANDED_TO_FINANCE)
    else:
        items = batch.items.filter(status__in=FoundItem.OPEN_STATUSES)
    return items.select_related("received_by").order_by("found_at", "id")


def custodian_panel() -> dict:
    """The custodian's home panel: two counts in one query."""
    return FoundItem.objects.aggregate(
        awaiting=Count("pk", filter=Q(valuable=True, status=FoundItem.Status.REGISTERED)),
        due=Count("pk", filter=Q(status__in=FoundItem.OPEN_STATUSES, handover_batch__status="prepared")),
    )


def awaiting_custody_count(user) -> int | None:
    if not can(user, "lostfound.custody"):
        return None
    return awaiting_custody().count() or None


# --- monthly summary ---------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + (month == 12), month % 12 + 1, 1))
    return start, end


FIGURES = ("registered", "claimed", "finance", "disposed", "held")


def _month_registered(start, end):
    return FoundItem.objects.filter(registered_at__gte=start, registered_at__lt=end)


def _disposed_before(moment):
    """The item's disposal move before ``moment`` (at any time when None)."""
    qs = FoundItemEvent.objects.filter(item=OuterRef("pk"), action=FoundItemEvent.Action.DISPOSE)
    return qs if moment is None else qs.filter(at__lt=moment)


def month_figures(*, year: int, month: int) -> dict:
    """REGULATIONS §8, lost and found as the month ended, by category: found items registered in the month
    (by ``registered_at``), claimed in it (the claim's time), handed to finance in it (the handover's
    confirmation), disposed in it (the move's time), and still held at its end (registered by then and
    neither claimed, handed over nor disposed by then). Five aggregate queries, whatever the number of items;
    the summary page and the monthly workbook both read this.

    Returns ``{"rows": [{"key", "category", <figure>: n …}] (every category, in the list's order),
    "totals": {<figure>: n}}``."""
    start, end = month_bounds(year, month)
    at = min(timezone.now(), end)
    counts = {f: {} for f in FIGURES}

    def collect(figure, qs, field):
        for key, n in qs.values_list(field).annotate(n=Count("pk")).order_by().values_list(field, "n"):
            counts[figure][key] = n

    collect("registered", _month_registered(start, end), "category")
    collect("claimed", Claim.objects.filter(claimed_at__gte=start, claimed_at__lt=at), "item__category")
    collect("finance", FoundItem.objects.filter(
        status=FoundItem.Status.HANDED_TO_FINANCE, handover_batch__status=HandoverBatch.Status.CONFIRMED,
        handover_batch__confirmed_at__gte=start, handover_batch__confirmed_at__lt=at), "category")
    collect("disposed", FoundItemEvent.objects.filter(action=FoundItemEvent.Action.DISPOSE, at__gte=start,
                                                      at__lt=at), "item__category")
    held = (FoundItem.objects.filter(registered_at__lt=at)
            .exclude(claim__claimed_at__lt=at)
            .exclude(status=FoundItem.Status.HANDED_TO_FINANCE, handover_batch__confirmed_at__lt=at)
            .exclude(Exists(_disposed_before(at)))
            .exclude(~Exists(_disposed_before(None)), status=FoundItem.Status.DISPOSED))  # imported: no time
    collect("held", held, "category")
    rows, totals = [], {f: 0 for f in FIGURES}
    for value, label in Category.choices:
        row = {"key": value, "category": label, **{f: counts[f].get(value, 0) for f in FIGURES}}
        for f in FIGURES:
            totals[f] += row[f]
        rows.append(row)
    return {"rows": rows, "totals": totals}


def monthly_summary(*, year: int, month: int) -> dict:
    """《游客失物登记汇总表》: the month's found items (registered in it) with their outcome, and the month's
    figures by category (:func:`month_figures`, as the monthly workbook gives them)."""
    start, end = month_bounds(year, month)
    items = list(
        _month_registered(start, end)
        .select_related("claim", "received_by", "handover_batch")
        .order_by("registered_at", "id")
    )
    figures = month_figures(year=year, month=month)
    reports = LostReport.objects.filter(lost_at__gte=start, lost_at__lt=end).aggregate(
        total=Count("pk"), claimed=Count("pk", filter=Q(status=LostReport.Status.CLAIMED)),
    )
    return {"items": items, "by_category": figures["rows"], "totals": figures["totals"], "reports": reports}


# --- caller history ------------------------------------------------------------------------------------


def caller_history(phones: list[str], user) -> list[HistoryItem]:
    """Found items by the finder's phone and lost reports by the owner's phone: one query each."""
    if not phones or not can(user, "lostfound.view"):
        return []
    phones = [normalize_phone(p) for p in phones if p]
    out = []
    for item in FoundItem.objects.filter(finder_phone__in=phones).order_by("-found_at")[:50]:
        out.append(HistoryItem(
            kind="found_item", kind_label=_("Found item"), number=item.number, title=item.description,
            when=item.found_at, url=reverse("lostfound:item", args=[item.pk]), is_open=item.is_open,
            status_label=item.get_status_display(),
        ))
    for report in LostReport.objects.filter(owner_phone__in=phones).order_by("-lost_at")[:50]:
        out.append(HistoryItem(
            kind="lost_report", kind_label=_("Lost report"), number=report.number, title=report.description,
            when=report.lost_at, url=reverse("lostfound:report", args=[report.pk]), is_open=report.is_open,
            status_label=report.get_status_display(),
        ))
    out.sort(key=lambda h: h.when, reverse=True)
    return out


def items_in_custody_for_duty_log() -> list:
    """For the duty log (REGULATIONS §7): the found items still held (registered or stored), oldest first (one
    query), with where they are kept."""
    from csmgmt.core.registry import OPEN_ITEMS_LIMIT, OpenItem

    rows = (FoundItem.objects.filter(status__in=FoundItem.OPEN_STATUSES).select_related("custody_by", "received_by")
            .order_by("found_at", "id")[:OPEN_ITEMS_LIMIT])
    return [OpenItem(kind="custody", number=i.number, title=i.description,
                     url=reverse("lostfound:item", args=[i.pk]),
                     who=(i.custody_by or i.received_by).name,
                     state=i.storage_place or str(i.get_status_display()))
            for i in rows]
