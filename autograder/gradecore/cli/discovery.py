"""Which files of a class folder are submissions: notebooks and scripts, not the grader's own output,
checkpoints or an otter export's copies."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".ipynb", ".py")


SKIPPED_NAMES = ("__init__.py", "setup.py", "conftest.py")


SKIPPED_FOLDERS = (".ipynb_checkpoints", "__pycache__", "__MACOSX")


OUTPUT_MARKER = ".rnn-shapes-grades"
"""A file in every output folder, so that grading a parent folder never grades our own output."""


@dataclass
class Submission:
    """A file to grade and the name it has in the table."""

    path: Path
    name: str
    """its path as found under the given folders (the ``submission`` column)"""


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


def find_submissions(paths: list[str | Path], exclude: list[Path] = ()) -> list[Submission]:
    """The ``.ipynb`` and ``.py`` files in ``paths``, and the zips the notebook's submit cell makes,
    folders searched recursively, sorted by name.

    Skips notebook checkpoints, caches, ``__init__.py``, hidden folders and output folders of this
    tool (``exclude`` and any folder holding the output marker). A file named twice counts once.
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: dict[Path, Submission] = {}

    def wanted(file: Path) -> bool:
        if file.suffix == ".zip":
            return exported_notebook(file)
        return file.suffix in SUFFIXES and file.name not in SKIPPED_NAMES and file.is_file()

    for given in map(Path, paths):
        if given.is_dir():
            for folder, dirs, files in os.walk(given):
                here = Path(folder)
                dirs[:] = sorted(
                    d for d in dirs
                    if d not in SKIPPED_FOLDERS and not d.startswith(".")
                    and (here / d).resolve() not in excluded and not (here / d / OUTPUT_MARKER).exists()
                )
                for name in sorted(files):
                    file = here / name
                    if wanted(file) and not name.startswith("."):
                        found.setdefault(file.resolve(), Submission(file, str(file)))
        elif wanted(given):
            found.setdefault(given.resolve(), Submission(given, str(given)))
    return sorted(found.values(), key=lambda s: s.name)
