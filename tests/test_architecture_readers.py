"""The floor-plan test (``tests/test_architecture.py``) can fail: its reader of imports and its map of nodes are
checked here on written-out cases, and the graph it builds from the code holds the edges we know are there — an
empty reading would otherwise pass ``test_the_floors_run_one_way`` by seeing nothing (issue 14: "an
import-direction test, each csmgmt sub-package its own node")."""

import ast

import pytest

from tests.test_architecture import ALLOWED, _graph, _imports, _node


@pytest.mark.parametrize(("module", "node"), [
    ("csmgmt", "csmgmt"),
    ("csmgmt.reports", "csmgmt"),  # the roof
    ("csmgmt.report_services", "csmgmt"),
    ("csmgmt.core", "csmgmt.core"),  # the ground: a sub-package, its own node
    ("csmgmt.core.workflow", "csmgmt.core"),
    ("csmgmt.management.commands.load_demo", "csmgmt.management"),
    ("complaints.services", "complaints"),
    ("staff.attendance.services.leave", "staff"),
    ("django.db", None),
])
def test_each_module_maps_to_its_node(module, node):
    assert _node(module) == node


@pytest.mark.parametrize(("rel", "source", "expected"), [
    ("tickets/services.py", "from complaints.models import Complaint", {"complaints.models",
                                                                         "complaints.models.Complaint"}),
    ("tickets/services.py", "import csmgmt.reports", {"csmgmt.reports"}),
    ("tickets/services.py", "def f():\n    from csmgmt.reports import x", {"csmgmt.reports", "csmgmt.reports.x"}),
    ("tickets/services.py", "from .models import Call", {"tickets.models", "tickets.models.Call"}),
    ("staff/attendance/services/leave.py", "from ...models import LeaveRequest",
     {"staff.models", "staff.models.LeaveRequest"}),
    ("csmgmt/core/notices.py", "from .. import reports", {"csmgmt", "csmgmt.reports"}),
])
def test_the_import_reader_sees_every_kind_of_import(rel, source, expected):
    assert _imports(rel, ast.parse(source)) == expected


def test_the_graph_read_from_the_code_holds_the_edges_we_know():
    edges = _graph()
    # apps use the floors below them; the roof uses the apps (the rest through the registry)
    for edge in [("complaints", "tickets"), ("complaints", "staff"), ("complaints", "csmgmt.core"),
                 ("lostfound", "tickets"), ("lostfound", "staff"), ("tickets", "staff"), ("tickets", "csmgmt.core"),
                 ("staff", "csmgmt.core"), ("csmgmt", "staff"), ("csmgmt", "csmgmt.core")]:
        assert edge in edges, edge
    # and each of them is one the floor plan allows, or the roof's
    assert all(dst in ALLOWED[src] for src, dst in edges if src in ALLOWED)


def test_nothing_shipped_imports_the_benchmarks():
    """Issue 14: "the shipped generate_load_data stops importing bench/" — and nothing else shipped does (bench/ is
    not part of the product; its filler runs as ``python -m bench.generate_load_data``)."""
    from tests.test_architecture import CODE_DIRS, _modules

    found = sorted(rel for rel, path in _modules(*CODE_DIRS, migrations=True)
                   if any(m == "bench" or m.startswith("bench.")
                          for m in _imports(rel, ast.parse(path.read_text(encoding="utf-8")))))
    assert found == []
    assert _imports("csmgmt/management/commands/x.py", ast.parse("from bench.generate_load_data import run")) == {
        "bench.generate_load_data", "bench.generate_load_data.run"}
