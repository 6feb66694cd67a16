"""The roster grid's cells, written in Python: a week of 200 employees is 1,400 cells and a month 6,200, and
a template include per cell cost about a third of a millisecond each (half a second for a week, whatever
the history). The markup is exactly what ``partials/roster_cell.html`` wrote (a hidden label and the shift
``<select>`` that htmx posts on change); the options are built once per selected shift."""

import datetime as dt

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


class RosterCells:
    """``cell(employee, day, shift_id)`` → the inside of one roster ``<td>``; ``row(employee, dates, shift_ids)``
    → the ``<td>``s of an employee's row. ``shifts`` are the active shifts in the order they are offered."""

    def __init__(self, shifts):
        self.url = conditional_escape(reverse("staff:attendance_roster_cell"))
        self.shifts = [(s.pk, str(s.pk), conditional_escape(s.code)) for s in shifts]
        self._options: dict = {}

    def options(self, shift_id) -> str:
        html = self._options.get(shift_id)
        if html is None:
            html = self._options[shift_id] = "".join(
                f'<option value="{value}"{" selected" if pk == shift_id else ""}>{code}</option>'
                for pk, value, code in self.shifts)
        return html

    def cell(self, employee, day: dt.date, shift_id, *, saved=False, name=None) -> SafeString:
        key = f"cell-{employee.pk}-{day.isoformat()}"
        name = conditional_escape(employee.name) if name is None else name
        status = f'<span class="visually-hidden" role="status">{conditional_escape(_("Saved"))}</span>' if saved else ""
        return mark_safe(
            f'<label class="visually-hidden" for="{key}">{name} {day.isoformat()}</label>\n'
            f'<select class="form-select form-select-sm" id="{key}" name="{key}"\n'
            f'  hx-post="{self.url}" hx-trigger="change" hx-target="closest td" hx-swap="innerHTML"\n'
            f'  hx-params="{key}">\n'
            f'  <option value="">—</option>\n'
            f'  {self.options(shift_id)}\n'
            f'</select>{status}\n')

    def row(self, employee, dates, shift_ids: dict) -> SafeString:
        name = conditional_escape(employee.name)
        return mark_safe("".join(
            f'<td class="roster-cell{" weekend" if day.weekday() >= 5 else ""}">'
            f'{self.cell(employee, day, shift_ids.get((employee.pk, day)), name=name)}</td>'
            for day in dates))
