"""Who is who: the student of each submission, read from where the file came from.

Each learning system names the files of its bulk download in its own way; the student, the
student's id in that system and the order of several submissions are read from those names:

==================  ==============================================================  ===========================
source              layout                                                          order of submissions
==================  ==============================================================  ===========================
Canvas              ``doejane_LATE_11001_900777_lab1-1.ipynb`` directly in the      LATE after on time, then the
                    given folder: name (last then first, letters only), ``LATE``    ``-N`` Canvas adds to a file
                    when late, user id, submission id, the file's own name          submitted again
Moodle              ``Jane Doe_12345_assignsubmission_file_/lab1.ipynb`` directly   the file's time
                    in the given folder (or the same prefix on a flat file name
                    that is not Canvas's): full name, participant id
Gradescope          the export's ``submission_metadata.yml`` beside its             ``:created_at:``
                    ``submission_<id>/`` folders, in the given folder (or in the
                    one ``assignment_<id>_export/`` it holds): the submitters'
                    names, SIDs and emails; told apart by email
GitHub Classroom    one repository folder per student, ``<assignment>-<username>/``  the file's time
                    directly in the given folder (a ``.git`` inside, or a
                    ``<assignment>-submissions`` parent, siblings sharing the
                    ``<assignment>-`` prefix), or the given folder itself
a plain folder      the folder holding the file (``submissions/alice/...``) when    the file's time
                    all its files share one name, else the file by its whole
                    path (``ref.py`` and ``ref.ipynb`` are two), the submit cell's
                    ``hw.zip`` of the ``hw.ipynb`` beside it counting as that
==================  ==============================================================  ===========================

Only what the learning system named tells who a file is: the given folder, the entry directly in
it, and the entry directly in the export or ``<assignment>-submissions/`` folder it holds. A name a
student chose deeper (a folder or file named like a classmate's download, a planted
``submission_metadata.yml`` or ``.git``) never makes them someone else, nor supersedes anyone's file;
two students are one row only where the system's own id (or the instructor's roster) says so.

A roster (:class:`gradecore.cli.roster.Roster`, ``--roster FILE``) names the student of files whose names say nothing,
and adds what the names lack (an email, a section, a Canvas SIS id) to students found by id.

:func:`student_of` is the one way the rest of the tool (the grades table, the exports, the report,
the similarity check) asks for the student of a graded submission.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..protocol.text import one_line, visible
from .discovery import GITHUB_SUBMISSIONS, SKIPPED_NAMES, SUFFIXES, TEST_FILE, repository_folder

if TYPE_CHECKING:  # the roster's module reads students of this one
    from .roster import Roster

KEY_CHARS = 1000
"""The longest a student's key may be (a path may be one); a longer one ends with a digest."""


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

    def __post_init__(self) -> None:
        # a key made of a name a student chose is written in the records: printable, each
        # unprintable character as its escape, so that two keys stay two (protocol.text.visible)
        self.key = visible(self.key, KEY_CHARS)

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


def moodle_student(name: str, path: Path) -> Optional[Student]:
    """The student of a Moodle download's entry ``name`` (the folder directly in the given folder, or a
    flat file's name) holding the file ``path``, or None if ``name`` is not Moodle's."""
    match = MOODLE.match(name)
    if not match:
        return None
    return Student(key=f"moodle:{match['participant']}", name=match["name"].strip(), source="moodle",
                   id=match["participant"], order=[0.0, 0.0, _mtime(path)])


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

    def student(self, export: Path, folder: str, path: Path) -> Optional[Student]:
        """The (first) submitter of the ``submission_<id>/`` named ``folder`` of the export ``export`` that
        holds ``path``, or None when the export's metadata does not list it.

        Students are told apart by their Gradescope account's email (unique per account; a student can
        edit the SID of their own account), else their SID, else the submission itself: two different
        students are never one.
        """
        entry = self.metadata(export).get(folder)
        if not isinstance(entry, dict):
            return None
        submitters = [s for s in entry.get(":submitters") or [] if isinstance(s, dict)]
        if not submitters:
            return None
        people = [{"name": one_line(_scalar(s.get(":name"))), "id": one_line(_scalar(s.get(":sid"))),
                   "email": one_line(_scalar(s.get(":email")))} for s in submitters]
        first = people[0]
        key = (first["email"].lower() or (f"sid:{first['id']}" if first["id"] else "")
               or f"submission:{export.name}/{folder}")
        return Student(key=f"gradescope:{key}", name=first["name"] or first["email"] or first["id"] or folder,
                       source="gradescope", id=first["id"], email=first["email"], members=people[1:],
                       order=[0.0, 0.0, _timestamp(_scalar(entry.get(":created_at"))) or _mtime(path)])


GRADESCOPE_EXPORT = re.compile(r"^assignment_\d+_export$")
"""The folder that unzipping Gradescope's *Export Submissions* makes: ``assignment_<id>_export/``."""


def gradescope_export(root: Path) -> Optional[Path]:
    """The Gradescope export that the given folder ``root`` is, or holds, or None.

    The export is the given folder when ``submission_metadata.yml`` lies in it, or the one folder in
    it, named ``assignment_<id>_export`` as Gradescope names it, when that holds the metadata (the
    export unzipped into an empty folder). A metadata file anywhere deeper is a student's own file:
    it names no one (it would list a classmate as a member of the student's group).
    """
    if (root / GRADESCOPE_METADATA).is_file():
        return root
    try:
        folders = [e for e in os.scandir(root) if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
    except OSError:
        return None
    if len(folders) == 1 and GRADESCOPE_EXPORT.match(folders[0].name) and (
            root / folders[0].name / GRADESCOPE_METADATA).is_file():
        return root / folders[0].name
    return None


def _common_prefix(names: list[str]) -> str:
    """The longest start, up to and with a ``-``, that all ``names`` share."""
    if len(names) < 2:
        return ""
    first, last = min(names), max(names)
    shared = 0
    while shared < min(len(first), len(last)) and first[shared] == last[shared]:
        shared += 1
    return first[: first.rfind("-", 0, shared) + 1]


def github_student(folder: Path, path: Path) -> Student:
    """The student of the file ``path`` in the GitHub Classroom repository folder ``folder``
    (``<assignment>-<username>/``)."""
    submissions = GITHUB_SUBMISSIONS.match(folder.parent.name)
    prefix = f"{submissions['assignment']}-" if submissions else ""
    if not prefix or not folder.name.startswith(prefix):
        siblings = [d.name for d in folder.parent.iterdir() if d.is_dir() and repository_folder(d)]
        prefix = _common_prefix(siblings)
    username = folder.name[len(prefix):] or folder.name
    return Student(key=f"github:{username.lower()}", name=username, source="github", id=username,
                   order=[0.0, 0.0, _mtime(path)])


def github_repository(relative: Path, root: Path) -> Optional[Path]:
    """The GitHub Classroom repository folder the system made that holds the file ``root / relative``,
    or None: the given folder itself (a repository below ``<assignment>-submissions/``), the folder
    directly in it, or one directly in its ``<assignment>-submissions/`` folder. A folder deeper is
    the student's own, whatever it holds."""
    if repository_folder(root, given=True):
        return root
    parts = relative.parts
    if len(parts) > 1 and repository_folder(root / parts[0]):
        return root / parts[0]
    if len(parts) > 2 and GITHUB_SUBMISSIONS.match(parts[0]) and repository_folder(root / parts[0] / parts[1]):
        return root / parts[0] / parts[1]
    return None


def _stems_beside(path: Path) -> set[str]:
    """The names (without suffix) of the files beside ``path`` that could be submissions."""
    try:
        names = [e.name for e in os.scandir(path.parent) if e.is_file(follow_symlinks=False)]
    except OSError:
        return {path.stem}
    return {Path(n).stem for n in names
            if Path(n).suffix in (*SUFFIXES, ".zip") and not n.startswith(".")
            and n not in SKIPPED_NAMES and not TEST_FILE.match(n)} | {path.stem}


def _zip_of_notebook(path: Path) -> Optional[Path]:
    """The notebook ``x.ipynb`` beside the zip ``path`` (``x.zip``) when the zip holds just that notebook,
    byte for byte, as the submit cell exports it; else None. Only the same bytes count: a zip a student
    named like a classmate's notebook is a file of its own."""
    import zipfile

    notebook = path.with_suffix(".ipynb")
    if path.suffix != ".zip" or not notebook.is_file() or notebook.is_symlink():
        return None
    try:
        own = notebook.read_bytes()
        with zipfile.ZipFile(path) as zf:
            inside = [i for i in zf.infolist() if i.filename.endswith(".ipynb") and "/" not in i.filename]
            if len(inside) != 1 or inside[0].filename != notebook.name or inside[0].file_size != len(own):
                return None
            with zf.open(inside[0]) as f:
                return notebook if f.read(len(own) + 1) == own else None
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError):
        return None


def fallback_student(path: Path, root: Path) -> Student:
    """A plain folder: the folder holding the file (below ``root``) where it is that student's alone
    (every file in it that could be a submission has one name: ``alice/hw.ipynb`` and ``alice/hw.zip``),
    else the file itself, by its whole path below ``root`` (``correct/a.py`` and ``correct/b.py`` are two
    students: a folder of several files is no student's; so are ``ref.py`` and ``ref.ipynb``, two
    students' files of one name). The one file that counts as another is the submit cell's zip of the
    notebook beside it (``hw.zip`` holding ``hw.ipynb``, the same bytes)."""
    relative = path.relative_to(root) if path != root else Path(path.name)
    if len(relative.parts) > 1 and len(_stems_beside(path)) == 1:
        name, source, key = relative.parts[-2], "folder", f"folder:{relative.parent.as_posix()}"
    else:
        notebook = _zip_of_notebook(path)
        own = relative.with_name(notebook.name) if notebook is not None else relative
        name = relative.with_suffix("").as_posix()
        source, key = "file", f"file:{own.as_posix()}"
    return Student(key=key, name=name, source=source, order=[0.0, 0.0, _mtime(path)])


def _names_in(root: Path) -> dict[str, int]:
    """How many entries directly in ``root`` bear each name a plain student may have: a folder's name, a
    submission file's name without its suffix (the submit cell's zip of the notebook beside it not counted)."""
    counts: dict[str, int] = {}
    try:
        entries = [e for e in os.scandir(root) if not e.name.startswith(".")]
    except OSError:
        return counts
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            name = e.name
        elif Path(e.name).suffix in (*SUFFIXES, ".zip") and _zip_of_notebook(root / e.name) is None:
            name = Path(e.name).stem
        else:
            continue
        counts[name] = counts.get(name, 0) + 1
    return counts


def _named_alone(student: Student, relative: Path, names: dict[str, int]) -> bool:
    """Whether a plain folder's or file's ``student`` lies directly in the given folder (a folder ``alice/``
    or a file ``alice.py``) and no other entry there has its name (``names``, of :func:`_names_in`:
    ``alice.ipynb`` beside ``alice.py``): only then may a roster's id name it."""
    if student.source == "folder" and len(relative.parts) != 2 or student.source == "file" and len(relative.parts) != 1:
        return False
    return names.get(student.name, 0) == 1


class Identifier:
    """Reads the student of each submission of one run (the Gradescope metadata once per export)."""

    def __init__(self, roster: Optional[Roster] = None):
        self.roster = roster
        self.gradescope = _GradescopeExports()
        self.exports: dict[Path, Optional[Path]] = {}
        """the Gradescope export of each given folder met (:func:`gradescope_export`), read once"""
        self.names: dict[Path, dict[str, int]] = {}
        """the plain names directly in each given folder met (:func:`_names_in`), read once"""

    def __call__(self, path: Path, root: Path, submission: str) -> Student:
        """The student of the file ``path`` found under the given file or folder ``root``."""
        path, root = Path(path), Path(root)
        if root == path:  # a file given by itself: its folder names its student (submissions/alice/hw.ipynb)
            root = path.parent.parent if path.parent.name else path.parent
        relative = path.relative_to(root)
        student = self.read(path, root, relative)
        student.name = one_line(student.name, 120)
        if self.roster is not None:
            if root not in self.names:
                self.names[root] = _names_in(root)
            student = self.roster.apply(student, submission, relative,
                                        named_alone=_named_alone(student, relative, self.names[root]))
        return student

    def read(self, path: Path, root: Path, relative: Path) -> Student:
        """The student of ``path`` (``relative`` below ``root``) by the layout the learning system made.

        Only what the system named tells who a file is: the given folder itself (a repository), the entry
        directly in it (a Canvas or Moodle name, a Gradescope ``submission_<id>/``, a repository), or one
        directly in the export or ``<assignment>-submissions/`` folder it holds. A name a student chose,
        deeper, never makes them someone else; a flat file's name is read as Canvas's before Moodle's
        (Canvas's name part holds no ``_``; Moodle's may, so Moodle's pattern matches inside a Canvas name).
        """
        parts = relative.parts
        repository = github_repository(relative, root)
        if repository is not None:
            return github_student(repository, path)
        if len(parts) == 1:
            return canvas_student(path) or moodle_student(path.name, path) or fallback_student(path, root)
        found = moodle_student(parts[0], path)
        if found is not None:
            return found
        if root not in self.exports:
            self.exports[root] = gradescope_export(root)
        export = self.exports[root]
        if export is not None:
            inside = path.relative_to(export).parts
            if len(inside) > 1 and GRADESCOPE_FOLDER.match(inside[0]):
                found = self.gradescope.student(export, inside[0], path)
                if found is not None:
                    return found
        return fallback_student(path, root)


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
