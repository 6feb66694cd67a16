"""The dashboard for supervisors and managers: panels contributed by each area's ``dashboard.py``
(``settings.DASHBOARD_MODULES``, in order), each a chart (vendored Chart.js) with its numbers as a
table beside it. Every number comes from database aggregation."""

import importlib

from django.conf import settings

from .core.panels import ChartData, Panel
from .core.permissions import can


def panels_for(user) -> list[Panel]:
    panels = []
    for name in settings.DASHBOARD_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        panels.extend(p for p in getattr(module, "PANELS", []) if can(user, p.ability))
    return panels


def chart_json(data: ChartData) -> dict:
    return {
        "kind": data.kind,
        "labels": [str(label) for label in data.labels],
        "series": [{"label": str(label), "values": values} for label, values in data.series],
        "colours": list(data.colours),
    }


def table_rows(data: ChartData) -> list[list]:
    return [[label, *[values[i] for _l, values in data.series]] for i, label in enumerate(data.labels)]
