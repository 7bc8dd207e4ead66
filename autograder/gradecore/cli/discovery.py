"""Which files of a class folder are submissions: notebooks and scripts, not the grader's own output,
checkpoints or an otter export's copies."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..protocol.text import visible

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
    """its path as found under the given folders (the ``submission`` column), made one printable
    line that no other path becomes (:func:`gradecore.protocol.text.visible`)"""
    root: Path | None = None
    """the file or folder given on the command line that it was found in (its student is read from
    the path below it: :mod:`gradecore.cli.students`)"""
    problem: str = ""
    """why this entry is not graded, in plain words (a link, which is never followed); its row is
    an error that says so. Empty for a file to grade."""


@dataclass
class Skipped:
    """A file (or a whole folder) of the given folders that is not graded, and why."""

    path: str
    """its path as found"""
    reason: str
    """why it is not graded, in plain words"""


TEST_FILE = re.compile(r"^(?:test_.*|.*_test)\.py$")
"""A test file (pytest's names), which a repository holds beside the submission and which is never one."""


GITHUB_SUBMISSIONS = re.compile(r"^(?P<assignment>.+)-submissions$")
"""The folder ``gh classroom clone student-repos`` makes: ``<assignment>-submissions/``."""


def repository_folder(folder: Path, given: bool = False) -> bool:
    """Whether ``folder`` is a student's repository (GitHub Classroom): its parent is the
    ``<assignment>-submissions`` folder that ``gh classroom clone`` makes, or it has ``.git``, unless it
    is the folder given to grade (a class folder kept in git is no student's repository)."""
    return bool(GITHUB_SUBMISSIONS.match(folder.parent.name)) or (not given and (folder / ".git").exists())


REPOSITORY_SKIPPED_FOLDERS = ("tests", "test", ".github")
"""Folders of a student's repository that hold the course's files, not the submission."""


NAME_CHARS = 400
"""The longest a submission's name (its path) is shown; a longer one is cut and ends with a digest."""

TARGET_CHARS = 120
"""The longest a link's target is quoted in its row's reason."""


def link_problem(link: Path, entry: Optional[Path] = None) -> str:
    """Why an entry gets an error row instead of a grade: it is the link ``link``, or (``entry``)
    it is reached through that link, a folder on its path."""
    try:
        target = visible(os.readlink(link), TARGET_CHARS)
    except OSError:
        target = "?"
    if entry is not None and entry != link:
        what = f"reached through a link ({visible(link, TARGET_CHARS)} links to {target})"
    else:
        what = f"a link (to {target}), not {'a folder' if link.is_dir() else 'a file'} of its own"
    return (f"not graded: this entry is {what}. The grader never follows a link: it could lead to another "
            "student's submission or to a file outside the class folder. Hand in the file itself.")


def zipped_link(file: Path) -> str:
    """Why an exported zip ``file`` gets an error row: its notebook is a link, not a notebook ("" if not)."""
    try:
        with zipfile.ZipFile(file) as zf:
            links = [i.filename for i in zf.infolist() if stat.S_ISLNK(i.external_attr >> 16)]
    except (OSError, zipfile.BadZipFile):
        return ""
    if not links:
        return ""
    return (f"not graded: the zip holds a link ({visible(links[0], TARGET_CHARS)}) where a notebook was expected. "
            "The grader never follows a link: hand in the notebook itself.")


def _hard_link_problem(names: list[str]) -> str:
    return (f"not graded: this entry is the same file as {', '.join(names)} (a hard link): the grader cannot tell "
            "whose submission it is, and grades none of them. Hand in a file of your own.")


ENTRY_BYTES = 4096
"""What one member of a zip takes on disk at least, unpacked (a block: the disk watch counts so)."""


def zipped_too_big(file: Path, limit_bytes: Optional[int] = None) -> str:
    """Why an exported zip ``file`` gets an error row: unpacked, it would take more disk than one
    grading may fill (``GRADECORE_DISK_LIMIT_MB``) ("" if not).

    ``otter run`` unpacks the whole zip into the grading's folder, in the grader's own process,
    before the plugin or its disk watch starts: a zip of 2 MiB that holds 2 GiB of zeros beside its
    notebook held 2 GiB of the batch's temporary folder for the whole of its grading, where its
    neighbours write. The sizes its central directory declares bound what Python's ``zipfile``
    unpacks (it reads no byte past a member's declared size), so they are read, and nothing else.
    """
    from ..protocol.limits import DISK_LIMIT_MB

    limit = DISK_LIMIT_MB * 2**20 if limit_bytes is None else limit_bytes
    try:
        with zipfile.ZipFile(file) as zf:
            members = zf.infolist()
    except (OSError, zipfile.BadZipFile):
        return ""
    unpacked = sum(max(info.file_size, ENTRY_BYTES) for info in members)
    if unpacked <= limit:
        return ""
    return (f"not graded: the zip unpacks to {unpacked / 2**20:.0f} MiB in {len(members)} files, more than one "
            f"grading may write to disk ({limit / 2**20:g} MiB, GRADECORE_DISK_LIMIT_MB). Hand in the notebook "
            "itself, or a zip of the notebook alone.")


def zipped_problem(file: Path) -> str:
    """Why an exported zip ``file`` gets an error row ("" if it is graded): a link for its
    notebook (:func:`zipped_link`), or more to unpack than a grading may write (:func:`zipped_too_big`)."""
    return zipped_link(file) or zipped_too_big(file)


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
    if not repository_folder(folder, given):
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

    One row per entry, never two entries in one: a link (to a file or a folder, given or found, or
    a folder below what the given paths share that a given path goes through) is never followed
    and gets an error row that says so (:func:`link_problem`); so does an exported
    zip whose notebook is a link or that unpacks to more than a grading may write, and each of several entries that are one file under different
    paths (hard links: whose it is cannot be told).
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: dict[str, Submission] = {}
    read_as: dict[str, str] = {}
    seen: set[str] = set()

    def skip(path: Path, reason: str) -> None:
        if skipped is not None and str(path) not in seen:
            seen.add(str(path))
            skipped.append(Skipped(visible(str(path), NAME_CHARS), reason))

    def add(file: Path, root: Path, problem: str = "") -> None:
        name = visible(str(file), NAME_CHARS)
        # what a reader sees: ``café.py`` composed (NFC) and decomposed (NFD) are two names that
        # print alike, and until 2026-12-08 gave two rows that read the same (attack7)
        first = read_as.setdefault(unicodedata.normalize("NFKC", name), str(file))
        if first != str(file):
            # another path that reads the same (``a\\nb.py`` beside a name with a newline): its own row
            name = f"{name} #{hashlib.sha256(os.fsencode(file)).hexdigest()[:8]}"
        found.setdefault(name, Submission(file, name, root=root, problem=problem))

    def named_like_a_submission(file: Path) -> bool:
        return file.suffix in (*SUFFIXES, ".zip") and file.name not in SKIPPED_NAMES

    def consider(file: Path, root: Path, reason: Optional[str] = None) -> None:
        if file.is_symlink():
            if named_like_a_submission(file) and not file.name.startswith("."):
                add(file, root, link_problem(file))
            else:
                skip(file, "a link, never followed, and not named like a submission")
            return
        reason = reason or not_a_submission(file)
        if reason is None:
            add(file, root, zipped_problem(file) if file.suffix == ".zip" else "")
        elif file.name != OUTPUT_MARKER:
            skip(file, reason)

    given_paths = [Path(p) for p in paths]
    # What all the given paths share is the instructor's; below it, each folder is an entry too
    # (``class/*/*.ipynb``: the shell went through each student's folder, links included).
    shared = Path(os.path.commonpath([os.path.abspath(p) for p in given_paths])) if given_paths else Path("/")
    for given in given_paths:
        through = _link_between(shared, given)
        if given.is_symlink() or through is not None:
            if given.is_dir() or named_like_a_submission(given):
                add(given, given, link_problem(through or given, given))
            else:
                skip(given, "a link, never followed, and not named like a submission")
        elif given.is_dir():
            for folder, dirs, files in os.walk(given):
                here = Path(folder)
                repository = repository_folder(here, given=here == given)
                kept = []
                for d in sorted(dirs):
                    if d in SKIPPED_FOLDERS or d.startswith("."):
                        if d == ".ipynb_checkpoints":
                            skip(here / d, "Jupyter's checkpoint copies, not submissions")
                        elif d not in SILENT_FOLDERS:
                            skip(here / d, "a hidden or cache folder")
                        continue
                    if (here / d).is_symlink():  # os.walk does not follow it; its row says why
                        add(here / d, given, link_problem(here / d))
                        continue
                    if (here / d).resolve() in excluded or (here / d / OUTPUT_MARKER).exists():
                        continue  # this tool's own output
                    if repository and d in REPOSITORY_SKIPPED_FOLDERS:
                        skip(here / d, "the course's tests in the student's repository, not the submission")
                        continue
                    kept.append(d)
                dirs[:] = kept
                in_repository = _repository_choice(here, files, given=here == given)
                for name in sorted(files):
                    consider(here / name, given, in_repository.get(name))
        else:
            consider(given, given)
    return sorted(_one_row_per_file(list(found.values())), key=lambda s: s.name)


def _link_between(shared: Path, given: Path) -> Optional[Path]:
    """The first folder between ``shared`` and ``given`` (both left out) that is a link, if any,
    named as ``given`` names it."""
    for folder in given.parents:
        here = Path(os.path.abspath(folder))
        if here == shared or shared not in here.parents:
            return None
        if folder.is_symlink():
            return folder
    return None


def _one_row_per_file(submissions: list[Submission]) -> list[Submission]:
    """The same file under two names: one path spelled two ways (``class/x.py`` and
    ``class/../class/x.py``) is one entry, under its plainest name; hard links to one file are
    several entries, each an error row (whose file it is cannot be told)."""
    by_file: dict[tuple[int, int], list[Submission]] = {}
    for sub in submissions:
        if sub.problem:
            continue
        try:
            info = sub.path.stat()
        except OSError:
            continue
        by_file.setdefault((info.st_dev, info.st_ino), []).append(sub)
    dropped: set[str] = set()
    for group in by_file.values():
        entries: dict[str, Submission] = {}
        for sub in sorted(group, key=lambda s: (str(s.path) != os.path.normpath(s.path), s.name)):
            first = entries.setdefault(os.path.realpath(sub.path), sub)
            if first is not sub:
                dropped.add(sub.name)
        if len(entries) > 1:
            for sub in entries.values():
                sub.problem = _hard_link_problem([o.name for o in entries.values() if o is not sub])
    return [s for s in submissions if s.name not in dropped]
