"""Plain words for what went wrong: a file checked before ``otter run`` sees it (empty, not a notebook,
another assignment's), and an error row's reason said as what happened and what to do.

The machinery's own words (an exception's text) stay in the record's ``detail`` for the instructor;
the table, the exports, the feedback and the report show the plain words.
"""

from __future__ import annotations

import ast
import json
import re
import zipfile
from pathlib import Path
from typing import Optional

from ..protocol.text import one_line
from .records import Assignment
from .student_code import MAX_FILE_BYTES

EMPTY_NOTEBOOK = ("the notebook file is empty (0 bytes): the upload failed or the notebook was never saved. "
                  "The student can open the notebook, save it (File > Save) and submit it again.")
NOT_A_NOTEBOOK = ("the file is not a notebook (it is not the JSON that Jupyter saves: damaged, cut short, or "
                  "another kind of file renamed .ipynb). The student can open it in Jupyter or Colab, save it, and "
                  "submit it again; if it does not open, ask for the notebook again.")
EMPTY_SCRIPT = "the file is empty: the student can submit the file again, with the functions in it."
UNREADABLE = "the file cannot be read as text (UTF-8): the student can save it again as UTF-8 and submit it again."
OTTER_FAILED = ("grading stopped with an error before any result: run `.venv/bin/otter run -a ZIP FILE` on the "
                "file to see it whole (the machinery's words are in results/<file>.json, `detail`).")
TIMEOUT = ("grading took longer than {limit}: the notebook may loop forever, wait for input, or train a model at "
           "the top level. The student can remove what runs long and submit again; the instructor can raise "
           "--timeout.")
KILLED = ("otter run was killed ({detail}): the machine may have run out of memory. Grade it again with fewer "
          "--jobs, or raise the memory limit.")


def precheck(path: Path) -> Optional[str]:
    """Why ``path`` cannot be graded at all, in plain words, or None when ``otter run`` should try it."""
    path = Path(path)
    if path.suffix not in (".ipynb", ".py"):
        return None
    try:
        raw = path.read_bytes()
    except OSError as e:
        return f"the file cannot be read ({one_line(e.strerror or e)}): check its permissions and grade it again."
    if not raw.strip():
        return EMPTY_NOTEBOOK if path.suffix == ".ipynb" else EMPTY_SCRIPT
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return UNREADABLE
    if path.suffix == ".ipynb":
        try:
            notebook = json.loads(text)
        except (ValueError, RecursionError):  # the last: JSON nested too deep for the decoder
            return NOT_A_NOTEBOOK
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            return NOT_A_NOTEBOOK
    return None


MAGIC = re.compile(r"^\s*[%!]")


def _source(path: Path) -> str:
    """The Python source of a ``.py``, a notebook's code cells, or the notebook in a submit cell's zip."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            inside = [n for n in zf.namelist() if n.endswith(".ipynb") and "/" not in n]
            if inside and zf.getinfo(inside[0]).file_size > MAX_FILE_BYTES:  # read nothing of a zip bomb
                raise ValueError(f"its notebook is over {MAX_FILE_BYTES >> 20} MiB")
            notebook = json.loads(zf.read(inside[0])) if inside else {"cells": []}
    elif path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"it is over {MAX_FILE_BYTES >> 20} MiB")
    elif path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8-sig"))
    else:
        return path.read_text(encoding="utf-8-sig")
    cells = []
    for cell in notebook.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            cells.append("\n".join("" if MAGIC.match(line) else line for line in source.splitlines()))
    return "\n".join(cells)


def defined_functions(path: Path) -> set[str]:
    """The names of the functions the file defines at its top level (of each cell that parses)."""
    try:
        source = _source(Path(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, RecursionError):
        return set()
    names: set[str] = set()
    for chunk in [source, *source.split("\n\n")]:
        try:
            tree = ast.parse(chunk)
        except (SyntaxError, ValueError, MemoryError, RecursionError):  # the last two: nested too deep to parse
            continue
        names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return names


def other_assignment(path: Path, assignment: Assignment, others: dict[str, tuple[str, ...]]) -> Optional[str]:
    """When ``path`` defines none of ``assignment``'s functions but some of another's, say so.

    Args:
        path: the submission.
        assignment: the one it is graded with (its questions are named after its functions).
        others: the questions of every other built assignment, by name.

    Returns:
        one plain sentence naming the assignment the file fits, or None.
    """
    defined = defined_functions(path)
    if not defined or defined & set(assignment.questions):
        return None
    fits = sorted(((len(defined & set(q)), name) for name, q in others.items() if name != assignment.name),
                  reverse=True)
    if not fits or fits[0][0] == 0:
        return None
    name = fits[0][1]
    shown = ", ".join(sorted(defined & set(others[name]))[:4])
    return (f"this file defines the functions of the assignment {name} ({shown}), none of {assignment.name}'s: "
            f"grade it with --assignment {name}, or ask the student for the {assignment.name} notebook.")


def plain_reason(status: str, detail: str, timeout: float) -> str:
    """What happened and what to do, for an error or timeout row whose machinery said ``detail``."""
    if status == "timeout":
        return TIMEOUT.format(limit=f"{timeout:g} s")
    if re.search(r"NotJSONError|does not appear to be JSON|Notebook does not appear", detail):
        return NOT_A_NOTEBOOK
    if "killed by signal" in detail:
        return KILLED.format(detail=one_line(detail, 80))
    if re.search(r"(?:Error|Exception|Traceback)\b", detail):
        return OTTER_FAILED
    return one_line(detail, 500)
