"""Exports beside ``grades.csv``: files that each learning system imports as they are, one row per
student, and a feedback file per student to hand back.

=========================  =====================================================================
``exports/canvas.csv``     Canvas's gradebook import (Grades > Import): ``Student, ID, SIS User ID,
                           SIS Login ID, Section`` and one column for the assignment, then a
                           ``Points Possible`` row, as Canvas's own gradebook export writes them.
                           Canvas matches a row by ``ID`` (the user id of its download's file
                           names) or ``SIS User ID``; a column whose header is not an assignment's
                           ``Name (id)`` creates the assignment, with the points possible of that row.
``exports/moodle.csv``     Moodle's offline grading worksheet (Assignment > Upload grading
                           worksheet): ``Identifier`` (``Participant <id>``, the id of its
                           download's folder names), ``Grade``, ``Last modified (grade)`` (the three
                           columns its importer requires), ``Feedback comments`` and the columns of
                           Moodle's own worksheet beside them.
``exports/gradescope.csv`` The columns of Gradescope's score export, ``Name, SID, Email, Total Score,
                           Max Points, Status``: Gradescope matches a student by email or SID. A
                           group submission gives a row to each of its students. (No published
                           spec of a Gradescope score upload was found; these are the columns
                           Gradescope itself names in its export.)
``exports/blanks.csv``     every student whose score is blank in the three files above (grading
                           failed): what happened and what to do, in plain words.
``return/<student>.txt``   each student's feedback, named by student, to hand back.
=========================  =====================================================================

A blank score, never 0, stands for a grading that failed: each system leaves a blank cell as it
was, and the reason is in ``Feedback comments`` (Moodle) and ``blanks.csv``.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

from ..protocol.text import csv_cell
from .records import Assignment, Record, feedback_text, write_atomic
from .students import Student, slug, student_of

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""The columns before the assignments in Canvas's gradebook CSV (its import requires them)."""
CANVAS_POINTS_POSSIBLE = "    Points Possible"
"""The first cell of the row that gives each assignment's points (as Canvas's export writes it)."""

MOODLE_COLUMNS = ("Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                  "Grade can be changed", "Last modified (grade)", "Feedback comments")
"""The offline grading worksheet's columns that Moodle's importer reads (``Identifier``, ``Grade`` and
``Last modified (grade)`` are required, ``Feedback comments`` is read when feedback comments are on),
with the informative ones of Moodle's own worksheet."""
MOODLE_PARTICIPANT = "Participant "
"""What Moodle puts before the participant id in ``Identifier`` (its string ``hiddenuser``)."""

GRADESCOPE_COLUMNS = ("Name", "SID", "Email", "Total Score", "Max Points", "Status")
"""The columns of Gradescope's score export that name a student and the score."""

BLANKS_COLUMNS = ("student", "id", "email", "submission", "status", "reason")

EXPORTS = "exports"
RETURN = "return"


def _csv(rows: list[list], ours: int = 1) -> str:
    """CSV text: the first ``ours`` rows (headers this tool writes) as they are, every cell of the others
    through :func:`csv_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for n, row in enumerate(rows):
        writer.writerow(row if n < ours else [csv_cell(c) for c in row])
    return buf.getvalue()


def _score(record: Record) -> str:
    return f"{record.total:g}" if record.status == "graded" else ""


def _people(record: Record) -> list[Student]:
    """The students a record counts for: its student, and the other members of a group submission."""
    who = student_of(record)
    others = [Student(key=f"{who.source}:{m.get('id') or m.get('email')}", name=m.get("name", ""), source=who.source,
                      id=m.get("id", ""), email=m.get("email", ""), section=who.section) for m in who.members]
    return [who, *others]


def canvas_csv(rows: list[Record], assignment: Assignment, column: str | None = None) -> str:
    """Canvas's gradebook import; ``column`` is the assignment's header (default: its name)."""
    header = column or assignment.name
    lines = [[*CANVAS_COLUMNS, header], [CANVAS_POINTS_POSSIBLE, "", "", "", "", f"{assignment.max_total:g}"]]
    for r in rows:
        for who in _people(r):
            canvas_id = who.id if who.source == "canvas" else ""
            lines.append([who.name, canvas_id, who.sis_id, "", who.section, _score(r)])
    return _csv(lines, ours=2)


def moodle_csv(rows: list[Record], assignment: Assignment, modified: str | None = None) -> str:
    """Moodle's offline grading worksheet; ``modified`` (ISO 8601, default now) is its ``Last modified
    (grade)``: Moodle keeps a grade changed in Moodle after that time."""
    modified = modified or now_iso()
    lines = [list(MOODLE_COLUMNS)]
    for r in rows:
        for who in _people(r):
            identifier = f"{MOODLE_PARTICIPANT}{who.id}" if who.source == "moodle" and who.id else ""
            comment = (f"{r.total:g} / {assignment.max_total:g} points. {r.reason}".strip() if r.status == "graded"
                       else f"Not graded: {r.reason}")
            lines.append([identifier, who.name, who.email, "Submitted for grading", _score(r),
                          f"{assignment.max_total:g}", "Yes", modified, comment])
    return _csv(lines)


def gradescope_csv(rows: list[Record], assignment: Assignment) -> str:
    """Gradescope's score columns, one row per student (each member of a group)."""
    lines = [list(GRADESCOPE_COLUMNS)]
    for r in rows:
        for who in _people(r):
            sid = who.id if who.source in ("gradescope", "roster") else who.sis_id
            lines.append([who.name, sid, who.email, _score(r), f"{assignment.max_total:g}",
                          "Graded" if r.status == "graded" else "Ungraded"])
    return _csv(lines)


def blanks_csv(rows: list[Record]) -> str:
    """Every student whose score is blank, with what happened and what to do."""
    lines = [list(BLANKS_COLUMNS)]
    for r in rows:
        if r.status != "graded":
            who = student_of(r)
            lines.append([who.name, who.id, who.email, r.submission, r.status, r.reason])
    return _csv(lines)


def feedback_names(rows: list[Record]) -> dict[str, str]:
    """A distinct file name per counted submission, made of its student's name and id."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for r in rows:
        who = student_of(r)
        base = slug(f"{who.name}_{who.id}" if who.id and who.id != who.name else who.name)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names[r.submission] = f"{name}.txt"
    return names


def write_exports(rows: list[Record], assignment: Assignment, out: Path, canvas_column: str | None = None) -> None:
    """Write ``exports/`` and ``return/`` into ``out`` for ``rows`` (one per student); see the module."""
    out = Path(out)
    write_atomic(out / EXPORTS / "canvas.csv", canvas_csv(rows, assignment, canvas_column))
    write_atomic(out / EXPORTS / "moodle.csv", moodle_csv(rows, assignment))
    write_atomic(out / EXPORTS / "gradescope.csv", gradescope_csv(rows, assignment))
    write_atomic(out / EXPORTS / "blanks.csv", blanks_csv(rows))
    names = feedback_names(rows)
    for r in rows:
        write_atomic(out / RETURN / names[r.submission], feedback_text(r, assignment))
    wanted = set(names.values())
    for old in (out / RETURN).glob("*.txt"):
        if old.name not in wanted:  # a student whose counted submission changed, or who left the table
            old.unlink(missing_ok=True)


def now_iso() -> str:
    """The time now, as records keep it (ISO 8601, UTC, to the second)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
