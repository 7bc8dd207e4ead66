"""The submissions a container check grades: an assignment's samples, and variants made from its
reference solution (correct, buggy, hung and crashing, each as ``.py`` and as ``.ipynb``), so that
the check works for any assignment that ships a solution.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__"}


def solution_path(assignment: str) -> Path:
    """The assignment's reference solution: ``solutions/<name>/solution.py``."""
    path = ROOT / "solutions" / assignment / "solution.py"
    if not path.exists():
        raise FileNotFoundError(f"no reference solution for {assignment}")
    return path


def examples_dir(assignment: str) -> Path | None:
    """The assignment's sample submissions: ``assignments/<name>/examples/``."""
    path = ROOT / "assignments" / assignment / "examples"
    return path if path.is_dir() else None


@dataclass
class Submission:
    """One file to grade."""

    label: str
    """Its name in the table: ``examples/alice`` or ``variant/buggy.py``."""
    path: Path
    """The file, named as the student would name it (``<assignment>.py`` or ``.ipynb``)."""


def _functions(source: str) -> list[str]:
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]


def variant_sources(solution: str) -> dict[str, str]:
    """Sources of the variants of a solution, by name.

    - ``correct``: the solution itself;
    - ``buggy``: its first function an untouched stub, its last one returning None;
    - ``hang``: its last function loops forever (the per-call time limit must stop it);
    - ``crash``: the kernel kills itself after defining everything;
    - ``memory`` (not graded by default): keeps a 1.25 GiB array, within the kernel's own limit
      but over Gradescope's default 768 MB, to see what a container's memory limit does.
    """
    names = _functions(solution)
    if not names:
        raise ValueError("the solution defines no function")
    first, last = names[0], names[-1]
    return {
        "correct": solution,
        "buggy": solution
        + f"\n\ndef {first}(*args, **kwargs):\n    raise NotImplementedError\n"
        + f"\n\ndef {last}(*args, **kwargs):\n    return None\n",
        "hang": solution + f"\n\ndef {last}(*args, **kwargs):\n    while True:\n        pass\n",
        "crash": solution + "\n\nimport os as _os\nimport signal as _signal\n\n_os.kill(_os.getpid(), _signal.SIGKILL)\n",
        "memory": solution + "\n\nimport numpy as _np\n\n_kept = _np.ones((1024, 1024, 160))\n",
    }


DEFAULT_VARIANTS = ["correct", "buggy", "hang", "crash"]


def as_notebook(source: str) -> str:
    """A notebook with one code cell per top-level statement group, as a student would split it."""
    tree = ast.parse(source)
    lines = source.splitlines()
    cells, start = [], 0
    for node in tree.body[1:]:
        begin = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno) - 1
        cells.append("\n".join(lines[start:begin]).strip())
        start = begin
    cells.append("\n".join(lines[start:]).strip())
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells if c]
    return json.dumps(nb, indent=1)


def generated(assignment: str, out: Path, variants: list[str] | None = None) -> list[Submission]:
    """Write the variants of the assignment's solution under ``out`` and list them."""
    sources = variant_sources(solution_path(assignment).read_text())
    found = []
    for name in variants or DEFAULT_VARIANTS:
        for ext in (".py", ".ipynb"):
            path = out / assignment / f"{name}{ext}" / f"{assignment}{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(sources[name] if ext == ".py" else as_notebook(sources[name]))
            found.append(Submission(f"variant/{name}{ext}", path))
    return found


def samples(folder: Path) -> list[Submission]:
    """Every ``.py`` and ``.ipynb`` under ``folder`` (nested too), but no checkpoint or cache."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.suffix not in (".py", ".ipynb") or path.name == "__init__.py":
            continue
        if any(p in SKIP_PARTS or p.startswith(".") for p in rel.parts):
            continue
        found.append(Submission(f"{folder.name}/{rel.as_posix()}", path))
    return found
