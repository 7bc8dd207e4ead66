"""The grades table for the terminal: one row per student, one column per question, and why a row was
not graded."""

from __future__ import annotations

from ..protocol.text import one_line, visible
from .batch import Batch
from .students import student_of

REASON_CHARS = 100
"""How much of an error row's reason the terminal shows (grades.csv has it whole)."""


def table(batch: Batch) -> str:
    """The grades as a fixed-width text table."""
    short = batch.assignment.short
    questions = batch.assignment.questions
    rows = batch.rows()
    # a student's name comes from a file's name, the student's: held to printable text where it meets the terminal
    names = {r.submission: visible(student_of(r).name, 40) for r in rows}
    width = max([len(n) for n in names.values()] + [7])
    heads = "  ".join(f"{short.get(q, q)[:8]:>8}" for q in questions)
    lines = [f"{'student':<{width}}  {heads}     total  status"]
    for r in rows:
        if r.status == "graded":
            cells = "  ".join(f"{r.points.get(q, 0):>8g}" for q in questions)
            lines.append(f"{names[r.submission]:<{width}}  {cells}  {r.total:>8g}  {visible(r.status)}")
        else:
            cells = "  ".join(f"{'':>8}" for _ in questions)
            lines.append(f"{names[r.submission]:<{width}}  {cells}  {'':>8}  {visible(r.status)}: "
                         f"{one_line(r.reason, REASON_CHARS)}")
    return "\n".join(lines)
