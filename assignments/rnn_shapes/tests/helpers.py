"""The rnn_shapes tests' names for the shared helpers, bound to this assignment."""

from __future__ import annotations

from tests.support import OTTER, ROOT
from tests.support import AssignmentUnderTest as Kit

KIT = Kit("rnn_shapes")
QUESTIONS = KIT.questions
POINTS = KIT.points
SOLUTION = KIT.solution
reference_sources = KIT.reference_sources
py_submission = KIT.py_submission
notebook_submission = KIT.notebook_submission
otter_run = KIT.otter_run

__all__ = [
    "KIT", "OTTER", "POINTS", "QUESTIONS", "ROOT", "SOLUTION",
    "notebook_submission", "otter_run", "py_submission", "reference_sources",
]
