"""Dashboard panel: lost items held (REGULATIONS §6, §8) — found items still registered or stored, per
category. One aggregate query (the status/category index)."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext

from csmgmt.core.panels import ChartData, Panel

from .models import Category, FoundItem


def items_held(request):
    counts = dict(FoundItem.objects.filter(status__in=FoundItem.OPEN_STATUSES).values_list("category")
                  .annotate(n=Count("id")).values_list("category", "n"))
    labels = [c.label for c in Category]
    values = [counts.get(c.value, 0) for c in Category]
    return ChartData(labels=labels, series=[(pgettext("count", "Items held"), values)],
                     headers=[_("Category"), pgettext("count", "Items held")],
                     empty=not any(values))


PANELS = [Panel("lostfound_held", gettext_lazy("Lost items held"), "reports.dashboard", items_held)]
