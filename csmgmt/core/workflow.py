"""The one workflow engine: every record that moves through states moves here.

An app declares each of its workflows in its ``workflow.py`` as a :class:`Workflow`: the model and its
state field, a table ``{from state: {action: Move(to state, roles, guards)}}``, the event table that keeps
the trail, and the object-level rule (own department, own team, own record). Its services then call
:func:`transition` — the only code that sets a workflow's state — and its pages build their buttons from
:func:`available_actions`. For one move, :func:`transition`:

1. opens a transaction and locks the record's row (``select_for_update``);
2. finds the move in the table for the record's current state, or refuses (``wf.error``);
3. checks the acting employee's roles (with the implied ones, and the record-relative ones that
   ``wf.relations`` gives, such as "the employee the leave is for") and the object-level rule ``wf.scope``,
   or refuses (``wf.forbidden``);
4. checks each of the move's guards, or refuses with the guard's reason;
5. runs the service's ``apply`` (the move's own fields; it may refuse too), sets the state, saves the
   record, writes the event row (who, when, from, to, comment, data);
6. queues the service's ``effects`` (notices, follow-up tasks) for after the commit.

A new record is saved in its model's initial state and its first event written by :func:`record_created`; where
a record may be born further on (a call resolved on the phone is logged closed), the table's ``NEW`` row lists
the creating moves and :func:`create` makes them, checked like any other.

A refusal raises before anything is written, so a refused move changes nothing. Roles are the strings of
:class:`csmgmt.core.roles.Role`, record-relative roles named by the workflow, and :data:`SYSTEM` for moves
the product makes itself (``by=None``: scheduled work, or a consequence of another record's move).

Four eyes: :func:`not_same_person` is a guard that refuses whoever made one of the given moves on this
record since it last entered a given state, e.g. "nobody who submitted the plan approves it".
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import roles_of

SYSTEM = "system"  # the product itself: scheduled work and consequences of other moves (by=None)
NEW = ""  # the state before a record exists: ``TABLE[NEW]`` holds the moves that create one (see :func:`create`)


class WorkflowError(Exception):
    """A move or an input the rules refuse. ``message`` is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class WorkflowForbidden(WorkflowError):
    """The acting employee may not make this move on this record."""


@dataclass(frozen=True)
class GuardContext:
    """What a guard may look at: the locked record, the move, who makes it, when, and the record's events."""

    workflow: "Workflow"
    record: object
    action: str
    by: object  # Employee or None (SYSTEM)
    now: dt.datetime
    data: dict = field(default_factory=dict)

    def events(self) -> list:
        """The record's event rows, oldest first (one query, cached on the context)."""
        return self._events

    @cached_property
    def _events(self) -> list:
        spec = self.workflow.events
        return list(spec.model.objects.filter(**{spec.record: self.record})
                    .order_by(*([spec.at] if spec.at else []), "pk"))


@dataclass(frozen=True)
class Guard:
    """A condition the move needs. ``test(ctx) -> bool``; when it fails, the move is refused with ``message``
    (``%(name)s`` placeholders filled from ``wf.describe(record)``), or with the table's own refusal ("not
    possible now") when there is none — for guards that choose between two ways forward."""

    test: Callable[[GuardContext], bool]
    message: object = None
    name: str = ""


def guard(test: Callable[[GuardContext], bool], message=None, name: str = "") -> Guard:
    return Guard(test=test, message=message, name=name or getattr(test, "__name__", ""))


def when(predicate: Callable[[object], bool], name: str = "") -> Guard:
    """A guard on the record alone (which of two ways forward applies), refused as "not possible now"."""
    return Guard(test=lambda ctx: predicate(ctx.record), name=name or getattr(predicate, "__name__", ""))


def not_same_person(*actions: str, since_entering: str, message) -> Guard:
    """Four eyes: refuse whoever made one of ``actions`` on this record since it last entered
    ``since_entering`` (a move into that state from another state; moves that stay in it do not count)."""
    actions = frozenset(actions)

    def test(ctx: GuardContext) -> bool:
        if ctx.by is None:
            return True
        spec = ctx.workflow.events
        events = ctx.events()
        start = 0
        for i, e in enumerate(events):
            to_state, from_state = getattr(e, spec.to_state), getattr(e, spec.from_state)
            if to_state == since_entering and from_state != since_entering:
                start = i
        return not any(getattr(e, spec.by + "_id") == ctx.by.pk and e_action(spec, e) in actions
                       for e in events[start:])

    return Guard(test=test, message=message, name=f"four-eyes:{'/'.join(sorted(actions))}")


def e_action(spec, event) -> str:
    value = getattr(event, spec.action)
    return spec.action_from_stored.get(value, value) if spec.action_from_stored else value


@dataclass(frozen=True)
class Move:
    to: str
    roles: frozenset
    guards: tuple = ()


def move(to, roles, *guards: Guard) -> Move:
    """``move(Stage.RESPOND, {S}, when(is_ordinary), four_eyes)``."""
    return Move(to=str(to), roles=frozenset(str(r) for r in roles), guards=tuple(guards))


@dataclass(frozen=True)
class EventSpec:
    """Where a workflow writes its trail: the event model, the name of its foreign key to the record, and the
    names of its columns (a column the table lacks is ``None``). ``action_to_stored`` maps an action to the
    value stored when the table names its actions differently (e.g. a call's event "kind")."""

    model: type
    record: str
    action: str = "action"
    from_state: str = "from_state"
    to_state: str = "to_state"
    by: str = "by"
    at: str | None = "at"
    comment: str | None = "comment"
    data: str | None = "data"
    action_to_stored: dict = field(default_factory=dict)

    @property
    def action_from_stored(self) -> dict:
        return {v: k for k, v in self.action_to_stored.items()}


@dataclass(eq=False)
class Workflow:
    name: str
    model: type
    field: str
    table: dict  # {state: {action: Move}}
    events: EventSpec
    labels: dict = field(default_factory=dict)  # action -> label (buttons and the trail)
    # The object-level rule: may ``employee``, acting in ``role``, move this record? (default: yes)
    scope: Callable | None = None  # scope(record, employee, role) -> bool
    # Roles the employee holds towards this record (e.g. {"owner"} on their own leave request).
    relations: Callable | None = None  # relations(record, employee) -> set[str]
    lock_related: tuple = ()  # select_related() of the locked row, for apply and guards
    describe: Callable | None = None  # describe(record) -> {"number": ...}: parameters of messages
    error: type = WorkflowError
    forbidden: type = WorkflowForbidden
    refusal: Callable | None = None  # refusal(record, action) -> message, when the table has no such move
    forbidden_message: object = gettext_lazy("You may not do this on %(record)s.")
    history: bool = True  # set the simple-history user on the record before saving

    def __post_init__(self):
        _registry[self.model] = self

    # --- reading the table ---
    def actions(self) -> list[str]:
        seen = []
        for moves in self.table.values():
            seen.extend(a for a in moves if a not in seen)
        return seen

    def states(self) -> list[str]:
        return [state for state in self.table if state != NEW]

    def state_of(self, record) -> str:
        return getattr(record, self.field)

    def label(self, action: str) -> str:
        return str(self.labels.get(action, action))

    def params(self, record) -> dict:
        params = {"record": str(record), "number": str(getattr(record, "number", record))}
        if self.describe is not None:
            params.update(self.describe(record))
        return params

    def state_label(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(state, state))


_registry: dict = {}


def workflow_for(record_or_model) -> Workflow:
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    raise LookupError(f"no workflow for {model.__name__}")


def workflows() -> list[Workflow]:
    return list(_registry.values())


# --- who may move ----------------------------------------------------------------------------------------


def _employee(user_or_employee):
    """The Employee behind a User (None for a login without one), or the Employee itself."""
    if user_or_employee is None or hasattr(user_or_employee, "employee_no"):
        return user_or_employee
    try:
        return user_or_employee.employee
    except Exception:  # an anonymous user, or a login with no employee record
        return None


def actor_roles(wf: Workflow, record, employee) -> frozenset:
    """The employee's roles (implied ones included) and the roles they hold towards ``record``."""
    if employee is None:
        return frozenset({SYSTEM})
    roles = set(roles_of(employee.user))
    if wf.relations is not None and roles:  # an inactive employee holds nothing, towards any record
        roles |= set(wf.relations(record, employee))
    return frozenset(roles)


def permitted(wf: Workflow, record, move_: Move, employee) -> bool:
    roles = actor_roles(wf, record, employee) & move_.roles
    if not roles:
        return False
    if wf.scope is None or employee is None:
        return True
    return any(wf.scope(record, employee, role) for role in roles)


def available_actions(record, user, wf: Workflow | None = None) -> list[str]:
    """The moves ``user`` (a User or an Employee) may make on ``record`` now, in table order: the ones its
    page offers as buttons. The service checks again when one is used."""
    wf = wf or workflow_for(record)
    employee = _employee(user)
    if employee is None:
        return []
    moves = wf.table.get(wf.state_of(record), {})
    out = []
    ctx = None
    for action, move_ in moves.items():
        if not permitted(wf, record, move_, employee):
            continue
        if move_.guards:
            ctx = GuardContext(wf, record, action, employee, timezone.now()) if ctx is None else \
                GuardContext(wf, record, action, employee, ctx.now)
            if not all(g.test(ctx) for g in move_.guards):
                continue
        out.append(action)
    return out


def blocked_actions(record, user, wf: Workflow | None = None) -> list[tuple[str, str]]:
    """Moves the user's roles allow now but a guard with a reason refuses: [(action, reason)], so a page can
    say why instead of offering the move (e.g. "you submitted this plan: someone else approves it")."""
    wf = wf or workflow_for(record)
    employee = _employee(user)
    if employee is None:
        return []
    out = []
    for action, move_ in wf.table.get(wf.state_of(record), {}).items():
        if not move_.guards or not permitted(wf, record, move_, employee):
            continue
        ctx = GuardContext(wf, record, action, employee, timezone.now())
        failing = [g for g in move_.guards if not g.test(ctx)]
        if failing and all(g.message for g in failing):
            out.append((action, str(failing[0].message) % wf.params(record)))
    return out


def applies(record, action: str, wf: Workflow | None = None) -> bool:
    """Is ``action`` a way forward for ``record`` now, whoever makes it: in its state's row, with every guard
    that picks between ways forward (those without a message, e.g. :func:`when`) passing? Guards with a
    message (four eyes) are about who moves, not whether; :func:`eligible` asks who."""
    wf = wf or workflow_for(record)
    move_ = wf.table.get(wf.state_of(record), {}).get(action)
    if move_ is None:
        return False
    ctx = GuardContext(wf, record, action, None, timezone.now())
    return all(g.test(ctx) for g in move_.guards if not g.message)


def eligible(record, action: str, candidates, wf: Workflow | None = None) -> list:
    """The employees among ``candidates`` who may make ``action`` on ``record`` now — roles, the object-level
    rule and every guard, four eyes included — in the candidates' order. Empty when nobody may: a page then
    says so instead of offering the move (e.g. every manager wrote the plan). The record's events are read
    once, whatever the number of candidates."""
    wf = wf or workflow_for(record)
    move_ = wf.table.get(wf.state_of(record), {}).get(action)
    if move_ is None:
        return []
    now = timezone.now()
    events = None
    out = []
    for employee in candidates:
        if not permitted(wf, record, move_, employee):
            continue
        ctx = GuardContext(wf, record, action, employee, now)
        if events is None:
            events = ctx.events()
        else:
            ctx.__dict__["_events"] = events  # the cached_property's slot: one read for every candidate
        if all(g.test(ctx) for g in move_.guards):
            out.append(employee)
    return out


# --- moving ----------------------------------------------------------------------------------------------


def _default_refusal(wf: Workflow, record, action: str) -> str:
    return _("“%(action)s” is not possible now: %(record)s is “%(state)s”.") % {
        "action": wf.label(action), "record": wf.params(record)["number"],
        "state": wf.state_label(wf.state_of(record))}


def refusal_message(wf: Workflow, record, action: str) -> str:
    if wf.refusal is not None:
        return str(wf.refusal(record, action))
    return _default_refusal(wf, record, action)


def serialisable(data: dict) -> dict:
    """``data`` as JSON for the event row: records by their id, dates as ISO text."""
    out = {}
    for k, v in (data or {}).items():
        if hasattr(v, "pk"):
            out[k] = v.pk
        elif isinstance(v, (dt.datetime, dt.date, dt.time)):
            out[k] = v.isoformat()
        elif v is None or isinstance(v, (str, int, float, bool)):
            out[k] = v
        elif isinstance(v, (list, tuple)):
            out[k] = [x.pk if hasattr(x, "pk") else (x if isinstance(x, (str, int, float, bool)) else str(x))
                      for x in v]
        else:
            out[k] = str(v)
    return out


def event_write(wf: Workflow, record, *, action: str, from_state: str, to_state: str, by, at, comment: str = "",
                data: dict | None = None, **extra):
    """One event row of ``record``'s trail (the engine's; a service writes notes that move nothing with it)."""
    spec = wf.events
    fields = {spec.record: record, spec.action: spec.action_to_stored.get(action, action),
              spec.by: by}
    if spec.from_state:
        fields[spec.from_state] = from_state or ""
    if spec.to_state:
        fields[spec.to_state] = to_state or ""
    if spec.at:
        fields[spec.at] = at
    if spec.comment:
        fields[spec.comment] = comment or ""
    if spec.data and data is not None:
        fields[spec.data] = serialisable(data)
    fields.update(extra)
    event = spec.model.objects.create(**fields)
    if spec.at and at is not None and getattr(event, spec.at) != at:  # auto_now_add columns: keep the move's time
        spec.model.objects.filter(pk=event.pk).update(**{spec.at: at})
        setattr(event, spec.at, at)
    return event


def lock(wf: Workflow, record):
    qs = wf.model.objects.select_for_update(of=("self",))
    if wf.lock_related:
        qs = qs.select_related(*wf.lock_related)
    return qs.get(pk=record.pk)


def transition(wf: Workflow, record, action: str, *, by, comment: str = "", data: dict | None = None,
               apply: Callable | None = None, effects: Callable | None = None, now: dt.datetime | None = None,
               event_extra: dict | None = None):
    """Make ``action`` on ``record`` as ``by`` (an Employee, or None for the product itself). See the module's
    docstring. ``apply(record, ctx)`` sets the move's own fields on the locked record and may return notes
    for the trail (``[{"action", "comment", "data"}]``) written after the move's event; ``effects(record,
    action, event)`` runs after commit. Returns the moved record (fresh, saved); ``record`` is refreshed too."""
    data = dict(data or {})
    comment = (comment or "").strip()
    if action not in wf.actions():
        raise wf.error(_("Unknown action."))
    with transaction.atomic():
        rec = lock(wf, record)
        from_state = wf.state_of(rec)
        move_ = wf.table.get(from_state, {}).get(action)
        if move_ is None:
            raise wf.error(refusal_message(wf, rec, action))
        if not permitted(wf, rec, move_, by):
            raise wf.forbidden(str(wf.forbidden_message) % wf.params(rec))
        now = now or timezone.now()
        ctx = GuardContext(wf, rec, action, by, now, data)
        for g in move_.guards:
            if not g.test(ctx):
                raise wf.error(str(g.message) % wf.params(rec) if g.message else refusal_message(wf, rec, action))
        notes = apply(rec, ctx) if apply is not None else None
        setattr(rec, wf.field, move_.to)  # the one place a workflow's state is set
        if wf.history:
            rec._history_user = by.user if by is not None else None
        rec.save()
        event = event_write(wf, rec, action=action, from_state=from_state, to_state=move_.to, by=by, at=now,
                            comment=comment, data=data, **(event_extra or {}))
        for note in notes or ():
            event_write(wf, rec, from_state="", to_state=move_.to, by=by, at=now, **note)
        if effects is not None:
            transaction.on_commit(lambda: effects(rec, action, event))
    if record is not rec:
        record.refresh_from_db()
    return rec


def create(wf: Workflow, record, action: str, *, by, comment: str = "", data: dict | None = None,
           at: dt.datetime | None = None, apply: Callable | None = None, event_extra: dict | None = None):
    """Save the new ``record`` by one of the table's creating moves (``TABLE[NEW][action]``): the roles and guards
    are checked as for any move, the state is the move's, and its first event says so — e.g. a call resolved on
    the phone is logged closed, in one move. Inside the caller's transaction (or one of its own)."""
    data = dict(data or {})
    move_ = wf.table.get(NEW, {}).get(action)
    if move_ is None:
        raise wf.error(_("Unknown action."))
    if not permitted(wf, record, move_, by):
        raise wf.forbidden(str(wf.forbidden_message) % wf.params(record))
    now = at or timezone.now()
    ctx = GuardContext(wf, record, action, by, now, data)
    for g in move_.guards:
        if not g.test(ctx):
            raise wf.error(str(g.message) % wf.params(record) if g.message else _("Unknown action."))
    with transaction.atomic(savepoint=False):
        if apply is not None:
            apply(record, ctx)
        setattr(record, wf.field, move_.to)  # a creating move sets the first state here
        if wf.history:
            record._history_user = by.user if by is not None else None
        record.save()
        event_write(wf, record, action=action, from_state=NEW, to_state=move_.to, by=by, at=now,
                    comment=(comment or "").strip(), data=data, **(event_extra or {}))
    return record


def record_created(wf: Workflow, record, *, by, action: str = "create", comment: str = "", data: dict | None = None,
                   at: dt.datetime | None = None, **extra):
    """The first event of a record just saved in its initial state (a new record never starts further on)."""
    initial = wf.model._meta.get_field(wf.field).get_default()
    state = wf.state_of(record)
    if state != initial:
        raise ValueError(f"{wf.name}: a new record starts at {initial!r}, not {state!r}")
    return event_write(wf, record, action=action, from_state="", to_state=state, by=by,
                       at=at or timezone.now(), comment=comment, data=data, **extra)


def transition_many(wf: Workflow, records, action: str, *, comment: str = "", data: dict | None = None,
                    now: dt.datetime | None = None, fields: dict | None = None) -> int:
    """The product's own move (``SYSTEM``) on many records at once, e.g. a recomputation withdrawing the
    penalty records whose events are gone: rows locked, each checked against the table, the state set with
    one UPDATE per state, one event row each. Records the table does not let move are left as they are.
    Returns how many moved. Inside the caller's transaction."""
    now = now or timezone.now()
    ids = [r.pk if hasattr(r, "pk") else r for r in records]
    if not ids:
        return 0
    moved = 0
    with transaction.atomic():
        by_state: dict[str, list] = {}
        for pk, state in (wf.model.objects.select_for_update().filter(pk__in=ids).order_by("pk")
                          .values_list("pk", wf.field)):
            move_ = wf.table.get(state, {}).get(action)
            if move_ is None or SYSTEM not in move_.roles:
                continue
            by_state.setdefault(state, []).append(pk)
        spec = wf.events
        events = []
        for state, pks in by_state.items():
            to = wf.table[state][action].to
            wf.model.objects.filter(pk__in=pks).update(**{wf.field: to}, **(fields or {}))
            moved += len(pks)
            for pk in pks:
                row = {spec.record + "_id": pk, spec.action: spec.action_to_stored.get(action, action),
                       spec.by: None}
                if spec.from_state:
                    row[spec.from_state] = state
                if spec.to_state:
                    row[spec.to_state] = to
                if spec.at:
                    row[spec.at] = now
                if spec.comment:
                    row[spec.comment] = comment
                if spec.data:
                    row[spec.data] = serialisable(data or {})
                events.append(spec.model(**row))
        spec.model.objects.bulk_create(events, batch_size=1000)
    return moved
