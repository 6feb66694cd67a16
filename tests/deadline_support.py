"""Reading the deadline cells of a work list (csmgmt.core.deadlines, ``partials/deadline.html``) from its HTML."""

import datetime as dt
import re

from django.utils import timezone

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)

_CELL = re.compile(r'data-deadline-level="(?P<level>\w+)"(?:[^>]*>\s*<span class="deadline-text">(?:<i [^>]*></i> )?'
                   r'(?P<text>[^<]*)</span>)?')


def frozen_now(monkeypatch):
    """Fix Django's clock for the test (to the minute), so a page's countdowns are exact; returns that instant."""
    now = timezone.now().replace(second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def deadline_rows(html: str, row_attr: str) -> list[tuple[str, str, str]]:
    """[(row key, level, countdown text)] in page order, for rows marked ``<… data-<row_attr>="key">`` that hold one
    deadline cell each."""
    out = []
    parts = html.split(f'data-{row_attr}="')[1:]
    for part in parts:
        key = part[:part.index('"')]
        match = _CELL.search(part)
        assert match, (key, part[:400])
        out.append((key, match["level"], (match["text"] or "").strip()))
    return out
