"""What an app declares for the dashboard (its ``dashboard.py``, listed in ``settings.DASHBOARD_MODULES``):
``PANELS``, a list of :class:`Panel`, each a chart with its numbers as a table beside it. The dashboard page
itself is the project's top floor (``csmgmt/dashboard.py``)."""

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class ChartData:
    labels: list
    series: list  # [(label, [values])]
    kind: str = "bar"  # bar | line | doughnut
    headers: list = field(default_factory=list)  # table header: [label column, series labels...]
    empty: bool = False
    colours: list = field(default_factory=list)  # one per label (a doughnut) or per series; empty: the palette


@dataclass(frozen=True)
class Panel:
    key: str
    title: object
    ability: str
    data: Callable  # data(request) -> ChartData
    width: int = 6  # Bootstrap columns at lg
