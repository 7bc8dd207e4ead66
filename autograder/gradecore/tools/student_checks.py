"""The public checks of this assignment, for pytest: one test per question.

Run ``pytest`` in this folder. It checks ``ASSIGNMENT.py`` when that file is here, else the
functions of ``ASSIGNMENT.ipynb`` (its code cells run in order; shell ``!`` lines, ``%`` magics
and the otter cells are skipped). These are the same public checks as the notebook's
``grader.check`` cells, on the notebook's example sizes; the hidden checks run at grading.

The build writes this file into each student folder with ``ASSIGNMENT`` and ``CHECKS`` filled in.
"""

from __future__ import annotations

import ast
import json
import traceback
from pathlib import Path

import pytest

ASSIGNMENT = "ASSIGNMENT"
CHECKS: dict[str, str] = {}
"""Each question's public check, in otter's exception format, as the notebook carries it."""

HERE = Path(__file__).resolve().parent


def _runnable(source: str) -> str | None:
    """A notebook cell as plain Python: otter's cells, ``%%`` cells, ``!`` and ``%`` lines left out."""
    if source.lstrip().startswith("%%") or "otter.Notebook(" in source:
        return None
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        skip = stripped.startswith(("!", "%", "grader.")) or (stripped.startswith("import otter"))
        lines.append(line[: len(line) - len(stripped)] + "pass" if skip else line)
    return "\n".join(lines)


def _load() -> tuple[str, dict, list[str]]:
    """The submission's file name, the namespace its code left, and one line per part that failed."""
    namespace: dict = {"__name__": "__submission__"}
    problems: list[str] = []
    script = HERE / f"{ASSIGNMENT}.py"
    if script.is_file():
        cells = [("the script", script.read_text(encoding="utf-8"))]
        file = script.name
    else:
        file = f"{ASSIGNMENT}.ipynb"
        notebook = json.loads((HERE / file).read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        cells = [
            (f"code cell {i}", "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for i, c in enumerate(code, start=1)
        ]
    for where, source in cells:
        runnable = _runnable(source)
        if runnable is None:
            continue
        try:
            exec(compile(runnable, f"<{file}: {where}>", "exec"), namespace)
        except Exception as e:
            problems.append(f"{where} raised {type(e).__name__}: {e}")
    return file, namespace, problems


@pytest.fixture(scope="session")
def submission() -> tuple[str, dict, list[str]]:
    return _load()


def _check_functions(text: str) -> list[ast.FunctionDef]:
    return [n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


@pytest.mark.parametrize("question", list(CHECKS))
def test_public_check(question: str, submission) -> None:
    file, namespace, problems = submission
    context = "".join(f"\n  ({p})" for p in problems)
    if not callable(namespace.get(question)):
        pytest.fail(f"{file} defines no function {question}{context}", pytrace=False)
    for node in _check_functions(CHECKS[question]):
        node.decorator_list = []
        title = ast.get_docstring(node) or node.name
        check_space: dict = {}
        exec(compile(ast.Module(body=[node], type_ignores=[]), f"<public check {question}>", "exec"), check_space)
        args = [namespace if a.arg == "env" else namespace.get(a.arg) for a in node.args.args]
        failure = None
        try:
            check_space[node.name](*args)
        except NotImplementedError:
            failure = f"{question} is not implemented yet: it raises NotImplementedError"
        except AssertionError as e:
            failure = f"{question}: {title}: {e}{context}"
        except Exception as e:
            where = "".join(traceback.format_exception(e)[-3:])
            failure = f"{question}: {title}: raised {type(e).__name__}: {e}\n{where}"
        if failure is not None:
            pytest.fail(failure, pytrace=False)
