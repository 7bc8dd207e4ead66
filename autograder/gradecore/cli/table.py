"""The grades table for the terminal: one row per submission, one column per question."""

from __future__ import annotations

from ..protocol.text import visible
from .batch import Batch


def table(batch: Batch) -> str:
    """The grades as a fixed-width text table."""
    short = batch.assignment.short
    questions = batch.assignment.questions
    rows = batch.rows()
    # a name is printable already (discovery made it so); held to it here, where it meets the terminal
    names = {r.submission: visible(r.submission) for r in rows}
    width = max([len(n) for n in names.values()] + [10])
    heads = "  ".join(f"{short.get(q, q)[:8]:>8}" for q in questions)
    lines = [f"{'submission':<{width}}  {heads}     total  status"]
    for r in rows:
        cells = "  ".join(f"{r.points.get(q, 0):>8g}" for q in questions)
        lines.append(f"{names[r.submission]:<{width}}  {cells}  {r.total:>8g}  {visible(r.status)}")
    return "\n".join(lines)
