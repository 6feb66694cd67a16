"""Where each translatable string is used: every gettext-family call in the project's Python (read with
``ast``) and every translate / blocktranslate tag in its templates (through Django's own ``templatize``, as
``makemessages`` reads them), with the app it belongs to. The catalogue itself is extracted with
``--no-location``, so the tests that need "which app uses this msgid" read the sources here."""

import ast
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("csmgmt", "tickets", "complaints", "lostfound", "staff", "knowledge", "targets", "quality")
SKIP_PARTS = {"migrations", "__pycache__"}
# function name -> (index of the context argument or None, index of the msgid argument)
CALLS = {
    "gettext": (None, 0), "_": (None, 0), "gettext_lazy": (None, 0), "gettext_noop": (None, 0),
    "ngettext": (None, 0), "ngettext_lazy": (None, 0),
    "pgettext": (0, 1), "pgettext_lazy": (0, 1), "npgettext": (0, 1), "npgettext_lazy": (0, 1),
}
_TEMPLATE_CALL = re.compile(r"\b(n?p?gettext|_)\(")


def app_of(path: Path) -> str:
    """The app a file belongs to: its package (csmgmt/core is the ground, "core"), or its templates folder."""
    rel = path.relative_to(ROOT).parts
    if rel[0] == "templates":
        return rel[1] if len(rel) > 2 and rel[1] in PACKAGES else "csmgmt"
    if rel[0] == "csmgmt" and len(rel) > 2 and rel[1] == "core":
        return "core"
    return rel[0]


def _name(func) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _python_uses(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in CALLS:
            continue
        ctx_at, msg_at = CALLS[_name(node.func)]
        args = node.args
        if len(args) <= msg_at or not (isinstance(args[msg_at], ast.Constant) and isinstance(args[msg_at].value, str)):
            continue
        context = args[ctx_at].value if ctx_at is not None and isinstance(args[ctx_at], ast.Constant) else None
        yield context, args[msg_at].value, node.lineno


def _template_uses(path: Path):
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for match in _TEMPLATE_CALL.finditer(text):
        # the arguments are Python literals: take the shortest tail that parses as a call
        end = match.end()
        while True:
            end = text.find(")", end) + 1
            if end == 0:
                break
            try:
                call = ast.parse(text[match.start():end], mode="eval").body
            except SyntaxError:
                continue
            name = call.func.id
            ctx_at, msg_at = (0, 1) if name.startswith(("pgettext", "npgettext")) else (None, 0)
            strings = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            context = strings[ctx_at] if ctx_at is not None else None
            line = text.count("\n", 0, match.start()) + 1
            yield context, strings[msg_at], line
            break


def msgid_uses() -> dict:
    """{(context, msgid): {app: ["path:line", ...]}} over the project's sources and templates."""
    uses: dict = defaultdict(lambda: defaultdict(list))
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if not SKIP_PARTS & set(p.parts)]
    for path in files:
        for context, msgid, line in _python_uses(path):
            uses[(context, msgid)][app_of(path)].append(f"{path.relative_to(ROOT)}:{line}")
    templates = list((ROOT / "templates").rglob("*.html")) + list((ROOT / "templates").rglob("*.txt"))
    for path in templates:
        for context, msgid, line in _template_uses(path):
            uses[(context, msgid)][app_of(path)].append(f"{path.relative_to(ROOT)}:{line}")
    return uses
