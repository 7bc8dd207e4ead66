"""What batch grading keeps on disk: one record per submission, the grades table, feedback files.

Every file is written whole or not at all (a temporary file, then a rename), so an interrupted
run leaves the previous version or the new one, never half of one. The records in
``DIR/results/`` are the truth; ``grades.csv`` and the feedback files are rebuilt from them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from ..protocol.facts import QuestionFacts, question_facts
from ..protocol.text import csv_cell
from .feedback import question_feedback


@dataclass
class Assignment:
    """The questions of the autograder zip: their order, points and check titles."""

    questions: tuple[str, ...]
    """question names, in the notebook's order; each is a column of the grades table"""
    points: dict[str, float]
    """maximum points per question"""
    titles: dict[str, list[str]] = field(default_factory=dict)
    """per question, the one-line titles of its test cases in otter's order"""
    name: str = ""
    """the assignment's name"""
    short: dict[str, str] = field(default_factory=dict)
    """per question, its column header in the printed table"""

    @property
    def max_total(self) -> float:
        return sum(self.points.values())


@dataclass
class Record:
    """One graded submission: its points per question and how grading went."""

    submission: str
    """its path as found under the given folders"""
    points: dict[str, float] = field(default_factory=dict)
    """points per question"""
    total: float = 0.0
    status: str = "graded"
    """graded, or error / timeout when otter produced no results"""
    reason: str = ""
    """one line: why the submission lost points, or why grading failed"""
    outputs: dict[str, str] = field(default_factory=dict)
    """per question, otter's output for it (results.json)"""
    sha256: str = ""
    """of the submission file when it was graded; a changed file is graded again"""
    autograder_sha256: str = ""
    """of the autograder zip it was graded with; a new zip grades everything again"""
    seconds: float = 0.0
    """wall-clock time of its grading"""
    isolation: str = ""
    """how the grading's sandbox was confined: ``full``, or ``partial: ...`` naming each mechanism
    that was missing and why (from the grading's facts)"""
    facts: dict[str, dict] = field(default_factory=dict)
    """per question, what its grading found (:class:`gradecore.protocol.facts.QuestionFacts` as JSON)"""
    student: dict = field(default_factory=dict)
    """whose submission it is (:class:`gradecore.cli.students.Student` as JSON; ask
    :func:`gradecore.cli.students.student_of`)"""
    detail: str = ""
    """for an error row, what the grading machinery said (one line, for the instructor), where
    ``reason`` says it in plain words"""

    def question_facts(self, question: str) -> Optional[QuestionFacts]:
        """What the grading of ``question`` found; None where the zip's plugin wrote no facts."""
        found = self.facts.get(question)
        if not isinstance(found, dict):
            return None
        try:
            return question_facts(found)
        except (KeyError, TypeError):
            return None

    @classmethod
    def from_json(cls, text: str) -> Record:
        data = json.loads(text)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False, sort_keys=True)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sanitise(submission: str) -> str:
    """A flat file name for a submission path: ``alice/hw.ipynb`` -> ``alice__hw.ipynb``."""
    parts = [p for p in Path(submission).parts if p not in ("/", ".", "..")]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", "__".join(parts)).lstrip(".")
    return name or "submission"


def file_names(submissions: list[str]) -> dict[str, str]:
    """A distinct file name per submission; a collision gets a hash of the path, as long as it
    takes to be distinct.

    Eight hex digits were once all: two names a student chose (``a$[&)b.py`` and ``a~}%=b.py``,
    both ``a_b.py`` once flattened) share them, found among 100,000 tries in a second, and the
    two entries then shared one record and one feedback file. Names are never shared.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for sub in sorted(submissions):
        name = base = sanitise(sub)
        digest = hashlib.sha1(sub.encode()).hexdigest()
        for width in (8, 16, 40):
            if name not in taken:
                break
            name = f"{base}-{digest[:width]}"
        counter = 1
        while name in taken:  # the whole digest taken: only a name made to read as this one's
            name, counter = f"{base}-{digest}-{counter}", counter + 1
        taken.add(name)
        names[sub] = name
    return names


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_records(folder: Path) -> dict[str, Record]:
    """The records in ``folder`` by submission; unreadable ones (from a crash) are ignored."""
    records: dict[str, Record] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            record = Record.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            continue
        records[record.submission] = record
    return records


CELL_CHARS = 1000
"""The longest a cell of the grades table may be (a submission's path is one)."""


def _number(x: float) -> str:
    return f"{x:g}"


GRADES_COLUMNS = ("student", "student_id", "section", "submission")
"""The grades table's first columns; then one per question, ``total``, ``possible`` and the ones of
:data:`GRADES_LAST_COLUMNS`."""
GRADES_LAST_COLUMNS = ("status", "reason", "isolation")


def csv_text(records: list[Record], assignment: Assignment) -> str:
    """The grades table: one row per record given (the batch gives one per student), sorted by student
    then path, one column per question. A submission that was not graded has blank points, never 0:
    its ``reason`` says why."""
    from .students import student_of

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    # every cell through csv_cell: one printable line, no formula for a spreadsheet (a file's name is the student's)
    writer.writerow([csv_cell(c) for c in [*GRADES_COLUMNS, *assignment.questions, "total", "possible", *GRADES_LAST_COLUMNS]])
    for r in sorted(records, key=lambda r: (student_of(r).name.lower(), r.submission)):
        who = student_of(r)
        graded = r.status == "graded"
        points = [_number(r.points.get(q, 0)) if graded else "" for q in assignment.questions]
        cells = [who.name, who.id, who.section, r.submission, *points, _number(r.total) if graded else "",
                 _number(assignment.max_total), r.status, r.reason, r.isolation]
        writer.writerow([csv_cell(c, CELL_CHARS) for c in cells])
    return buf.getvalue()


def feedback_text(record: Record, assignment: Assignment) -> str:
    """The feedback file of one submission: per question its points, failed checks and fix."""
    lines = [f"Feedback for {record.submission}"]
    if record.status != "graded":
        lines += [f"Not graded ({record.status}): {record.reason}", ""]
        lines.append("Every question counts 0 until the submission is graded. Ask your instructor.")
        return "\n".join(lines) + "\n"
    lines += [f"Total: {_number(record.total)} / {_number(assignment.max_total)} points"]
    if record.isolation:
        lines.append(f"Graded in a sandbox: isolation {record.isolation}")
    lines.append("")
    for q in assignment.questions:
        got, most = record.points.get(q, 0), assignment.points.get(q, 0)
        feedback = question_feedback(q, record.question_facts(q), record.outputs.get(q, ""), assignment.titles.get(q))
        mark = "✅" if got >= most else "❌"
        lines.append(f"{mark} {q}: {_number(got)} / {_number(most)}")
        for check in feedback.failed:
            lines.append(f"    failed: {check.title}")
            lines += [f"        {line}" for line in check.lines if line]
        for mistake in feedback.mistakes:
            lines.append(f"    likely mistake: {mistake.title}")
            lines.append(f"    fix: {mistake.fix}")
        lines.append("")
    return "\n".join(lines)
