"""The Scores sheet of the monthly workbook (REGULATIONS §5, §8): each scored employee's card of the
month. Deductions are a positive number; Score = Base − Deductions + Rewards."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from csmgmt.core.sheets import SheetSpec
from staff.models import ScoreCard

from .selectors import scorecards_month

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
