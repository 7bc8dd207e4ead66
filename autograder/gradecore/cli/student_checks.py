"""The public checks of this assignment, for pytest: one test per question.

Run ``pytest`` in this folder. It checks ``ASSIGNMENT.py`` when that file is here, else the
notebook of this assignment in this folder, whatever it is called (the most recently saved one if
there are several): its code cells run in order; shell ``!`` lines, ``%`` magics and the otter
cells are skipped. ``pytest --submission FILE`` checks another file. pytest's header says which
file it checks. These are the same public checks as the notebook's ``grader.check`` cells; the
hidden checks run at grading.

The build writes this file into each student folder with ``ASSIGNMENT`` and ``CHECKS`` filled in.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

ASSIGNMENT = "ASSIGNMENT"
CHECKS: dict[str, str] = {}
"""Each question's public check, in otter's exception format, as the notebook carries it."""
HELPER = ""
"""The checks' helper package ``gradecore_public``, a base64 zip, as the notebook carries it."""

HERE = Path(__file__).resolve().parent


SETUP_CELL = re.compile(r"^\s*(grader\s*=\s*otter\.Notebook\(|_path, _notebook = _this_notebook\(\))", re.MULTILINE)
"""The notebook's own setup and submit cells, which pytest does not run (it has the checks itself)."""
RUN_BODY = ("%%time", "%%capture")
"""Cell magics whose body is the student's code, run as it is."""
SCRIPT_CELL = re.compile(r"^# In\[[^\]]*\]:\s*$", re.MULTILINE)
"""How ``jupyter nbconvert --to script`` (and "Export as Executable Script") marks each cell."""


def _runnable(source: str) -> str | None:
    """A notebook cell as plain Python: otter's and the notebook's own cells, ``%%`` cells other
    than :data:`RUN_BODY`, ``!`` and ``%`` lines left out."""
    if SETUP_CELL.search(source):
        return None
    if source.lstrip().startswith("%%"):
        first, _, body = source.lstrip().partition("\n")
        if first.split()[0] not in RUN_BODY:
            return None
        source = body
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        skip = stripped.startswith(("!", "%", "grader.", "get_ipython().", "import otter"))
        lines.append(line[: len(line) - len(stripped)] + "pass" if skip else line)
    return "\n".join(lines)


def submission_file(chosen: str | None = None) -> Path:
    """The file the checks run: ``chosen``, else ``ASSIGNMENT.py``, else this assignment's notebook here."""
    if chosen:
        return Path(chosen).resolve()
    script = HERE / f"{ASSIGNMENT}.py"
    if script.is_file():
        return script
    for path in sorted(HERE.glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            continue
        if metadata.get("gradecore", {}).get("assignment") == ASSIGNMENT:
            return path
    return HERE / f"{ASSIGNMENT}.ipynb"


def _helper_on_path() -> None:
    """Put the checks' helper where ``import gradecore_public`` finds it."""
    folder = tempfile.mkdtemp(prefix=f"{ASSIGNMENT}-checks-")
    path = Path(folder) / "gradecore_public.zip"
    path.write_bytes(base64.b64decode(HELPER))
    sys.path.insert(0, str(path))


def _load(path: Path) -> tuple[str, dict, list[str]]:
    """The submission's file name, the namespace its code left, and one line per part that failed."""
    namespace: dict = {"__name__": "__submission__"}
    problems: list[str] = []
    file = path.name
    if not path.is_file():
        return file, namespace, [f"there is no file {path}"]
    if path.suffix == ".py":
        parts = SCRIPT_CELL.split(path.read_text(encoding="utf-8"))
        cells = [(f"the script's part {i}" if len(parts) > 1 else "the script", part) for i, part in enumerate(parts, start=1)]
    else:
        notebook = json.loads(path.read_text(encoding="utf-8"))
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
def submission(pytestconfig) -> tuple[str, dict, list[str]]:
    _helper_on_path()
    return _load(submission_file(pytestconfig.getoption("submission")))


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
