"""A report module for tests (``settings.REPORT_MODULES = ["tests.csmgmt.report_probe"]``): one small sheet
that looks at its own generation while it is written, the way a second worker or request would."""

from csmgmt.core.sheets import SheetSpec
from csmgmt.models import MonthlyReport

seen = []  # (progress, stage, updated_at, started_at) of the running row, read from inside rows()
interrupt = {"on_count": False}


def _running():
    return MonthlyReport.objects.filter(status=MonthlyReport.Status.RUNNING)


def _count(period):
    if interrupt["on_count"]:  # another request found this generation stale and marked it interrupted
        _running().update(status=MonthlyReport.Status.FAILED, error=MonthlyReport.INTERRUPTED)
    return 3


def _rows(period):
    seen.extend(_running().values_list("progress", "stage", "updated_at", "started_at"))
    for i in range(3):
        yield [i, f"row {i}"]


SHEETS = [SheetSpec(key="probe", title=lambda: "Probe", headers=lambda: ["N", "Text"], rows=_rows, count=_count)]
