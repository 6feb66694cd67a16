"""Demo targets for ``load_demo``: the department's targets from last month on (so the demo month shows its
figures against them, and the trend a target line), set by the demo manager through the service; then the
department's stored figures of the months that ended. Idempotent: a target set again keeps its value."""

from decimal import Decimal

from staff.models import Employee

from .selectors import month_shift, this_month
from .services import month_figures_store, target_set

TARGETS = {  # REGULATIONS §10: a manager sets each target (these are the demo manager's)
    "first_contact": Decimal("80"),
    "reply_on_time": Decimal("90"),
    "clocks_met": Decimal("85"),
    "revisit_rate": Decimal("100"),  # 100% revisit
    "satisfaction": Decimal("4.2"),
    "qa_score": Decimal("85"),
}


def load(stdout=None):
    manager = Employee.objects.select_related("user").filter(employee_no="CS001").first()
    if manager is None:
        return
    since = month_shift(this_month(), -1)
    for figure, value in TARGETS.items():
        target_set(figure=figure, month=since, value=value, by=manager)
    stored = month_figures_store()
    if stdout is not None:
        stdout.write(f"  targets: {len(TARGETS)} targets from {since.year:04d}-{since.month:02d}, "
                     f"{stored} months of figures stored\n")
