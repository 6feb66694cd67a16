"""The shape of the code, read from the code itself (ast), so that it cannot drift:

- the floors: the ground (``csmgmt/core``) imports no app; no app imports the roof (the rest of ``csmgmt``);
  apps import only the floors below them; no two packages import each other;
- every workflow's state is set by the engine alone (``csmgmt/core/workflow.py``) and migrations;
- no module over 600 lines;
- every service's ``by`` is an Employee;
- no code reads the query string but the one parser (``csmgmt/core/params.py``), and no redirect is built from
  what the request sent but through ``csmgmt/core/redirects.py``.
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models

ROOT = Path(settings.BASE_DIR)
APPS = ("staff", "tickets", "complaints", "lostfound", "knowledge", "targets", "quality")
CODE_DIRS = ("csmgmt", *APPS)
ENGINE = "csmgmt/core/workflow.py"


def _modules(*dirs, migrations=False):
    for d in dirs:
        for path in sorted((ROOT / d).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not migrations and "/migrations/" in rel:
                continue
            yield rel, path


def _module_name(rel: str) -> str:
    name = rel[:-3].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _imports(rel: str, tree) -> set[str]:
    """Every module this file imports, function-local imports included, relative ones resolved."""
    package = _module_name(rel) if rel.endswith("__init__.py") else _module_name(rel).rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)  # "from csmgmt import core" names a package
    return out


def _node(module: str) -> str | None:
    """The floor plan's node of a module: an app, a sub-package of csmgmt, or the roof (csmgmt's own modules)."""
    parts = module.split(".")
    if parts[0] in APPS:
        return parts[0]
    if parts[0] != "csmgmt":
        return None
    if len(parts) == 1:
        return "csmgmt"
    sub = ROOT / "csmgmt" / parts[1]
    return f"csmgmt.{parts[1]}" if sub.is_dir() else "csmgmt"


# apps may import the floors below them (and the ground); the ground nothing of ours
ALLOWED = {
    "csmgmt.core": set(),
    "staff": {"csmgmt.core"},
    "tickets": {"csmgmt.core", "staff"},
    "complaints": {"csmgmt.core", "staff", "tickets"},
    "lostfound": {"csmgmt.core", "staff", "tickets"},
    "knowledge": {"csmgmt.core", "staff", "tickets", "complaints"},
    "targets": {"csmgmt.core", "staff", "tickets", "complaints"},
    # issue 20's apps floor: reads calls and complaints, feeds scoring through its services and the registry
    "quality": {"csmgmt.core", "staff", "tickets", "complaints"},
}
ROOF = {"csmgmt", "csmgmt.management", "csmgmt.migrations"}


def _graph():
    edges = {}
    for rel, path in _modules(*CODE_DIRS, migrations=True):
        src = _node(_module_name(rel))
        for mod in _imports(rel, ast.parse(path.read_text(encoding="utf-8"))):
            dst = _node(mod)
            if dst is not None and dst != src and not (src in ROOF and dst in ROOF):
                edges.setdefault((src, dst), set()).add(rel)
    return edges


def test_the_floors_run_one_way():
    edges = _graph()
    wrong = sorted((src, dst, sorted(files)) for (src, dst), files in edges.items()
                   if src in ALLOWED and dst not in ALLOWED[src])
    assert wrong == []


def test_no_two_packages_import_each_other():
    edges = _graph()
    both = sorted((a, b) for (a, b) in edges if (b, a) in edges and a < b)
    assert both == []


def test_csmgmt_init_imports_no_app():
    tree = ast.parse((ROOT / "csmgmt" / "__init__.py").read_text(encoding="utf-8"))
    assert {_node(m) for m in _imports("csmgmt/__init__.py", tree)} <= {"csmgmt", None}


def test_no_module_is_over_600_lines():
    long = {rel: n for rel, path in _modules(*CODE_DIRS, "bench")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


# --- hostile input: one query-string reader, one ``next`` ------------------------------------------------

QUERY_READERS = {"csmgmt/core/params.py", "csmgmt/core/redirects.py"}
REDIRECTS = {"redirect", "HttpResponseRedirect", "HttpResponsePermanentRedirect"}
REQUEST_DATA = {"GET", "POST", "META", "headers", "COOKIES", "body"}


def _query_string_reads(tree) -> list[int]:
    """Lines that touch ``<anything>.GET`` or the raw query string."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "GET":
            lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and node.value == "QUERY_STRING":
            lines.append(node.lineno)
    return lines


def _redirects_from_request(tree) -> list[int]:
    """Lines where a redirect's target is computed from what the request sent (``redirect(request.POST[...])``)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in REDIRECTS:
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if any(isinstance(n, ast.Attribute) and n.attr in REQUEST_DATA for n in ast.walk(arg)):
                lines.append(node.lineno)
    return lines


def test_no_view_reads_the_query_string_around_the_parser():
    found = {rel: lines for rel, path in _modules(*CODE_DIRS) if rel not in QUERY_READERS
             if (lines := _query_string_reads(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}, "declare the page's parameters with @reads(Param...) (csmgmt/core/params.py)"


def test_no_redirect_goes_where_the_request_says_but_through_safe_next():
    found = {rel: lines for rel, path in _modules(*CODE_DIRS) if rel not in QUERY_READERS
             if (lines := _redirects_from_request(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}, "send the user on with redirect_next(request, default) (csmgmt/core/redirects.py)"


@pytest.mark.parametrize(("source", "reads_query", "redirects"), [
    ("q = request.GET.get('q')", True, False),
    ("q = self.request.GET['q']", True, False),
    ("q = request.META['QUERY_STRING']", True, False),
    ("return redirect(request.POST.get('next') or 'home')", False, True),
    ("return HttpResponseRedirect(request.headers['Referer'])", False, True),
    ("return redirect('tickets:detail', call.pk)", False, False),
    ("return redirect_next(request, 'home')", False, False),
])
def test_the_hostile_input_readers_catch(source, reads_query, redirects):
    tree = ast.parse(source)
    assert bool(_query_string_reads(tree)) is reads_query
    assert bool(_redirects_from_request(tree)) is redirects


# --- every service's ``by`` is an Employee --------------------------------------------------------------


def _service_modules():
    for rel, path in _modules(*CODE_DIRS):
        parts = rel.split("/")
        if "services" in parts or parts[-1] == "services.py":
            yield rel, path


def test_every_service_takes_by_as_a_keyword_only_employee():
    wrong = []
    for rel, path in _service_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            positional = [a.arg for a in node.args.posonlyargs + node.args.args]
            kwonly = {a.arg: a for a in node.args.kwonlyargs}
            if "by" in positional:
                wrong.append((rel, node.name, "by is positional"))
            elif "by" in kwonly:
                note = kwonly["by"].annotation
                text = ast.unparse(note) if note is not None else ""
                if text not in ("Employee", "Employee | None", "'Employee'", '"Employee"'):
                    wrong.append((rel, node.name, text or "no annotation"))
    assert wrong == []


# --- the state of a workflow is set by the engine alone ---------------------------------------------------


def _workflows():
    from csmgmt.core.workflow import workflows

    for rel, path in _modules(*APPS):
        if rel.endswith("/workflow.py") or "/workflow/" in rel:
            importlib.import_module(_module_name(rel))
    return workflows()


# Places that write a field called ``status``/``state``/``stage`` of a record the test cannot tell apart from a
# workflow's by reading the code, each checked by hand: (file, function) -> why it is not a workflow's state.
NOT_A_WORKFLOW = {
    ("csmgmt/report_services.py", "*"): "MonthlyReport.status: a report file's bookkeeping",
    ("csmgmt/core/imports.py", "*"): "ImportJob.status: an import job's bookkeeping",
}


class _StateWrites(ast.NodeVisitor):
    """Collects writes of a workflow state field in one module, with the model each one writes when the code
    says (an annotation, ``Model(...)``, ``Model.objects…``)."""

    def __init__(self, rel, fields, models):
        self.rel, self.fields, self.models = rel, fields, models  # fields: names; models: class name -> field
        self.func = "<module>"
        self.types: dict[str, str] = {}
        self.found = []

    def _model_of_expr(self, node):
        """The model class name an expression evaluates to, or None when unknown."""
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Call):
                node = node.func
            elif isinstance(node, ast.Subscript):
                node = node.value
            else:
                if isinstance(node.value, ast.Name) and node.attr == "objects":
                    return node.value.id
                node = node.value
        if isinstance(node, ast.Name):
            return node.id if node.id[:1].isupper() else self.types.get(node.id)
        return None

    def _annotation(self, node):
        if node is None:
            return None
        text = ast.unparse(node).strip("'\"").split("|")[0].strip()
        return text.rsplit(".", 1)[-1] or None

    def visit_FunctionDef(self, node):
        outer, outer_types = self.func, dict(self.types)
        self.func = node.name
        for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
            t = self._annotation(a.annotation)
            if t:
                self.types[a.arg] = t
        self.generic_visit(node)
        self.func, self.types = outer, outer_types

    visit_AsyncFunctionDef = visit_FunctionDef

    def _bind(self, target, value_model):
        if isinstance(target, ast.Name) and value_model:
            self.types[target.id] = value_model

    def visit_Assign(self, node):
        model = self._model_of_expr(node.value)
        for target in node.targets:
            self._check_target(target)
            self._bind(target, model)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._check_target(node.target)
        t = self._annotation(node.annotation) or (self._model_of_expr(node.value) if node.value else None)
        self._bind(node.target, t)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._check_target(node.target)
        self.generic_visit(node)

    def visit_For(self, node):
        self._bind(node.target, self._model_of_expr(node.iter))
        self.generic_visit(node)

    def _report(self, node, what, model):
        self.found.append((self.rel, self.func, what, model, node.lineno))

    def _verdict(self, node, field, model, what):
        if model in self.models:
            if self.models[model] == field:
                self._report(node, what, model)
        elif model is None or model[:1].islower():
            self._report(node, what, None)  # unknown record: a person must say it is not a workflow

    def _check_target(self, target):
        if isinstance(target, ast.Attribute) and target.attr in self.fields:
            self._verdict(target, target.attr, self._model_of_expr(target.value), f".{target.attr} =")

    def visit_Call(self, node):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
        if name == "setattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and node.args[1].value in self.fields:
            self._verdict(node, node.args[1].value, self._model_of_expr(node.args[0]), f"setattr {node.args[1].value}")
        elif name in ("update", "bulk_update") and isinstance(func, ast.Attribute):
            model = self._model_of_expr(func.value)
            written = {k.arg for k in node.keywords if k.arg} | set(self._unpacked_keys(node))
            if name == "bulk_update" and len(node.args) >= 2 and isinstance(node.args[1], (ast.List, ast.Tuple)):
                written |= {e.value for e in node.args[1].elts if isinstance(e, ast.Constant)}
            for field in written & self.fields:
                self._verdict(node, field, model, f"{name}({field}=)")
        elif name in ("create", "get_or_create", "update_or_create") or (
                isinstance(func, ast.Name) and func.id in self.models):
            model = func.id if isinstance(func, ast.Name) else self._model_of_expr(func.value)
            if model in self.models:
                field = self.models[model]
                given = [(k.arg, k.value) for k in node.keywords if k.arg]
                for k in node.keywords:  # defaults={"status": …}, create_defaults=…, **{"status": …}
                    if k.arg in ("defaults", "create_defaults") and isinstance(k.value, ast.Dict):
                        given += [(key.value, v) for key, v in zip(k.value.keys, k.value.values)
                                  if isinstance(key, ast.Constant)]
                given += [(key, v) for key, v in self._unpacked_items(node)]
                for arg, value in given:
                    if arg == field and not self._is_initial(model, value):
                        self._report(node, f"{name}({field}=)", model)
        self.generic_visit(node)

    @staticmethod
    def _unpacked_items(node):
        """(key, value) of ``**{"key": value}`` in a call."""
        for k in node.keywords:
            if k.arg is None and isinstance(k.value, ast.Dict):
                for key, value in zip(k.value.keys, k.value.values):
                    if isinstance(key, ast.Constant):
                        yield key.value, value

    def _unpacked_keys(self, node):
        return [key for key, _value in self._unpacked_items(node)]

    def _is_initial(self, model, value):
        return getattr(value, "attr", None) == self.initial_names.get(model)


def _state_writes():
    wfs = _workflows()
    state_fields = {wf.model.__name__: wf.field for wf in wfs}
    fields = set(state_fields.values())
    initial_names = {}  # model -> the name of its initial state's member (``ANALYSE`` for Stage.ANALYSE)
    for wf in wfs:
        default = wf.model._meta.get_field(wf.field).get_default()
        module = importlib.import_module(wf.model.__module__)
        for klass in [*vars(wf.model).values(), *vars(module).values()]:
            if isinstance(klass, type) and issubclass(klass, models.Choices):
                for member in klass:
                    if member.value == default and str(member.value) in dict(wf.model._meta.get_field(
                            wf.field).flatchoices):
                        initial_names[wf.model.__name__] = member.name
    found = []
    for rel, path in _modules(*CODE_DIRS):
        if rel == ENGINE:
            continue
        visitor = _StateWrites(rel, fields, state_fields)
        visitor.initial_names = initial_names
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found.extend(visitor.found)
    return wfs, found


def test_only_the_engine_sets_a_workflow_state():
    _wfs, found = _state_writes()
    unexplained = [f for f in found if (f[0], f[1]) not in NOT_A_WORKFLOW and (f[0], "*") not in NOT_A_WORKFLOW]
    assert unexplained == []


def test_every_record_that_moves_is_on_the_engine():
    wfs, _found = _state_writes()
    assert {f"{wf.model._meta.label}.{wf.field}" for wf in wfs} == {
        "complaints.Complaint.stage",
        "lostfound.FoundItem.status", "lostfound.LostReport.status", "lostfound.HandoverBatch.status",
        "tickets.Call.status", "tickets.CallRevisit.state",
        "knowledge.Article.state",
        "quality.Inspection.state",
        "staff.LeaveRequest.state", "staff.Correction.state", "staff.DutyLogEntry.state",
        "staff.Appeal.status", "staff.PenaltyRecord.status", "staff.ScoreMonth.status",
    }


@pytest.mark.parametrize("source, expected", [
    ("def f(c: Complaint):\n    c.stage = 'x'\n", [("f", ".stage =", "Complaint")]),
    ("def f(pk):\n    c = Complaint.objects.get(pk=pk)\n    setattr(c, 'stage', 'x')\n",
     [("f", "setattr stage", "Complaint")]),
    ("def f():\n    Complaint.objects.filter(pk=1).update(stage='closed')\n", [("f", "update(stage=)", "Complaint")]),
    ("def f(rows):\n    Complaint.objects.bulk_update(rows, ['stage'])\n", [("f", "bulk_update(stage=)", "Complaint")]),
    ("def f():\n    Complaint.objects.create(stage=Stage.CLOSED)\n", [("f", "create(stage=)", "Complaint")]),
    ("def f():\n    Complaint.objects.create(stage=Stage.ANALYSE)\n", []),
    ("def f(clock: ComplaintClock):\n    clock.stage = 'x'\n", []),
    ("def f(x):\n    x.stage = 'x'\n", [("f", ".stage =", None)]),
    ("def f():\n    Complaint.objects.get_or_create(pk=1, defaults={'stage': Stage.CLOSED})\n",
     [("f", "get_or_create(stage=)", "Complaint")]),
    ("def f():\n    Complaint.objects.update_or_create(pk=1, defaults={'stage': Stage.ANALYSE})\n", []),
    ("def f():\n    Complaint.objects.filter(pk=1).update(**{'stage': 'closed'})\n",
     [("f", "update(stage=)", "Complaint")]),
    ("def f():\n    Complaint.objects.create(**{'stage': Stage.CLOSED})\n", [("f", "create(stage=)", "Complaint")]),
])
def test_the_state_reader_catches_each_way_of_writing_a_state(source, expected):
    visitor = _StateWrites("x.py", {"stage"}, {"Complaint": "stage"})
    visitor.initial_names = {"Complaint": "ANALYSE"}
    visitor.visit(ast.parse(source))
    assert [(f, what, model) for _rel, f, what, model, _line in visitor.found] == expected
