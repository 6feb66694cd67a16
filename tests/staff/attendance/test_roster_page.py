"""The roster page writes its cells in Python (no template include per cell): the markup of every cell is what
the per-cell template wrote — a hidden label and the shift <select> htmx posts on change, the rostered shift
selected, the default shifts offered by start time (A 08:00, W 09:00, B 10:00, N 17:30, then the rest day)
— and the page costs the same queries for 2 employees as for 12, for a week as for a month."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import RosterEntry
from tests.factories import RosterEntryFactory, shift

pytestmark = pytest.mark.django_db


def login(employee):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(employee.user)
    return c


def cell(employee_pk, day, name, selected=None, saved=False):
    """One cell as the old partials/roster_cell.html rendered it, written out (the rest day reads "Rest")."""
    key = f"cell-{employee_pk}-{day:%Y-%m-%d}"
    shown = {"REST": "Rest"}
    options = "".join(f'<option value="{shift(code).pk}"{" selected" if code == selected else ""}>'
                      f'{shown.get(code, code)}</option>' for code in ("A", "W", "B", "N", "REST"))
    return (f'<label class="visually-hidden" for="{key}">{name} {day:%Y-%m-%d}</label>\n'
            f'<select class="form-select form-select-sm" id="{key}" name="{key}"\n'
            f'  hx-post="/staff/attendance/roster/cell/" hx-trigger="change" hx-target="closest td" '
            f'hx-swap="innerHTML"\n'
            f'  hx-params="{key}">\n'
            f'  <option value="">—</option>\n'
            f'  {options}\n'
            f'</select>' + ('<span class="visually-hidden" role="status">Saved</span>' if saved else "") + "\n")


def test_the_week_page_writes_each_cell_as_before(team, past_monday):
    team.agent.name = "李<娜>&"
    team.agent.save()
    saturday = past_monday + dt.timedelta(days=5)
    RosterEntryFactory(employee=team.agent, date=past_monday, shift=shift("B"))
    RosterEntryFactory(employee=team.agent, date=saturday, shift=shift("REST"))
    RosterEntryFactory(employee=team.agent2, date=past_monday, shift=None)  # a cleared cell
    RosterEntryFactory(employee=team.outsider, date=past_monday, shift=shift("N"))  # another team's: not shown
    html = login(team.supervisor).get(reverse("staff:attendance_roster") + f"?start={past_monday}").content.decode()
    agent = "李&lt;娜&gt;&amp;"
    assert f'<td class="roster-cell">{cell(team.agent.pk, past_monday, agent, "B")}</td>' in html
    assert f'<td class="roster-cell weekend">{cell(team.agent.pk, saturday, agent, "REST")}</td>' in html
    tuesday = past_monday + dt.timedelta(days=1)
    assert f'<td class="roster-cell">{cell(team.agent.pk, tuesday, agent)}</td>' in html
    assert f'<td class="roster-cell">{cell(team.agent2.pk, past_monday, team.agent2.name)}</td>' in html
    grid = html.split('id="roster-grid"', 1)[1].split("</table>", 1)[0]
    assert grid.count('<td class="roster-cell') == 14 and grid.count(" selected>") == 2
    assert f"cell-{team.outsider.pk}-" not in html
    # a row: the name cell, then the seven days in order, nothing between them
    row = html.split(f'{agent} <span class="text-secondary">{team.agent.employee_no}</span>', 1)[1].split("</tr>")[0]
    days = [past_monday + dt.timedelta(days=i) for i in range(7)]
    assert [d.isoformat() for d in days] == [part.split('"')[0] for part in row.split(f'for="cell-{team.agent.pk}-')[1:]]


def test_the_cell_answered_to_htmx_is_the_same_cell_saying_saved(team, past_monday):
    response = login(team.supervisor).post(reverse("staff:attendance_roster_cell"),
                                           {f"cell-{team.agent.pk}-{past_monday}": shift("W").pk},
                                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode() == cell(team.agent.pk, past_monday, team.agent.name, "W", saved=True)
    response = login(team.supervisor).post(reverse("staff:attendance_roster_cell"),
                                           {f"cell-{team.agent.pk}-{past_monday}": ""}, HTTP_HX_REQUEST="true")
    assert response.content.decode() == cell(team.agent.pk, past_monday, team.agent.name, saved=True)
    assert RosterEntry.objects.get(employee=team.agent, date=past_monday).shift is None


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("view", ["week", "month"])
def test_the_roster_costs_the_same_queries_for_2_and_12_employees(team, past_monday, make_employee, view):
    client = login(team.supervisor)
    url = reverse("staff:attendance_roster") + f"?view={view}&start={past_monday}"
    for agent in (team.agent, team.agent2):
        RosterEntryFactory(employee=agent, date=past_monday, shift=shift("A"))
    small = _queries(client, url)
    for i in range(10):
        agent = make_employee("agent", supervisor=team.supervisor)
        for d in range(7):
            RosterEntryFactory(employee=agent, date=past_monday + dt.timedelta(days=d), shift=shift("AB"[i % 2]))
    assert _queries(client, url) == small
    grid = login(team.supervisor).get(url).content.decode().split('id="roster-grid"', 1)[1].split("</table>", 1)[0]
    assert grid.count(" selected>") == 2 + 70
