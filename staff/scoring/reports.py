"""The Scores sheet of the monthly workbook (REGULATIONS §5, §8): each scored employee's card of the
month. Deductions are a positive number; Score = Base − Deductions + Rewards."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import SheetSpec
from staff.models import FundEntry, ScoreCard

from .selectors import brackets_of_month, flag_labels, fund_month_lines, scorecards_month

POINTS = "0.0#"
MONEY = "#,##0.00"


def _rows(period, employee_ids=None):
    for card in scorecards_month(year=period.year, month=period.month, employee_ids=employee_ids):
        yield card.values()


SHEETS = [
    SheetSpec(
        key="scores",
        title=lambda: pgettext("sheet", "Scores"),
        headers=lambda: [_("Employee No"), _("Name"), _("Department"), _("Base"), _("Deductions"), _("Rewards"),
                         _("Score"), _("Fines (CNY)"), _("Rewards (CNY)"), _("Flags")],
        rows=_rows,
        count=lambda period: ScoreCard.objects.filter(score_month__year=period.year,
                                                      score_month__month=period.month).count(),
        widths=[12, 12, 12, 8, 11, 9, 8, 12, 14, 30],
        formats={3: POINTS, 4: POINTS, 5: POINTS, 6: POINTS, 7: MONEY, 8: MONEY},
        team_rows=_rows,
    )
]


def _fund_rows(period):
    """The department fund (REGULATIONS §5, §8): each department's lines of the month and its balance at the
    month's end; then the brackets the department's monthly total of violations is measured against."""
    for line in fund_month_lines(year=period.year, month=period.month):
        yield line.values()
    brackets = brackets_of_month(year=period.year, month=period.month)
    if brackets:
        yield []
        yield [_("Department brackets"), "", _("Violations"), "", _("To the department fund (CNY)"), _("Flags")]
        for b in brackets:
            span = f"{b.first}–{b.last}" if b.last is not None else f"≥ {b.first}"
            yield ["", "", span, "", b.money, "、".join(flag_labels([b.flag] if b.flag else []))]


SHEETS.append(
    SheetSpec(
        key="fund",
        title=lambda: pgettext("sheet", "Department fund"),
        headers=lambda: [_("Department"), _("Line"), _("Violations"), _("Bracket"), _("Amount (CNY)"), _("Flags"),
                         _("Note")],
        rows=_fund_rows,
        count=lambda period: FundEntry.objects.filter(score_month__year=period.year,
                                                      score_month__month=period.month).count() + 10,
        widths=[14, 30, 11, 10, 14, 24, 30],
        formats={4: MONEY},
    )
)
