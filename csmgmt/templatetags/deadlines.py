"""``{% deadline row %}``: the deadline cell of every work list (the rule is ``csmgmt.core.deadlines``)."""

from django import template
from django.utils import timezone

from csmgmt.core.deadlines import deadline_of

register = template.Library()


@register.inclusion_tag("partials/deadline.html", takes_context=True)
def deadline(context, row):
    """The row's next deadline: its time, its countdown in words and its urgency (a class and a data attribute).
    The page's ``now`` is used when the view gives one, so every row of a page is judged at the same instant."""
    now = context.get("now") or timezone.now()
    return {"d": deadline_of(row, now)}
