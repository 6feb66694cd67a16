"""Every notice the code sends is a message key (issue 14: "Notices in the reader's language … Every later notice
uses it"): ``notification_send(message=…)`` is given a lazy translatable string (``gettext_lazy``/``pgettext_lazy``,
directly, through a choice between two, or through a name or a table of them), never text already translated
(``gettext``, an f-string, a plain string) — that one would reach every reader in the sender's language. Read from
the code (ast), so that it cannot drift; the reader is itself tested on each way of writing a message."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CODE_DIRS = ("csmgmt", "staff", "tickets", "complaints", "lostfound")
LAZY = {"gettext_lazy", "pgettext_lazy", "ngettext_lazy", "npgettext_lazy"}


def _lazy_names(tree) -> set[str]:
    """The names this module gives the lazy translation functions (``gettext_lazy as _``)."""
    return {a.asname or a.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
            for a in node.names if a.name in LAZY}


def _assignments(tree) -> dict[str, list]:
    out: dict[str, list] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            out.setdefault(node.target.id, []).append(node.value)
    return out


def _is_lazy(expr, lazy, assigned, depth=0) -> bool:
    if depth > 5:
        return False
    if isinstance(expr, ast.Call):
        f = expr.func
        return (isinstance(f, ast.Name) and f.id in lazy) or (isinstance(f, ast.Attribute) and f.attr in LAZY)
    if isinstance(expr, ast.IfExp):
        return _is_lazy(expr.body, lazy, assigned, depth + 1) and _is_lazy(expr.orelse, lazy, assigned, depth + 1)
    if isinstance(expr, ast.Dict):
        return bool(expr.values) and all(_is_lazy(v, lazy, assigned, depth + 1) for v in expr.values)
    if isinstance(expr, ast.Subscript):
        return _is_lazy(expr.value, lazy, assigned, depth + 1)
    if isinstance(expr, ast.Name):  # every value the module ever gives the name must be lazy
        values = assigned.get(expr.id, [])
        return bool(values) and all(_is_lazy(v, lazy, assigned, depth + 1) for v in values)
    return False


def _sends_not_keyed(source: str, rel: str = "x.py") -> list[tuple[str, int]]:
    tree = ast.parse(source)
    lazy, assigned = _lazy_names(tree), _assignments(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if (f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")) == "notification_send":
                message = next((k.value for k in node.keywords if k.arg == "message"), None)
                if message is None or not _is_lazy(message, lazy, assigned):
                    found.append((rel, node.lineno))
    return found


def test_every_notice_the_code_sends_is_a_message_key():
    found = []
    for d in CODE_DIRS:
        for path in sorted((ROOT / d).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in rel:
                found += _sends_not_keyed(path.read_text(encoding="utf-8"), rel)
    assert found == [], "pass notification_send a gettext_lazy/pgettext_lazy message (csmgmt/core/notices.py)"


LAZY_IMPORT = "from django.utils.translation import gettext_lazy as _, pgettext_lazy, gettext\n"


@pytest.mark.parametrize(("body", "keyed"), [
    ("notification_send(recipient=r, message=_('Call %(n)s is due.'), params={'n': 1})", True),
    ("notification_send(recipient=r, message=pgettext_lazy('clock', 'Running'))", True),
    ("notification_send(recipient=r, message=_('Approved.') if ok else _('Refused.'))", True),
    ("MSG = _('Late.')\ndef f(r):\n    notification_send(recipient=r, message=MSG)", True),
    ("MSGS = {'a': _('A.'), 'b': _('B.')}\ndef f(r, k):\n    notification_send(recipient=r, message=MSGS[k])", True),
    ("notification_send(recipient=r, message=gettext('Call is due.'))", False),  # already translated
    ("notification_send(recipient=r, message='投诉即将超时')", False),
    ("notification_send(recipient=r, message=f'Call {n} is due.')", False),
    ("notification_send(recipient=r, message=_('Approved.') if ok else 'Refused.')", False),
    ("MSG = gettext('Late.')\ndef f(r):\n    notification_send(recipient=r, message=MSG)", False),
    ("def f(r, text):\n    notification_send(recipient=r, message=text)", False),  # whatever the caller gives
    ("notification_send(recipient=r)", False),
])
def test_the_reader_tells_a_message_key_from_translated_text(body, keyed):
    assert (_sends_not_keyed(LAZY_IMPORT + body) == []) is keyed
