"""The grading core's imports form no circle: a graph of them, read from every module's source.

Every import counts, where it stands: at the top of a module, inside a function (a lazy import
that hid a circle, as ``host/template.py`` and its neighbours did until 2026-12-08), or as a
literal name given to ``importlib.import_module`` or ``__import__``. A circle means two rooms
that each need the other: the shared piece belongs in a room below both.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.unit.test_sides import CORE, _core_imports


def _module_name(path: Path, core: Path) -> str:
    """``host/procs.py`` -> ``host.procs``; a package is named by its folder (``host``)."""
    name = path.relative_to(core).with_suffix("").as_posix().replace("/", ".")
    return name.removesuffix(".__init__") if name != "__init__" else ""


def _run_time_tree(path: Path) -> ast.AST:
    """The module's syntax, less what runs only under a type checker (``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in (getattr(node.test, "id", None),
                                                            getattr(node.test, "attr", None)):
            node.body = [ast.Pass()]
    return tree


def import_graph(core: Path = CORE) -> dict[str, set[str]]:
    """Each module of ``core`` (dotted, relative to it; the package itself is ``""``) and the modules
    of ``core`` it imports when it runs. An imported name that is not a module (``from .procs import
    alive``) stands for the module that holds it."""
    sources = {_module_name(path, core): path for path in sorted(core.rglob("*.py"))}

    def module_of(name: str) -> str:
        while name and name not in sources:
            name = name.rpartition(".")[0]
        return name

    return {module: {found for found in map(module_of, _core_imports(path, core, _run_time_tree(path)))
                     if found != module}
            for module, path in sources.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (Tarjan's), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_core_imports_form_no_circle():
    """Lazy imports inside functions and literal ``import_module`` names included; an import for
    the type checker alone (``if TYPE_CHECKING:``), which never runs, left out."""
    assert cycles(import_graph()) == []


def test_a_lazy_import_that_closes_a_circle_is_caught(tmp_path):
    """The check sees an import hidden in a function, and one by name through ``importlib``."""
    core = tmp_path / "gradecore"
    (core / "host").mkdir(parents=True)
    for name in ("__init__.py", "host/__init__.py"):
        (core / name).write_text("")
    (core / "host" / "low.py").write_text("from . import high\n")
    (core / "host" / "high.py").write_text("def later():\n    from .low import thing\n")
    assert cycles(import_graph(core)) == [["host.high", "host.low"]]
    (core / "host" / "low.py").write_text(
        "import importlib\n\ndef later():\n    importlib.import_module('gradecore.host.high')\n")
    assert cycles(import_graph(core)) == [["host.high", "host.low"]]
    (core / "host" / "high.py").write_text("X = 1\n")
    assert cycles(import_graph(core)) == []
