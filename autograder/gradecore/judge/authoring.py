"""What an assignment's grader uses of the core, in one place: ``from gradecore.judge.authoring import ...``.

An assignment's ``grader/`` package (docs/authoring.md) runs in the judge, so this surface is on the
judge's side. It gathers, from where each is defined:

- the spec: :class:`AssignmentSpec`, :class:`Question`, :class:`Check` and :func:`asked_again`;
- the catalogue of mistakes: :class:`Catalogue` and :func:`applied`;
- the cases: :class:`Case` (an assignment's own ``Case`` subclasses it), :class:`Shape`,
  :func:`random_shape`, :func:`glorot`, :func:`nonzero` and :func:`case_id`;
- the truths: :func:`lookup_truth` (the shipped truth of a case, else computed);
- the answers and their checks: :class:`Answer`, :func:`check_array`, :func:`tolerance_ratio`, and
  the shaped checks defined here (:func:`check_shaped`, :func:`received`, :func:`shape_in_letters`,
  :func:`array_tolerance`), which several graders share.

A grader imports nothing else of the core; what it needs and does not find here belongs here.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..public.compare import Answer, check_array, tolerance_ratio
from ..public.spec import AssignmentSpec, Catalogue, Check, Question, applied, asked_again, case_id
from .cases import Case, Shape, glorot, nonzero, random_shape
from .truths import lookup as lookup_truth

__all__ = [
    "Answer",
    "AssignmentSpec",
    "Case",
    "Catalogue",
    "Check",
    "Question",
    "Shape",
    "applied",
    "array_tolerance",
    "asked_again",
    "case_id",
    "check_array",
    "check_shaped",
    "glorot",
    "lookup_truth",
    "nonzero",
    "random_shape",
    "received",
    "shape_in_letters",
    "tolerance_ratio",
]


def received(answer: Answer) -> str:
    """What an answer is, for a message that says what was expected and what was received: ``a
    tuple of 3 items``, ``an array of shape (2, 3)``, ``a str`` (never its values)."""
    if answer.kind in ("list", "tuple"):
        return f"a {answer.type_name} of {len(answer.value)} items"
    if answer.kind == "ndarray":
        return f"an array of shape {answer.value.shape}"
    return f"a {answer.type_name}"


def shape_in_letters(shape: tuple, letters: str) -> str:
    """A shape written with its letters and its sizes: ``(N, M)=(3, 5)``."""
    return f"({', '.join(letters)}{',' if len(letters) == 1 else ''})={shape}"


def check_shaped(answer: Answer, expected: np.ndarray, what: str, letters: str, truth: str) -> Optional[str]:
    """:func:`check_array` with the expected shape also written in the course's letters.

    Args:
        answer: the returned value.
        expected: the true array.
        what: how the message names the value (``"the output of lstm_forward"``).
        letters: the expected shape's letters, one per axis (``"NK"``).
        truth: what computes the true answer (``"model.predict"``).

    Returns:
        None when the answer is right, else what is wrong with it, its shape first.
    """
    if answer.kind == "ndarray" and answer.value.shape != expected.shape:
        return f"{what} should have shape {shape_in_letters(expected.shape, letters)}, got shape {answer.value.shape}."
    return check_array(answer, expected, what, truth=truth)


def array_tolerance(answer: Answer, expected: np.ndarray) -> float:
    """The distance of one returned array, in units of the tolerance rule (infinite for an answer
    that is no array): a question's ``tolerance``, or a part of one."""
    if answer.kind != "ndarray":
        return float("inf")
    return tolerance_ratio(answer.value, expected)
