"""Which files of a class folder are submissions: notebooks and scripts, not the grader's own output,
checkpoints or an otter export's copies."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".ipynb", ".py")


SKIPPED_NAMES = ("__init__.py", "setup.py", "conftest.py")


SKIPPED_FOLDERS = (".ipynb_checkpoints", "__pycache__", "__MACOSX")


SILENT_FOLDERS = (".git", "__pycache__")
"""Skipped folders not listed among the skipped files: a repository's history and Python's caches."""


OUTPUT_MARKER = ".rnn-shapes-grades"
"""A file in every output folder, so that grading a parent folder never grades our own output."""


@dataclass
class Submission:
    """A file to grade and the name it has in the table."""

    path: Path
    name: str
    """its path as found under the given folders (the ``submission`` column)"""
    root: Path | None = None
    """the file or folder given on the command line that it was found in (its student is read from
    the path below it: :mod:`gradecore.cli.students`)"""


@dataclass
class Skipped:
    """A file (or a whole folder) of the given folders that is not graded, and why."""

    path: str
    """its path as found"""
    reason: str
    """why it is not graded, in plain words"""


TEST_FILE = re.compile(r"^(?:test_.*|.*_test)\.py$")
"""A test file (pytest's names), which a repository holds beside the submission and which is never one."""


REPOSITORY_SKIPPED_FOLDERS = ("tests", "test", ".github")
"""Folders of a student's repository that hold the course's files, not the submission."""


def exported_notebook(file: Path) -> bool:
    """Whether ``file`` is a zip that ``grader.export`` made: one notebook, and no autograder of its own.

    ``otter run`` grades such a zip as it grades the notebook inside.
    """
    try:
        with zipfile.ZipFile(file) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    notebooks = [n for n in names if n.endswith(".ipynb") and "/" not in n]
    return len(notebooks) == 1 and "otter_config.json" not in names


def not_a_submission(file: Path) -> str | None:
    """Why ``file`` is not graded, in plain words, or None when it is a submission."""
    if file.name.startswith("."):
        return "a hidden file"
    if file.suffix == ".zip":
        if exported_notebook(file):
            return None
        return ("a zip that the notebook's submit cell did not make (it does not hold exactly one notebook): "
                "unzip it and grade the notebook inside")
    if file.suffix not in SUFFIXES:
        return f"not a notebook or a Python file ({file.suffix or 'no suffix'})"
    if file.name in SKIPPED_NAMES:
        return f"{file.name} is a package's file, not a submission"
    if not file.is_file():
        return "not a regular file"
    return None


def _repository_choice(folder: Path, files: list[str], given: bool = False) -> dict[str, str]:
    """In a student's repository: why each of ``files`` (in ``folder``) is not the submission.

    The notebooks are the submission when there are any, else the Python files; test files never are.
    """
    if not _repository_folder(folder, given):
        return {}
    reasons = {n: "a test file in the student's repository (the course's tests, not the submission)"
               for n in files if TEST_FILE.match(n)}
    if any(n.endswith(".ipynb") for n in files):
        reasons.update({n: "a Python file beside the notebook in the student's repository: the notebook is graded"
                        for n in files if n.endswith(".py") and n not in reasons})
    return reasons


def find_submissions(paths: list[str | Path], exclude: list[Path] = (),
                     skipped: list[Skipped] | None = None) -> list[Submission]:
    """The ``.ipynb`` and ``.py`` files in ``paths``, and the zips the notebook's submit cell makes,
    folders searched recursively, sorted by name.

    Skips notebook checkpoints, caches, ``__init__.py``, hidden folders, output folders of this
    tool (``exclude`` and any folder holding the output marker), and, in a student's repository, the
    tests beside the submission. A file named twice counts once. Every file (or folder) skipped,
    but for this tool's own output, is added to ``skipped`` with its reason.
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: dict[Path, Submission] = {}
    seen: set[str] = set()

    def skip(path: Path, reason: str) -> None:
        if skipped is not None and str(path) not in seen:
            seen.add(str(path))
            skipped.append(Skipped(str(path), reason))

    for given in map(Path, paths):
        if given.is_dir():
            for folder, dirs, files in os.walk(given):
                here = Path(folder)
                repository = _repository_folder(here, given=here == given)
                kept = []
                for d in sorted(dirs):
                    if (here / d).resolve() in excluded or (here / d / OUTPUT_MARKER).exists():
                        continue  # this tool's own output
                    if d in SKIPPED_FOLDERS or d.startswith("."):
                        if d == ".ipynb_checkpoints":
                            skip(here / d, "Jupyter's checkpoint copies, not submissions")
                        elif d not in SILENT_FOLDERS:
                            skip(here / d, "a hidden or cache folder")
                        continue
                    if repository and d in REPOSITORY_SKIPPED_FOLDERS:
                        skip(here / d, "the course's tests in the student's repository, not the submission")
                        continue
                    kept.append(d)
                dirs[:] = kept
                in_repository = _repository_choice(here, files, given=here == given)
                for name in sorted(files):
                    file = here / name
                    reason = in_repository.get(name) or not_a_submission(file)
                    if reason is None:
                        found.setdefault(file.resolve(), Submission(file, str(file), given))
                    elif name != OUTPUT_MARKER:
                        skip(file, reason)
        else:
            reason = not_a_submission(given)
            if reason is None:
                found.setdefault(given.resolve(), Submission(given, str(given), given))
            else:
                skip(given, reason)
    return sorted(found.values(), key=lambda s: s.name)


def _repository_folder(folder: Path, given: bool = False) -> bool:
    from .students import repository_folder

    return repository_folder(folder, given)
