"""The public checks of this assignment, for pytest: one test per question.

Run ``pytest`` in this folder. It checks the most recently saved of ``ASSIGNMENT.py`` (the
skeleton this folder comes with) and the notebooks of this assignment in this folder, whatever
they are called: a notebook's code cells run in order; shell ``!`` lines, ``%`` magics and the otter
cells are skipped. ``pytest --submission=FILE`` checks another file (with a space instead of
``=``, name this test file first: ``pytest test_ASSIGNMENT.py --submission FILE``; pytest reads this
folder's options only when a path it is given lies here). pytest's header says which
file it checks. These are the same public checks as the notebook's ``grader.check`` cells; the
hidden checks run at grading.

The build writes this file into each student folder with ``ASSIGNMENT`` and ``CHECKS`` filled in.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# TensorFlow's C++ start-up lines (absl's "All log messages before absl::InitializeLog()", CPU
# notices, and on machines without a GPU its CUDA errors) say nothing about the checks: the checks'
# own messages, and Python's exceptions, still reach the student.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

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
    """The file the checks run: ``chosen``, else the most recently saved of ``ASSIGNMENT.py`` (the
    skeleton the folder comes with, once edited) and this assignment's notebooks here."""
    if chosen:
        return Path(chosen).resolve()
    candidates = []
    script = HERE / f"{ASSIGNMENT}.py"
    if script.is_file():
        candidates.append(script)
    for path in HERE.glob("*.ipynb"):
        try:
            metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            continue
        if metadata.get("gradecore", {}).get("assignment") == ASSIGNMENT:
            candidates.append(path)
    if not candidates:
        return HERE / f"{ASSIGNMENT}.ipynb"
    return max(candidates, key=lambda p: (p.stat().st_mtime, p.suffix == ".py"))


def _helper_on_path() -> None:
    """Put the checks' helper where ``import gradecore_public`` finds it."""
    folder = tempfile.mkdtemp(prefix=f"{ASSIGNMENT}-checks-")
    atexit.register(shutil.rmtree, folder, True)  # each run's own copy: gone when pytest ends
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


@pytest.mark.parametrize("question", list(CHECKS))
def test_public_check(question: str, submission) -> None:
    from gradecore_public.runner import failure_of

    file, namespace, problems = submission
    context = "".join(f"\n  ({p})" for p in problems)
    if not callable(namespace.get(question)):
        pytest.fail(f"{file} defines no function {question}{context}", pytrace=False)
    failure = failure_of(question, CHECKS[question], namespace)
    if failure is not None:
        prefix = "" if failure.startswith(question) else f"{question}: "
        pytest.fail(f"{prefix}{failure}{context}", pytrace=False)
