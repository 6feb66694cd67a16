"""Where apps plug into the shared page furniture, each from its own ``AppConfig.ready()``:

- :func:`register_nav`: an entry of the navigation bar (shown to roles holding its ability,
  with an optional badge count, e.g. a queue's size);
- :func:`register_home`: a panel of the "my work" home page;
- :func:`register_job`: a scheduled job (Celery beat through django-celery-beat), optionally with an
  ``outcome`` for the jobs page when its task only queues the real work;
- :func:`register_caller_history`: an app's records of a phone number for the intake panel, and the records it
  opened from a call for the call page;
- :func:`register_customer_merge`: an app's records that point at a customer profile, moved when two
  profiles are merged;
- :func:`register_intake_panel`: a panel of the call-intake page beside the scripts (the knowledge base).
"""

from dataclasses import dataclass, field
from typing import Callable

from .permissions import can

NAV_SECTIONS = ("work", "manage", "admin", "me")


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: object
    ability: str
    icon: str = ""
    section: str = "work"
    order: int = 50
    badge: Callable | None = None  # badge(user) -> int | None; one cheap query at most
    badge_class: str = "text-bg-danger"
    badge_caption: object = ""  # what the badge counts, in words (its tooltip; the list page says it too)
    hotkey: str = ""  # a letter: Alt+<letter> opens the entry from any page (static/js/app.js)


@dataclass(frozen=True)
class HomeWidget:
    template: str
    ability: str
    context: Callable | None = None  # context(request) -> dict
    order: int = 50


@dataclass(frozen=True)
class JobOutcome:
    """What a job's work came to, when its task only queues that work (e.g. the workbook it queued): the
    jobs page shows these instead of the task's own "OK"."""

    label: object
    state: str  # "ok", "failed" or "running"
    text: object
    detail: object = ""


@dataclass(frozen=True)
class Job:
    name: str  # unique; also the django-celery-beat PeriodicTask name
    task: str
    description: object
    crontab: dict = field(default_factory=dict)  # e.g. {"minute": "*/5"}
    every_seconds: int | None = None
    kwargs: dict = field(default_factory=dict)
    outcome: Callable | None = None  # outcome(job_run or None) -> list[JobOutcome]; one query at most
    title: object = ""  # what people call it, translated (the name stays the machine key)


_nav: list[NavItem] = []
_home: list[HomeWidget] = []
_jobs: list[Job] = []


def register_nav(item: NavItem) -> None:
    if item.section not in NAV_SECTIONS:
        raise ValueError(item.section)
    if all(i.url_name != item.url_name for i in _nav):
        _nav.append(item)


def register_home(widget: HomeWidget) -> None:
    if all(w.template != widget.template for w in _home):
        _home.append(widget)


def register_job(job: Job) -> None:
    if all(j.name != job.name for j in _jobs):
        _jobs.append(job)


def nav_for(user) -> dict[str, list[NavItem]]:
    sections: dict[str, list] = {s: [] for s in NAV_SECTIONS}
    for item in sorted(_nav, key=lambda i: (i.order, str(i.label))):
        if can(user, item.ability):
            sections[item.section].append(item)
    return sections


def home_widgets_for(user) -> list[HomeWidget]:
    return [w for w in sorted(_home, key=lambda w: w.order) if can(user, w.ability)]


def jobs() -> list[Job]:
    return list(_jobs)


# --- the caller-history panel of call intake ------------------------------------------------------
# Each app that keeps records by phone number registers a provider: provider(phones, user) ->
# list[HistoryItem] for those normalised numbers, visible to that user, newest first, with a
# fixed number of queries (one, normally) whatever the data size. The intake panel merges them.


@dataclass(frozen=True)
class HistoryItem:
    kind: str  # "call", "complaint", "found_item", "lost_report"
    kind_label: object
    number: str
    title: str
    when: object  # aware datetime
    url: str
    is_open: bool
    status_label: object = ""
    pk: int | None = None  # the record's id: a "called again" call links to an open call or complaint by it


# ``from_call(call, user)`` gives the app's records opened from that call which the user may see, oldest first,
# in one query: rows with ``pk``, ``number``, ``stage`` and ``get_stage_display()`` (the call page lists them).


_history: list = []
_from_call: list = []


def register_caller_history(provider, *, from_call=None) -> None:
    if provider not in _history:
        _history.append(provider)
    if from_call is not None and from_call not in _from_call:
        _from_call.append(from_call)


def caller_history_providers() -> list:
    return list(_history)


def records_from_call_providers() -> list:
    return list(_from_call)


# Each app whose records point at a customer profile (complaints, ...) registers a hook:
# hook(source=, target=, by=, reason=) (``by``: the Employee merging), run by ``tickets.services.customer_merge``
# inside its transaction after the calls moved (so tickets imports none of those apps). A hook that raises undoes
# the whole merge.
_customer_merge: list = []


def register_customer_merge(hook) -> None:
    if hook not in _customer_merge:
        _customer_merge.append(hook)


def unregister_customer_merge(hook) -> None:
    if hook in _customer_merge:
        _customer_merge.remove(hook)


def customer_merge_hooks() -> list:
    return list(_customer_merge)


# --- what is open, for the duty log (REGULATIONS §7) ------------------------------------------------
# The duty log "starts from what is open": at signing, the entry lists the complaints in progress, the promised
# replies and repair requests not yet done, and the items in custody. Each app that keeps such records registers a
# provider: provider() -> list[OpenItem], in one query (or a fixed few), at most OPEN_ITEMS_LIMIT rows, oldest
# first. The staff app calls them without importing those apps.

OPEN_ITEMS_LIMIT = 200


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "complaint", "promised_reply", "repair", "custody"
    number: str
    title: str
    url: str = ""
    due: object = None  # aware datetime, when the item has a deadline
    who: str = ""  # its owner, handler or custodian
    state: str = ""  # its stage or status, as the reader sees it


_open_items: list = []


def register_open_items(provider) -> None:
    if provider not in _open_items:
        _open_items.append(provider)


def open_items_providers() -> list:
    return list(_open_items)


# --- working calendars (REGULATIONS §9) ------------------------------------------------------------
# An app whose clocks count working time registers a listener: listener(departments, by) with the departments
# whose calendar changed (None: every department, as for a public holiday), called inside the change's
# transaction; it recomputes its running clocks and returns how many moved.

_calendar_listeners: list[Callable] = []


def register_calendar_listener(listener: Callable) -> None:
    if listener not in _calendar_listeners:
        _calendar_listeners.append(listener)


def calendar_listeners() -> list[Callable]:
    return list(_calendar_listeners)


# --- monthly performance figures (REGULATIONS §10, issue 20) ---------------------------------------
# The targets page and the workbook's targets sheet show six figures per agent, team and department. Each app
# that holds the records behind a figure registers a source for it from its AppConfig.ready():
#
#     register_figure_source(FigureSource(figure="satisfaction", name="calls", per_employee=fn))
#
# fn(start, end) -> {employee_id: (numerator, denominator)} for the records that fall in [start, end) by the
# figure's "month of" rule, attributed by its "attributed to" rule; one aggregate query. The figure is the sum of
# the numerators over the sum of the denominators of all its sources (a rate: numerator/denominator; a mean:
# sum of values/count). A source of a figure counted for the team and department only (complaint clocks met)
# returns its rows under the employee whose team they belong to (the record's owner), and None for rows with
# nobody to attribute them to (counted for the department only).

FIGURES = ("first_contact", "reply_on_time", "clocks_met", "revisit_rate", "satisfaction", "qa_score")


@dataclass(frozen=True)
class FigureSource:
    figure: str  # one of FIGURES
    name: str  # which records, e.g. "complaints", "calls"; unique within the figure
    per_employee: Callable  # (start, end) -> {employee_id | None: (numerator, denominator)}
    # optional, for the 12-month trend: (start, end) -> {(year, month): (numerator, denominator)} for everyone, one
    # query grouped by month (months by the figure's "month of" rule, in the project's time zone); without it the
    # trend asks per_employee once per month it has to compute live
    per_month: Callable | None = None


_figure_sources: list[FigureSource] = []


def register_figure_source(source: FigureSource) -> None:
    if source.figure not in FIGURES:
        raise ValueError(f"unknown figure {source.figure!r}")
    if not any(s.figure == source.figure and s.name == source.name for s in _figure_sources):
        _figure_sources.append(source)


def figure_sources(figure: str | None = None) -> list[FigureSource]:
    return [s for s in _figure_sources if figure is None or s.figure == figure]


# --- side panels of the call-intake page (issue 20: the knowledge base beside the scripts) ---------------------
# An app shows a panel on the intake page without tickets importing it: ``template`` is included beside the
# scripts with ``context(request, form) -> dict`` (the intake form, bound after a refused save); ``on_saved(call=,
# data=, by=)`` runs inside the transaction that saves a new call, with the POSTed data (a panel's inputs join the
# intake form by ``form="intake-form"``). Shown to users holding ``ability``.


@dataclass(frozen=True)
class IntakePanel:
    template: str
    ability: str
    context: Callable | None = None  # context(request, form) -> dict
    on_saved: Callable | None = None  # on_saved(call=, data=, by=), inside the saving transaction
    order: int = 50


_intake_panels: list[IntakePanel] = []


def register_intake_panel(panel: IntakePanel) -> None:
    if all(p.template != panel.template for p in _intake_panels):
        _intake_panels.append(panel)


def intake_panels_for(user) -> list[IntakePanel]:
    return [p for p in sorted(_intake_panels, key=lambda p: p.order) if can(user, p.ability)]


# --- panels of a call's page (issue 20: the articles that answered the call) ---------------------------------------
# An app shows its records about a call on the call's page without tickets importing it: ``context(call, user)``
# returns the template's ``p`` (one query), or None when it has nothing to show. Shown to users holding ``ability``.


@dataclass(frozen=True)
class CallPanel:
    template: str
    ability: str
    context: Callable  # context(call, user) -> dict | None
    order: int = 50


_call_panels: list[CallPanel] = []


def register_call_panel(panel: CallPanel) -> None:
    if all(p.template != panel.template for p in _call_panels):
        _call_panels.append(panel)


def call_panels_for(call, user) -> list[tuple[str, dict]]:
    """(template, context) of each panel ``user`` may see that has something to show about ``call``."""
    out = []
    for panel in sorted(_call_panels, key=lambda p: p.order):
        if can(user, panel.ability):
            context = panel.context(call, user)
            if context:
                out.append((panel.template, context))
    return out


# --- the telephone exchange (issue 21) --------------------------------------------------------------
# A call logged with the exchange's call id (intake from the pop-up, ``POST /api/calls``) is one record with the
# exchange's own record of that call. The roof's telephony registers one ``CallLink``; ``tickets.services.
# call_create`` asks ``rang_at(call_id)`` before it saves (the time the exchange says the call rang: the call's
# received-at for who may not set it) and runs ``link(call=, by=)`` in its transaction after (ties the exchange's
# record to the call; raises the app's error with a message to refuse, and nothing is saved).


@dataclass(frozen=True)
class CallLink:
    rang_at: Callable  # (exchange_call_id) -> aware datetime | None
    link: Callable  # (call=, by=) -> None


_call_links: list[CallLink] = []


def register_call_link(hook: CallLink) -> None:
    if hook not in _call_links:
        _call_links.append(hook)


def call_links() -> list[CallLink]:
    return list(_call_links)


# --- where a manual entry of scoring came from (issue 20) ------------------------------------------
# An app that records manual violations through scoring's service (quality inspection: a failed checklist item)
# registers origin(entry_ids) -> {entry_id: (label, url)}, one query; the scoring pages (scorecard, violations
# list, appeal page) show that link beside the entry, so the violation shows the record it came from.

_manual_entry_origins: list[Callable] = []


def register_manual_entry_origin(origin: Callable) -> None:
    if origin not in _manual_entry_origins:
        _manual_entry_origins.append(origin)


def manual_entry_origins(entry_ids) -> dict:
    ids = [i for i in entry_ids if i is not None]
    out: dict = {}
    if ids:
        for origin in _manual_entry_origins:
            out.update(origin(ids))
    return out
