"""Helpers for the tests of workflow tables and of the pages that offer their moves.

- :func:`snapshot` — a record's whole row and its number of event rows, to assert that a refused move changed
  nothing (``assert snapshot(r) == before``).
- :func:`page_actions` — the moves a rendered page offers: every element with ``data-workflow-action="a b"``
  (a button may stand for several moves, e.g. the complaint's revisit button for revisit and reopen).
- :func:`assert_buttons_are_the_available_actions` — a detail page's buttons equal ``available_actions`` for
  that user, neither more nor fewer.
"""

import re

from csmgmt.core.workflow import available_actions, workflow_for

_ATTR = re.compile(r'data-workflow-action="([^"]*)"')


def snapshot(record):
    """(every column of the record as stored now, how many event rows it has)."""
    wf = workflow_for(record)
    fresh = type(record).objects.get(pk=record.pk)
    row = {f.attname: getattr(fresh, f.attname) for f in type(record)._meta.concrete_fields}
    events = wf.events.model.objects.filter(**{wf.events.record: fresh}).count()
    return row, events


def page_actions(html: str) -> set[str]:
    return {action for value in _ATTR.findall(html) for action in value.split()}


def assert_buttons_are_the_available_actions(client, url: str, record, employee) -> set[str]:
    """GET ``url`` as ``client`` (logged in as ``employee``) and compare its buttons with the engine's answer.
    Returns the actions offered, so a test can also state them outright."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    offered = page_actions(response.content.decode())
    expected = set(available_actions(type(record).objects.get(pk=record.pk), employee))
    assert offered == expected, (employee, url, offered, expected)
    return offered
