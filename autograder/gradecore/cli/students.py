"""Who is who: the student of each submission, read from where the file came from.

Each learning system names the files of its bulk download in its own way; the student, the
student's id in that system and the order of several submissions are read from those names:

==================  ==============================================================  ===========================
source              layout                                                          order of submissions
==================  ==============================================================  ===========================
Canvas              ``doejane_LATE_11001_900777_lab1-1.ipynb`` directly in the      LATE after on time, then the
                    given folder: name (last then first, letters only), ``LATE``    ``-N`` Canvas adds to a file
                    when late, user id, submission id, the file's own name          submitted again
Moodle              ``Jane Doe_12345_assignsubmission_file_/lab1.ipynb`` (or the    the file's time
                    same prefix on a flat file name): full name, participant id
Gradescope          an export's ``submission_metadata.yml`` beside its              ``:created_at:``
                    ``submission_<id>/`` folders: the submitters' names, SIDs and
                    emails
GitHub Classroom    one repository folder per student, ``<assignment>-<username>/``  the file's time
                    (a ``.git`` inside, or siblings sharing the ``<assignment>-``
                    prefix, or a ``<assignment>-submissions`` parent)
a plain folder      the folder holding the file (``submissions/alice/...``), else   the file's time
                    the file's name
==================  ==============================================================  ===========================

A roster (:class:`Roster`, ``--roster FILE``) names the student of files whose names say nothing,
and adds what the names lack (an email, a section, a Canvas SIS id) to students found by id.

:func:`student_of` is the one way the rest of the tool (the grades table, the exports, the report,
the similarity check) asks for the student of a graded submission.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Optional

from ..protocol.text import one_line


@dataclass
class Student:
    """One student, as far as the source of a submission tells."""

    key: str
    """what tells students apart across the class: ``<source>:<id>`` (``canvas:11001``), or
    ``name:<name>`` where the source gives no id; two submissions of one key are one student's"""
    name: str
    """how the student is shown: the name the source gives (``doejane``, ``Jane Doe``), a GitHub
    username, or a folder's or file's name"""
    source: str
    """where the name was read: ``canvas``, ``moodle``, ``gradescope``, ``github``, ``roster``,
    ``folder`` or ``file``"""
    id: str = ""
    """the student's id in the source: Canvas user id, Moodle participant id, Gradescope SID, GitHub
    username ("" when the source has none)"""
    email: str = ""
    """an email address, from a Gradescope export or a roster"""
    section: str = ""
    """the section (from a roster), "" when unknown"""
    sis_id: str = ""
    """the student's SIS user id (Canvas), from a roster"""
    members: list[dict] = field(default_factory=list)
    """the other students of a group submission (Gradescope), each as ``{name, id, email}``"""
    order: list[float] = field(default_factory=list)
    """where this submission stands among the student's submissions, compared as a list: the latest
    has the greatest (LATE, attempt number, then time in seconds since the epoch)"""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Optional[Student]:
        """The student of a record's JSON, or None for a record written before students were read."""
        if not isinstance(data, dict) or not data.get("key"):
            return None
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return None


CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
"""A Canvas bulk download's file name: ``<lastfirst>[_LATE]_<user id>_<submission id>_<file name>``."""

CANVAS_ATTEMPT = re.compile(r"-(?P<n>\d+)$")
"""The ``-N`` Canvas puts before the suffix of a file submitted again under the same name."""

MOODLE = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assign(?:submission|feedback)_[a-z]+_?(?P<file>.*)$")
"""A Moodle assignment download's folder (or flat file) name:
``<full name>_<participant id>_assignsubmission_<plugin>_[<file name>]``."""

GRADESCOPE_METADATA = "submission_metadata.yml"
GRADESCOPE_FOLDER = re.compile(r"^submission_(?P<id>\d+)$")

GITHUB_SUBMISSIONS = re.compile(r"^(?P<assignment>.+)-submissions$")
"""The folder ``gh classroom clone student-repos`` makes: ``<assignment>-submissions/``."""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _scalar(value):
    """A value of a ``submission_metadata.yml`` as Gradescope writes it (text, a number, a time),
    else "": a file planted in a student's folder may hold a list made of YAML aliases that is
    cheap to load and too big to make text of (billions of strings)."""
    return value if isinstance(value, (str, int, float, date)) else ""


def _timestamp(value) -> float:
    """Seconds since the epoch of a Gradescope ``:created_at:`` (a datetime or its text); 0 when unreadable."""
    if isinstance(value, datetime):
        return value.timestamp()
    try:
        return datetime.fromisoformat(str(value).strip()).timestamp()
    except ValueError:
        pass
    for form in ("%Y-%m-%d %H:%M:%S.%f %z", "%Y-%m-%d %H:%M:%S %z"):
        try:
            return datetime.strptime(re.sub(r"(\.\d{6})\d+", r"\1", str(value).strip()), form).timestamp()
        except ValueError:
            continue
    return 0.0


def canvas_student(path: Path) -> Optional[Student]:
    """The student of a file of a Canvas bulk download, or None if its name is not Canvas's."""
    match = CANVAS.match(path.name)
    if not match:
        return None
    stem = Path(match["file"]).stem
    attempt = CANVAS_ATTEMPT.search(stem)
    return Student(
        key=f"canvas:{match['user']}", name=match["name"], source="canvas", id=match["user"],
        order=[1.0 if match["late"] else 0.0, float(attempt["n"]) if attempt else 0.0, _mtime(path)],
    )


def moodle_student(path: Path, root: Path) -> Optional[Student]:
    """The student of a file of a Moodle download (a folder per student, or flat), or None.

    The outermost folder that Moodle named counts: the names a student gave inside it never do.
    """
    relative = path.relative_to(root)
    for part in [*relative.parts[:-1], *([path.name] if len(relative.parts) == 1 else [])]:
        match = MOODLE.match(part)
        if match:
            return Student(key=f"moodle:{match['participant']}", name=match["name"].strip(), source="moodle",
                           id=match["participant"], order=[0.0, 0.0, _mtime(path)])
    return None


class _GradescopeExports:
    """The ``submission_metadata.yml`` of each Gradescope export met, read once."""

    def __init__(self):
        self.read: dict[Path, dict] = {}

    def metadata(self, folder: Path) -> dict:
        if folder not in self.read:
            import yaml

            try:
                found = yaml.safe_load((folder / GRADESCOPE_METADATA).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                found = None
            self.read[folder] = found if isinstance(found, dict) else {}
        return self.read[folder]

    def student(self, path: Path, root: Path) -> Optional[Student]:
        """The (first) submitter of the export's ``submission_<id>/`` that holds ``path``, or None (the
        outermost such folder counts: a student's own folders inside it never do)."""
        for folder in reversed(path.relative_to(root).parents):
            here = root / folder
            if not GRADESCOPE_FOLDER.match(here.name) or not (here.parent / GRADESCOPE_METADATA).is_file():
                continue
            entry = self.metadata(here.parent).get(here.name)
            if not isinstance(entry, dict):
                return None
            submitters = [s for s in entry.get(":submitters") or [] if isinstance(s, dict)]
            if not submitters:
                return None
            people = [{"name": one_line(_scalar(s.get(":name"))), "id": one_line(_scalar(s.get(":sid"))),
                       "email": one_line(_scalar(s.get(":email")))} for s in submitters]
            first = people[0]
            key = first["id"] or first["email"] or first["name"]
            return Student(key=f"gradescope:{key}", name=first["name"] or key, source="gradescope", id=first["id"],
                           email=first["email"], members=people[1:],
                           order=[0.0, 0.0, _timestamp(_scalar(entry.get(":created_at"))) or _mtime(path)])
        return None


def repository_folder(folder: Path, given: bool = False) -> bool:
    """Whether ``folder`` is a student's repository (GitHub Classroom): its parent is the
    ``<assignment>-submissions`` folder that ``gh classroom clone`` makes, or it has ``.git``, unless it
    is the folder given to grade (a class folder kept in git is no student's repository)."""
    return bool(GITHUB_SUBMISSIONS.match(folder.parent.name)) or (not given and (folder / ".git").exists())


def _common_prefix(names: list[str]) -> str:
    """The longest start, up to and with a ``-``, that all ``names`` share."""
    if len(names) < 2:
        return ""
    first, last = min(names), max(names)
    shared = 0
    while shared < min(len(first), len(last)) and first[shared] == last[shared]:
        shared += 1
    return first[: first.rfind("-", 0, shared) + 1]


def github_student(path: Path, root: Path) -> Optional[Student]:
    """The student of a file in a GitHub Classroom repository folder (``<assignment>-<username>/``), or None."""
    relative = path.relative_to(root)
    for folder in [root / p for p in reversed(relative.parents) if str(p) != "."] + [root]:
        if folder.is_dir() and folder != path and repository_folder(folder, given=folder == root):
            submissions = GITHUB_SUBMISSIONS.match(folder.parent.name)
            prefix = f"{submissions['assignment']}-" if submissions else ""
            if not prefix or not folder.name.startswith(prefix):
                siblings = [d.name for d in folder.parent.iterdir() if d.is_dir() and repository_folder(d)]
                prefix = _common_prefix(siblings)
            username = folder.name[len(prefix):] or folder.name
            return Student(key=f"github:{username.lower()}", name=username, source="github", id=username,
                           order=[0.0, 0.0, _mtime(path)])
    return None


def _stems_beside(path: Path) -> set[str]:
    """The names (without suffix) of the files beside ``path`` that could be submissions."""
    from .discovery import SKIPPED_NAMES, SUFFIXES, TEST_FILE

    try:
        names = [e.name for e in os.scandir(path.parent) if e.is_file(follow_symlinks=False)]
    except OSError:
        return {path.stem}
    return {Path(n).stem for n in names
            if Path(n).suffix in (*SUFFIXES, ".zip") and not n.startswith(".")
            and n not in SKIPPED_NAMES and not TEST_FILE.match(n)} | {path.stem}


def fallback_student(path: Path, root: Path) -> Student:
    """A plain folder: the folder holding the file (below ``root``) where it is that student's alone
    (every file in it that could be a submission has one name: ``alice/hw.ipynb`` and ``alice/hw.zip``),
    else the file's own name without its suffix, with its folders (``correct/a.py`` and ``correct/b.py``
    are two students: a folder of several files is no student's)."""
    relative = path.relative_to(root) if path != root else Path(path.name)
    if len(relative.parts) > 1 and len(_stems_beside(path)) == 1:
        name, source, key = relative.parts[-2], "folder", f"folder:{relative.parent.as_posix().lower()}"
    elif len(relative.parts) > 1:
        own = relative.with_suffix("").as_posix()
        name, source, key = own, "file", f"file:{own}"
    else:
        name, source, key = path.stem, "file", f"file:{path.stem}"
    return Student(key=key, name=name, source=source, order=[0.0, 0.0, _mtime(path)])


@dataclass
class RosterEntry:
    """One row of a roster."""

    name: str = ""
    id: str = ""
    email: str = ""
    section: str = ""
    sis_id: str = ""
    file: str = ""
    """a submission's path (as found) or its file name, for files whose names say nothing"""


ROSTER_COLUMNS = {
    "file": ("file", "submission", "path"),
    "name": ("student", "name", "full name"),
    "id": ("id", "canvas id", "user id", "participant", "participant id", "github_username", "github username",
           "username", "sid"),
    "email": ("email", "email address"),
    "section": ("section", "sections", "group"),
    "sis_id": ("sis user id", "identifier", "student number"),
}
"""The roster's columns and the headers each may have (case and blanks ignored): its own names,
and those of the rosters Canvas, Moodle, Gradescope and GitHub Classroom export."""


class RosterError(ValueError):
    """A roster that cannot be read: the message says why, in one line."""


class Roster:
    """A CSV file that names students: by file (``file,student[,id,email,section]``), or by id, to add
    a name, an email, a section or an SIS id to the students the file names found."""

    def __init__(self, entries: list[RosterEntry]):
        self.entries = entries
        self.by_file = {e.file: e for e in entries if e.file}
        self.by_id = {e.id.lower(): e for e in entries if e.id}
        self.by_email = {e.email.lower(): e for e in entries if e.email}

    @classmethod
    def load(cls, path: Path) -> Roster:
        """Read ``path``; raise :class:`RosterError` when it has no header the roster knows."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise RosterError(f"cannot read the roster {path}: {e}") from None
        reader = csv.DictReader(text.splitlines())
        headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
        columns = {field_: next((headers[h] for h in names if h in headers), None)
                   for field_, names in ROSTER_COLUMNS.items()}
        if not (columns["file"] or columns["id"] or columns["email"]):
            raise RosterError(f"the roster {path} has no column naming a file (file), an id (id, github_username, "
                              f"sid) or an email (email); its header is: {', '.join(headers) or 'empty'}")
        entries = []
        for row in reader:
            entry = RosterEntry(**{f: one_line(row.get(c) or "") for f, c in columns.items() if c})
            if entry.file or entry.id or entry.email:
                entries.append(entry)
        return cls(entries)

    def apply(self, student: Student, submission: str) -> Student:
        """``student`` with what the roster says of it: the row naming its file names it; a row with its id
        or email adds what it knows."""
        path = Path(submission)
        entry = self.by_file.get(submission) or self.by_file.get(path.name) or next(
            (e for f, e in self.by_file.items() if submission.endswith("/" + f.lstrip("./"))), None)
        if entry is not None:
            key = entry.id or entry.email or entry.name
            student = Student(key=f"roster:{key.lower()}", name=entry.name or key, source="roster", id=entry.id,
                              email=entry.email, section=entry.section, sis_id=entry.sis_id, order=student.order)
            return student
        entry = (self.by_id.get(student.id.lower()) if student.id else None) or (
            self.by_email.get(student.email.lower()) if student.email else None)
        if entry is None and student.source in ("folder", "file"):
            entry = self.by_id.get(student.name.lower())
        if entry is not None:
            student.name = entry.name or student.name
            student.email = student.email or entry.email
            student.section = entry.section or student.section
            student.sis_id = entry.sis_id or student.sis_id
        return student


class Identifier:
    """Reads the student of each submission of one run (the Gradescope metadata once per export)."""

    def __init__(self, roster: Optional[Roster] = None):
        self.roster = roster
        self.gradescope = _GradescopeExports()

    def __call__(self, path: Path, root: Path, submission: str) -> Student:
        """The student of the file ``path`` found under the given file or folder ``root``."""
        path, root = Path(path), Path(root)
        if root == path:  # a file given by itself: its folder names its student (submissions/alice/hw.ipynb)
            root = path.parent.parent if path.parent.name else path.parent
        # The layouts the learning system made (its folders, outermost first) before any file name that a
        # student chose; a Canvas name counts only for a file directly in the given folder (its download is
        # flat), so that a file named like another student's in a folder of its own changes no one's row.
        direct = len(path.relative_to(root).parts) == 1
        student = (moodle_student(path, root) or self.gradescope.student(path, root) or github_student(path, root)
                   or (canvas_student(path) if direct else None) or fallback_student(path, root))
        student.name = one_line(student.name, 120)
        if self.roster is not None:
            student = self.roster.apply(student, submission)
        return student


def student_of(record) -> Student:
    """The student of a graded submission (a :class:`gradecore.cli.records.Record`): the one its
    grading run read, else, for a record written before students were read, one named after its file.

    This is what the grades table, the exports, the report and the similarity check call.
    """
    found = Student.from_json(getattr(record, "student", None))
    if found is not None:
        return found
    return Student(key=f"file:{record.submission}", name=record.submission, source="file")


def slug(text: str) -> str:
    """A file name made of ``text``: letters, digits, ``.``, ``_`` and ``-``, never empty or hidden."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return name or "student"
