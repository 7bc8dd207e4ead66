"""One row per student: of a student's submissions, the latest by the source's own order counts; the
others are listed as superseded, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass

from .discovery import Skipped, Submission
from .records import Record
from .students import Student, student_of


def _latest_first(order: list[float], name: str) -> tuple:
    """Sort key: the greatest order (LATE, attempt, time) first; ties by path, so the choice is stable."""
    return tuple(-x for x in order), name


def choose(submissions: list[Submission], students: dict[str, Student]) -> tuple[list[Submission], list[Skipped]]:
    """The latest submission of each student among ``submissions``, and each other one as skipped.

    Args:
        submissions: the files found.
        students: the student of each, by the submission's name.

    Returns:
        the submissions to grade, in the given order, and the superseded ones with the file that
        superseded each.
    """
    by_student: dict[str, list[Submission]] = {}
    for sub in submissions:
        by_student.setdefault(students[sub.name].key, []).append(sub)
    chosen: set[str] = set()
    skipped = []
    for subs in by_student.values():
        subs.sort(key=lambda s: _latest_first(students[s.name].order, s.name))
        chosen.add(subs[0].name)
        skipped += [Skipped(s.name, superseded_reason(students[s.name], subs[0].name)) for s in subs[1:]]
    return [s for s in submissions if s.name in chosen], skipped


SUPERSEDED = "superseded:"
"""How the reason of a superseded file begins."""


def superseded_reason(student: Student, by: str) -> str:
    return f"{SUPERSEDED} {student.name} submitted {by} later (the latest submission counts)"


@dataclass
class Gradebook:
    """The records of a class folder, one counted per student."""

    rows: list[Record]
    """the record that counts for each student, sorted by student"""
    superseded: list[Skipped]
    """each earlier graded submission of a student, and what superseded it"""


def gradebook(records: list[Record]) -> Gradebook:
    """Of every student's records, the latest counts (by the order its source gives); see the module."""
    by_student: dict[str, list[Record]] = {}
    for record in records:
        by_student.setdefault(student_of(record).key, []).append(record)
    rows, superseded = [], []
    for mine in by_student.values():
        mine.sort(key=lambda r: _latest_first(student_of(r).order, r.submission))
        rows.append(mine[0])
        superseded += [Skipped(r.submission, superseded_reason(student_of(r), mine[0].submission)) for r in mine[1:]]
    rows.sort(key=lambda r: (student_of(r).name.lower(), r.submission))
    return Gradebook(rows, sorted(superseded, key=lambda s: s.path))
