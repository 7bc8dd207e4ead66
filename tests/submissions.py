"""Build whole submissions from the reference solution with chosen functions replaced.

Used by the tests to grade correct styles and catalogued mistakes exactly as students submit
them: as a ``.py`` file or as the student notebook with its stubs filled in.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path
from typing import Callable, Union

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "rnn_shapes.py"
QUESTIONS = ("count_params", "weight_shapes", "extract_weights", "manual_forward", "batched_forward", "sequence_forward")

Source = Union[str, Callable]


def reference_sources() -> dict[str, str]:
    """The source of each graded function in the reference solution."""
    text = SOLUTION.read_text()
    tree = ast.parse(text)
    return {
        node.name: ast.get_source_segment(text, node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name in QUESTIONS
    }


def _source(name: str, value: Source) -> str:
    """Source text defining ``name``: given as text, or taken from a function (renamed)."""
    if callable(value):
        text = textwrap.dedent(inspect.getsource(value))
        tree = ast.parse(text)
        func = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
        func.decorator_list = []
        func.name = name
        return ast.unparse(func)
    return textwrap.dedent(value).strip()


def py_submission(overrides: dict[str, Source] | None = None, header: str = "import numpy as np\n") -> str:
    """A ``.py`` submission: the reference with ``overrides`` replacing some functions."""
    sources = reference_sources()
    for name, value in (overrides or {}).items():
        sources[name] = _source(name, value)
    return header + "\n\n" + "\n\n\n".join(sources[q] for q in QUESTIONS if q in sources) + "\n"


def notebook_submission(student_notebook: Path, overrides: dict[str, Source] | None = None):
    """The student notebook with each stub cell replaced by the reference (or an override)."""
    nb = nbformat.read(student_notebook, as_version=4)
    sources = reference_sources()
    for name, value in (overrides or {}).items():
        sources[name] = _source(name, value)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for name in QUESTIONS:
            if f"def {name}(" in cell.source and "NotImplementedError" in cell.source:
                cell.source = sources[name]
    return nb
