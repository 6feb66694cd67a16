"""tickets sits on the floor above staff and the ground: it imports neither complaints nor lostfound (they
contribute through the registry: caller history, the records opened from a call, customer merges) nor the
roof of csmgmt."""

import ast
from pathlib import Path

import tickets

ALLOWED_CSMGMT = "csmgmt.core"
FORBIDDEN = ("complaints", "lostfound")


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_tickets_imports_no_app_above_it_and_not_the_roof():
    root = Path(tickets.__file__).parent
    wrong = []
    for path in sorted(root.rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN or (top == "csmgmt" and not module.startswith(ALLOWED_CSMGMT)):
                wrong.append(f"{path.relative_to(root.parent)}: {module}")
    assert wrong == []
