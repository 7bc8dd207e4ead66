"""The trust boundary in the imports: what each side of the grading core may import, read from
its import statements and held again at run time, in a fresh interpreter per side."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "autograder" / "gradecore"

SIDES = ("judge", "public", "kernel", "sandbox", "host", "protocol", "cli")
"""The grading core's subpackages, by side of the trust boundary: a module is on the side of its
folder. ``judge`` is trusted and never runs student code; ``kernel`` and ``sandbox`` run it;
``host`` is otter's process and the launchers, which start both sides but decide nothing;
``protocol`` is what crosses (formats, limits, settings), which runs nothing of anyone's;
``public`` is what students get too (the spec's types, comparison, structural description, the
encoding of answers and the public checks' helper); ``cli`` is the instructor's command."""
MAY_IMPORT = {
    "judge": {"judge", "public", "protocol"},
    "public": {"public"},
    "kernel": {"kernel", "public", "protocol"},
    "sandbox": {"sandbox", "kernel", "public", "protocol"},
    "host": {"host", "kernel", "sandbox", "public", "protocol"},
    "protocol": {"protocol"},
    "cli": set(SIDES),
}
"""The judge never imports what runs student code; the untrusted sides nothing of the judge's (the
truths, the cases, the catalogue); the host starts both but decides nothing (of the assignment it
reads the spec's questions only, from ``public``); what students get imports nothing else of the
core, so that the build can ship it alone."""

_IMPORTERS = ("import_module", "__import__")
"""Calls that import a module named by a string (``importlib.import_module``, ``__import__``)."""


def _core_imports(path: Path, core: Path = CORE, tree: ast.AST | None = None) -> set[str]:
    """The core modules that ``path`` imports, as names relative to the core (``host.procs``):
    its import statements, and the calls of :data:`_IMPORTERS` that name a module in a literal
    (read from ``tree`` where given, its parsed source)."""
    package = path.relative_to(core).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree or ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            if not node.level and not (node.module or "").startswith(CORE.name):
                continue
            module = (node.module or "").removeprefix(CORE.name).lstrip(".")
            stem = base + ([*module.split(".")] if module else [])
            targets = [".".join(stem + [a.name]) for a in node.names] + [".".join(stem)]
        elif isinstance(node, ast.Import):
            targets = [a.name.removeprefix(CORE.name + ".") for a in node.names if a.name.startswith(CORE.name + ".")]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            name = node.args[0].value
            if called in _IMPORTERS and isinstance(name, str) and name.startswith(CORE.name + "."):
                targets = [name.removeprefix(CORE.name + ".")]
        found.update(t for t in targets if t)
    return found


def _side(module: str) -> str | None:
    """The side of a core module (``host.procs``): its subpackage; None for the package itself."""
    side = module.split(".")[0]
    return side if "." in module else None


def _boundary_crossings(core: Path) -> list[str]:
    """Every import statement (or literal ``import_module``) of ``core`` that leaves its side's allow-list."""
    crossings = []
    for path in sorted(core.rglob("*.py")):
        module = path.relative_to(core).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
        if module == "__init__":
            continue
        side = _side(module) or module
        for imported in sorted(_core_imports(path, core)):
            target = imported.split(".")[0]
            if target in SIDES and target not in MAY_IMPORT[side]:
                crossings.append(f"{module} ({side}) imports {imported} ({target})")
    return crossings


def test_the_trust_boundary_shows_in_the_imports():
    """Each side of the boundary imports only what it may (an allow-list, as click's test_imports);
    a module is on a side by its folder, so a new module needs no entry here."""
    top = sorted(p.name for p in CORE.glob("*.py") if p.name != "__init__.py")
    assert top == [], f"modules on no side (outside every subpackage): {top}"
    assert {p.name for p in CORE.iterdir() if (p / "__init__.py").is_file()} == set(SIDES)
    assert _boundary_crossings(CORE) == []


_LOADED = """\
import importlib, json, pkgutil, sys
root, side = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
import gradecore
assert gradecore.__file__.startswith(root), gradecore.__file__
package = importlib.import_module("gradecore." + side)
for entry in pkgutil.iter_modules(package.__path__):
    importlib.import_module(f"gradecore.{side}.{entry.name}")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("gradecore", "assignments", "solutions", "tensorflow"))))
"""
"""Run in ``python -I`` (no user site, no ``PYTHONPATH``, no current folder): imports every module of
one side from the core under ``root`` and prints what of the core, the assignments, the solutions
and TensorFlow is then loaded."""


def _loading(side: str, core: Path = CORE) -> subprocess.Popen:
    """A fresh interpreter that imports every module of ``side`` (of the core at ``core``)."""
    return subprocess.Popen([sys.executable, "-I", "-c", _LOADED, str(core.parent), side], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=core.parent)


def _loaded(run: subprocess.Popen) -> list[str]:
    """What of the core (and the assignments, the solutions, TensorFlow) it then had loaded."""
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err[-3000:]
    return json.loads(out.splitlines()[-1])


def _loaded_by(side: str, core: Path = CORE) -> list[str]:
    return _loaded(_loading(side, core))


RUN_TIME_SIDES = [s for s in SIDES if s != "cli"]
"""The sides held at run time: all but the instructor's command, which may import every side."""


@pytest.fixture(scope="module")
def side_imports() -> dict[str, list[str]]:
    """Each side's interpreter, all started at once (each pays Python's and NumPy's start-up alone)."""
    runs = {side: _loading(side) for side in RUN_TIME_SIDES}
    return {side: _loaded(run) for side, run in runs.items()}


def _forbidden(side: str, loaded: list[str]) -> list[str]:
    """What of ``loaded`` the side may not import: another side's modules, an assignment, a solution."""
    wrong = []
    for module in loaded:
        top, _, rest = module.partition(".")
        if top in ("assignments", "solutions") or (top == "gradecore" and rest
                                                    and rest.split(".")[0] not in MAY_IMPORT[side]):
            wrong.append(module)
    return wrong


@pytest.mark.parametrize("side", RUN_TIME_SIDES)
def test_a_side_loads_nothing_of_a_side_it_may_not_import(side, side_imports):
    """The allow-list held at run time: a fresh interpreter that imports all of one side has no
    module of a forbidden side in ``sys.modules``, however it came there (``importlib``, a plugin's
    entry point, a module that an allowed one imports). Nothing below the instructor's command
    imports TensorFlow on being imported."""
    loaded = side_imports[side]
    assert f"gradecore.{side}" in loaded
    assert _forbidden(side, loaded) == []
    assert not [m for m in loaded if m.split(".")[0] == "tensorflow"], "importing the side imported TensorFlow"


def test_an_import_by_name_that_the_statements_hide_is_caught_at_run_time(tmp_path):
    """The negative control: a copy of the core whose kernel side imports the judge's truths through
    ``importlib`` with a computed name passes the import statements' check, and fails the run-time one."""
    core = tmp_path / CORE.name
    shutil.copytree(CORE, core, ignore=shutil.ignore_patterns("__pycache__"))
    planted = core / "kernel" / "calls.py"
    planted.write_text(planted.read_text() + '\nimport importlib\nimportlib.import_module(".".join(["gradecore", "judge", "truths"]))\n')
    assert _boundary_crossings(core) == [], "the computed name is invisible to the statements"
    assert "gradecore.judge.truths" in _forbidden("kernel", _loaded_by("kernel", core))
    # with the name written out, the statements' check sees it too
    planted.write_text(planted.read_text() + 'importlib.import_module("gradecore.judge.cases")\n')
    assert _boundary_crossings(core) == ["kernel.calls (kernel) imports judge.cases (judge)"]
