"""The Calls sheet of the monthly workbook, and the calls rows and chart of its Summary."""

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import PERCENT_FORMAT, ChartSpec, SheetSpec, history_edits

from .models import Call, CallEvent
from .phones import format_phone


# 有效电话 (REGULATIONS §2): inbound, marked (or corrected by a supervisor) valid — as ``selectors.valid_calls_count``
VALID = Q(direction=Call.Direction.INBOUND, valid=True)


def _calls(period):
    return Call.objects.filter(received_at__gte=period.start, received_at__lt=period.end).exclude(
        status=Call.Status.VOIDED
    )


def _rows(period):
    channel = {k: str(v) for k, v in Call.Channel.choices}  # translated once, not per row
    direction = {k: str(v) for k, v in Call.Direction.choices}
    category = {k: str(v) for k, v in Call.Category.choices}
    outcome = {k: str(v) for k, v in Call.Outcome.choices}
    valid = {True: _("Valid (有效)"), False: _("Not valid (无效)"), None: ""}
    fields = ("number", "received_at", "channel", "direction", "category", "caller_phone", "caller_name",
              "summary", "outcome", "department__name", "agent__name", "closed_at", "valid")
    for (number, received, ch, dr, cat, phone, name, summary, out, dept, agent, closed, ok) in (
        _calls(period).order_by("received_at", "id").values_list(*fields).iterator(chunk_size=2000)
    ):
        yield [number, received, channel.get(ch, ch), direction.get(dr, dr), category.get(cat, cat),
               format_phone(phone), name, summary, outcome.get(out, out), dept or "", agent, closed,
               valid[ok if dr == Call.Direction.INBOUND else None]]


SHEETS = [
    SheetSpec(
        key="calls",
        title=lambda: pgettext("sheet", "Calls"),
        headers=lambda: [_("Number"), pgettext("call", "Received at"), _("Channel"), _("Direction"), _("Category"),
                         _("Caller phone"), _("Caller name"), _("Summary"), _("Outcome"), _("Department"),
                         _("Agent"), _("Closed at"), _("Valid call (有效电话)")],
        rows=_rows,
        count=lambda period: _calls(period).count(),
        widths=[18, 17, 14, 14, 16, 16, 12, 40, 22, 14, 10, 17, 14],
    )
]


def summary(period):
    totals = _calls(period).aggregate(
        calls=Count("id"), resolved=Count("id", filter=Q(outcome=Call.Outcome.RESOLVED)),
        valid=Count("id", filter=VALID),
    )
    rate = totals["resolved"] / totals["calls"] if totals["calls"] else 0
    return [(_("Calls"), totals["calls"], None), (_("Valid calls (有效电话)"), totals["valid"], None),
            (_("First-contact resolution rate"), rate, PERCENT_FORMAT)]


def charts(period):
    per_day = dict(
        _calls(period).annotate(day=TruncDate("received_at")).values_list("day").annotate(n=Count("id"))
        .values_list("day", "n")
    )
    points = []
    for day in range(1, period.days + 1):
        date = period.first_day.replace(day=day)
        points.append((day, per_day.get(date, 0)))
    charts = [ChartSpec(title=_("Calls per day"), category_label=_("Day"), value_label=_("Calls"), points=points)]
    # REGULATIONS §8: the month's calls by category, channel, outcome and agent (one aggregate query each)
    for field, choices, title, label in (
        ("category", Call.Category, _("Calls by category"), _("Category")),
        ("channel", Call.Channel, _("Calls by channel"), _("Channel")),
        ("outcome", Call.Outcome, _("Calls by outcome"), _("Outcome")),
    ):
        labels = {k: str(v) for k, v in choices.choices}
        rows = _calls(period).values_list(field).annotate(n=Count("id")).order_by("-n", field).values_list(field, "n")
        charts.append(ChartSpec(title=title, category_label=label, value_label=_("Calls"),
                                points=[(labels.get(key, key), n) for key, n in rows]))
    agents = (_calls(period).values_list("agent__name", "agent__employee_no").annotate(n=Count("id"))
              .order_by("-n", "agent__employee_no"))
    charts.append(ChartSpec(title=_("Calls by agent"), category_label=_("Agent"), value_label=_("Calls"),
                            points=[(f"{name} {no}", n) for name, no, n in agents]))
    return charts


def later_edits(period):
    """Calls received in the month edited after it ended (a move — closing, a transfer — is not an edit)."""
    return history_edits(Call, records=_calls(period), after=period.end, skip_when_changed="status",
                         moves=CallEvent.objects.values_list("call_id", "at"),
                         label=lambda c: _("Call %(number)s") % {"number": c.number})
