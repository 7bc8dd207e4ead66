"""The similarity bench's class: independent correct solutions of each assignment, and disguised copies.

Independent solutions come from three places, each written apart from the others:

- the reference solution (``solutions/<name>/solution.py``);
- compositions of the correct styles that ``solutions/<name>/styles.py`` collects, composition
  ``i`` taking style ``i`` of every graded function, so two compositions share no function;
- the hand-written solutions in ``bench/similarity/<name>/*.py`` (loops against vectorised,
  helpers against inline, other naming conventions).

Each independent solution is then copied under every disguise of :mod:`disguise`, as a ``.py``
and once more as a notebook split in cells. The copies are written into a folder given by the
caller (a temporary one), never into the student material.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from dataclasses import dataclass
from pathlib import Path

import disguise
import nbformat

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ASSIGNMENTS = ("rnn_shapes", "rnn_bptt", "gated_rnn_shapes")


@dataclass
class Entry:
    """One submission of the bench's class."""

    path: Path
    """where it was written"""
    origin: str
    """the independent solution it is (or copies)"""
    disguise: str
    """``independent``, or the disguise of a copy"""


def _style_source(style, graded: str) -> str:
    """A style's source text with the graded function's name (text styles are kept as they are)."""
    if isinstance(style, str):
        return textwrap.dedent(style).strip() + "\n"
    source = textwrap.dedent(inspect.getsource(style))
    tree = ast.parse(source)
    tree.body[0].name = graded
    return ast.unparse(tree) + "\n"


def independents(name: str) -> dict[str, str]:
    """The independent correct solutions of assignment ``name``, by a short label."""
    found = {"reference": (ROOT / "solutions" / name / "solution.py").read_text()}
    styles = importlib.import_module(f"solutions.{name}.styles").STYLES
    for i in range(min(len(s) for s in styles.values())):
        parts = ["import numpy as np\n"] + [_style_source(s[i], q) for q, s in styles.items()]
        found[f"styles{i}"] = "\n\n".join(parts)
    for path in sorted((HERE / name).glob("*.py")):
        found[path.stem] = path.read_text()
    return found


def graded_names(name: str) -> set[str]:
    return set(importlib.import_module(f"solutions.{name}.styles").STYLES)


def handout_cells(name: str) -> list[str]:
    """The built student notebook's code cells but its stubs (``make dist`` first; none without it)."""
    notebook = ROOT / "dist" / name / "student" / f"{name}.ipynb"
    if not notebook.is_file():
        return []
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    return [c for c in cells if "NotImplementedError" not in c]


def write_class(name: str, folder: Path, seed: int = 0) -> list[Entry]:
    """Write the bench's class of ``name`` into ``folder``: each independent solution and its copies."""
    folder.mkdir(parents=True, exist_ok=True)
    graded = graded_names(name)
    handout = handout_cells(name)
    entries = []
    for n, (label, source) in enumerate(independents(name).items()):
        path = folder / f"{label}__independent.py"
        path.write_text(source)
        entries.append(Entry(path, label, "independent"))
        for kind, make in disguise.DISGUISES.items():
            path = folder / f"{label}__{kind}.py"
            path.write_text(make(source, graded, seed + n))
            entries.append(Entry(path, label, kind))
        path = folder / f"{label}__notebook.ipynb"
        path.write_text(disguise.as_notebook(disguise.everything(source, graded, seed + 100 + n), handout))
        entries.append(Entry(path, label, "notebook"))
    return entries
