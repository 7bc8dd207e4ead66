"""The instructor's roster: a CSV file that names the students of files whose names say nothing, and
adds what the names lack (an email, a section, a Canvas SIS id) to students found by id
(:mod:`gradecore.cli.students` reads who is who from the files' names)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..protocol.text import one_line
from .students import Student


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

    def apply(self, student: Student, submission: str, relative: Optional[Path] = None,
              named_alone: bool = False) -> Student:
        """``student`` with what the roster says of it: the row naming its file names it; a row with its id
        or email adds what it knows.

        Args:
            student: the student the file's layout gave.
            submission: the file as found (its path as given on the command line).
            relative: the file's path below the given folder: a row's ``file`` matches it exactly, or
                the file's bare name when the file lies directly in the given folder; a path a student
                made inside their own folder (``mallory/alice/hw.py``) never matches ``alice/hw.py``.
            named_alone: whether the name of a plain folder's or file's student (``alice`` of
                ``alice/`` or ``alice.py`` directly in the given folder) is no other entry's there, so
                that a row with that ``id`` may name it.
        """
        relative = relative if relative is not None else Path(Path(submission).name)
        entry = self.by_file.get(submission) or self.by_file.get(relative.as_posix()) or (
            self.by_file.get(relative.name) if len(relative.parts) == 1 else None)
        if entry is not None:
            # A row without an id or email is one file's: two students of one name are never one row.
            key = (entry.id or entry.email).lower() or f"file:{entry.file}"
            student = Student(key=f"roster:{key}", name=entry.name or entry.id or entry.email or entry.file, source="roster", id=entry.id,
                              email=entry.email, section=entry.section, sis_id=entry.sis_id, order=student.order)
            return student
        entry = (self.by_id.get(student.id.lower()) if student.id else None) or (
            self.by_email.get(student.email.lower()) if student.email else None)
        if entry is None and student.source in ("folder", "file") and named_alone:
            entry = self.by_id.get(student.name.lower())
        if entry is not None:
            student.name = entry.name or student.name
            student.email = student.email or entry.email
            student.section = entry.section or student.section
            student.sis_id = entry.sis_id or student.sis_id
        return student
