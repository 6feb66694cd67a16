"""The roster grid's cells, written in Python: a week of 200 employees is 1,400 cells and a month 6,200, and
a template include per cell cost about a third of a millisecond each (half a second for a week, whatever
the history). The markup is exactly what ``partials/roster_cell.html`` wrote (a hidden label and the shift
``<select>`` that htmx posts on change); the options are built once per selected shift."""

import datetime as dt

from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

CELL = ('<label class="visually-hidden" for="{key}">{name} {day}</label>\n'
        '<select class="form-select form-select-sm{extra}" id="{key}" name="{key}"\n'
        '  hx-post="{url}" hx-trigger="change" hx-target="closest td" hx-swap="innerHTML"\n'
        '  hx-params="{key}">\n'
        '  <option value="">—</option>\n'
        '  {options}\n'
        '</select>{status}\n')


class RosterCells:
    """``cell(employee, day, shift_id)`` → the inside of one roster ``<td>``; ``row(employee, dates, shift_ids)``
    → the ``<td>``s of an employee's row. ``shifts`` are the active shifts in the order they are offered. Every
    value goes through ``format_html`` (escaped)."""

    def __init__(self, shifts):
        self.url = reverse("staff:attendance_roster_cell")
        self.shifts = [(s.pk, s.shown_code) for s in shifts]
        self._options: dict = {}

    def options(self, shift_id) -> SafeString:
        html = self._options.get(shift_id)
        if html is None:
            html = self._options[shift_id] = format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((pk, " selected" if pk == shift_id else "", code) for pk, code in self.shifts))
        return html

    def cell(self, employee, day: dt.date, shift_id, *, saved=False, name=None, suggested=False) -> SafeString:
        status = format_html('<span class="visually-hidden" role="status">{}</span>', _("Saved")) if saved else ""
        if suggested:  # a public holiday's empty cell: W offered, saved only with the grid (REGULATIONS §4, §9)
            status = format_html('{}<span class="badge text-bg-warning" title="{}">{}</span>', status,
                                 _("Public holiday: W is proposed; nothing is saved until you save the grid."),
                                 _("holiday"))
        return format_html(CELL, key=f"cell-{employee.pk}-{day.isoformat()}", day=day.isoformat(), url=self.url,
                           name=conditional_escape(employee.name) if name is None else name,
                           options=self.options(shift_id), status=status,
                           extra=" roster-suggested" if suggested else "")

    def row(self, employee, dates, shift_ids: dict, *, holidays=frozenset(), holiday_shift=None) -> SafeString:
        """``holidays``: the public holidays among ``dates``; a cell of one with no roster entry at all has
        ``holiday_shift`` (the W shift's id) pre-selected. An entry — even a cleared one — is never changed."""
        name = conditional_escape(employee.name)
        return format_html_join("", '<td class="roster-cell{}">{}</td>', (
            (" weekend" if day.weekday() >= 5 else "", self._cell_of(employee, day, shift_ids, name, holidays,
                                                                     holiday_shift))
            for day in dates))

    def _cell_of(self, employee, day, shift_ids, name, holidays, holiday_shift):
        key = (employee.pk, day)
        if holiday_shift is not None and day in holidays and key not in shift_ids:
            return self.cell(employee, day, holiday_shift, name=name, suggested=True)
        return self.cell(employee, day, shift_ids.get(key), name=name)
