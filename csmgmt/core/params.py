"""The one reader of query strings: every GET parameter of every list and month page is read here.

A page declares its parameters and the view gets them parsed, bounded and typed; a bad value (a NUL in a search
box, ``?month=9999-12``, ``?page=abc``) is answered with the default and a clear message, never a 500, and never
reaches the database::

    LIST = (Param.text("q", label=_("search")), Param.month("month"), Param.page())

    @reads(*LIST)
    def complaints_list(request):
        q, month, page = request.params["q"], request.params["month"], request.params["page"]

``@reads`` parses ``request.GET`` into ``request.params`` (a :class:`Params`: the values, the messages, and the
query string to keep in pagination links) and records the declaration on the view (``view.page_params``), so
the fuzz test finds every page and every parameter. Views never read ``request.GET`` themselves
(``tests/test_architecture.py``)."""

import datetime as dt
from dataclasses import dataclass, field
from functools import wraps
from typing import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .sheets import Period

FIRST_YEAR, LAST_YEAR = 2000, 2099  # the months and days a page may be asked for
MAX_PAGE = 100_000
MAX_TEXT = 100
MAX_ID = 2**31 - 1


def clean_text(value: str, max_length: int = MAX_TEXT) -> tuple[str, bool]:
    """Text without control characters (NUL first of all: PostgreSQL refuses it), trimmed and cut to length.
    Returns (text, whether anything was removed)."""
    kept = "".join(ch for ch in value if ch.isprintable() or ch == " ")
    cut = " ".join(kept.split())[:max_length]
    return cut, kept != value or len(" ".join(kept.split())) > max_length


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # text | int | choice | month | date | page | flag
    default: object = None
    label: object = ""
    choices: tuple | Callable = ()  # choice: values allowed (or a function giving them, called per request)
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = MAX_TEXT
    many: bool = False  # several values (``?status=a&status=b``)

    # --- declarations ---
    @classmethod
    def text(cls, name="q", *, label=gettext_lazy("search"), max_length=MAX_TEXT, default=""):
        return cls(name, "text", default=default, label=label, max_length=max_length)

    @classmethod
    def integer(cls, name, *, label="", default=None, minimum=1, maximum=MAX_ID):
        return cls(name, "int", default=default, label=label or name, minimum=minimum, maximum=maximum)

    @classmethod
    def choice(cls, name, choices, *, label="", default="", many=False):
        return cls(name, "choice", default=default, label=label or name, choices=choices, many=many)

    @classmethod
    def month(cls, name="month", *, label=gettext_lazy("month"), default=None):
        return cls(name, "month", default=default, label=label)

    @classmethod
    def date(cls, name, *, label="", default=None):
        return cls(name, "date", default=default, label=label or name)

    @classmethod
    def page(cls, name="page"):
        return cls(name, "page", default=1, label=gettext_lazy("page"), minimum=1, maximum=MAX_PAGE)

    @classmethod
    def flag(cls, name, *, value="1", label=""):
        return cls(name, "flag", default=False, label=label or name, choices=(value,))

    # --- reading one value ---
    def _default(self):
        return self.default() if callable(self.default) else self.default

    def parse(self, raw: str):
        """(value, message or None) for one raw value; the default with a message when it is bad."""
        if self.kind == "text":
            text, changed = clean_text(raw, self.max_length)
            return text, (_("Characters that cannot be searched were left out.") if changed else None)
        if self.kind == "flag":
            return raw in self.choices, None
        raw = raw.strip()
        if raw == "":
            return self._default(), None
        try:
            if self.kind in ("int", "page"):
                if not raw.isdigit() or len(raw) > 10:
                    raise ValueError
                value = int(raw)
                if (self.minimum is not None and value < self.minimum) or (
                        self.maximum is not None and value > self.maximum):
                    raise ValueError
                return value, None
            if self.kind == "choice":
                allowed = {str(c) for c in (self.choices() if callable(self.choices) else self.choices)}
                if raw not in allowed:
                    raise ValueError
                return raw, None
            if self.kind == "month":
                period = Period.parse(raw[:7] if len(raw) <= 7 else "x")
                if not FIRST_YEAR <= period.year <= LAST_YEAR:
                    raise ValueError
                return period, None
            if self.kind == "date":
                day = dt.date.fromisoformat(raw[:10] if len(raw) == 10 else "x")
                if not FIRST_YEAR <= day.year <= LAST_YEAR:
                    raise ValueError
                return day, None
        except ValueError:
            return self._default(), self.refusal(raw)
        raise ValueError(f"unknown parameter kind {self.kind!r}")

    def refusal(self, raw: str) -> str:
        shown, _changed = clean_text(raw, 20)
        if self.kind == "month":
            return _("“%(value)s” is not a month between %(first)s-01 and %(last)s-12: showing the default.") % {
                "value": shown, "first": FIRST_YEAR, "last": LAST_YEAR}
        if self.kind == "date":
            return _("“%(value)s” is not a date (YYYY-MM-DD) between %(first)s and %(last)s: showing the default.") % {
                "value": shown, "first": FIRST_YEAR, "last": LAST_YEAR}
        if self.kind == "page":
            return _("There is no page “%(value)s”: showing the first page.") % {"value": shown}
        return _("“%(value)s” is not a valid %(label)s: it was ignored.") % {"value": shown, "label": self.label}


@dataclass
class Params:
    """What a page was asked for: ``params[name]`` (parsed values, defaults where absent or bad), ``messages``
    for the bad ones, and ``query(**changes)`` to build links that keep the other parameters."""

    values: dict
    messages: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # [(name, raw)] of the good values, for links

    def __getitem__(self, name):
        return self.values[name]

    def get(self, name, default=None):
        return self.values.get(name, default)

    def query(self, *, drop=("page",), **changes) -> str:
        pairs = [(k, v) for k, v in self.kept if k not in drop and k not in changes]
        pairs += [(k, v) for k, v in changes.items() if v not in (None, "")]
        return urlencode(pairs)

    def form_data(self) -> dict:
        """The good raw values, to bind a filter form that renders the inputs again."""
        data = {}
        for k, v in self.kept:
            data.setdefault(k, v)
        return data


def read(query, params: tuple[Param, ...]) -> Params:
    values, notes, kept = {}, [], []
    for p in params:
        raws = query.getlist(p.name)[:20] if p.many else ([query.get(p.name)] if p.name in query else [])
        if not raws or raws == [None]:
            values[p.name] = [] if p.many else p._default()
            continue
        parsed = []
        for raw in raws:
            value, note = p.parse(str(raw))
            if note:
                notes.append(note)
            if note is None or p.kind == "text":
                if value not in (None, "", False):
                    kept.append((p.name, value if p.kind == "text" else str(raw).strip()))
            parsed.append(value)
        values[p.name] = [v for v in parsed if v not in (None, "")] if p.many else parsed[-1]
    return Params(values=values, messages=notes, kept=kept)


def reads(*params: Param, announce: bool = True):
    """View decorator: ``request.params`` is the page's parameters, parsed; bad values are said in a message."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.params = read(request.GET, params)
            if announce:
                for note in request.params.messages:
                    messages.warning(request, note)
            return view(request, *args, **kwargs)

        wrapped.page_params = params
        return wrapped

    return decorator
