"""What the values of a wrong array show, where its question names no axes (a weight's gradient)."""

from __future__ import annotations

import numpy as np

from gradecore.public.spec import Check, Question
from gradecore.public.structure_arrays import _array_finding

QUESTION = Question("grads", 1, "grads", lambda answer, expected: None)
"""a question whose answer has no axes in the course's letters, as a gradient of Wh"""


def _failing(answer, sizes=(3, 5, 1)) -> list[tuple[Check, np.ndarray]]:
    failing = []
    for m in sizes:
        expected = np.random.default_rng(m).standard_normal((m, m))
        got = answer(expected)
        if not np.allclose(got, expected):
            failing.append((Check("grads", f"M={m}", [], expected), got))
    return failing


def test_a_square_matrix_returned_transposed_is_named_so():
    finding = _array_finding(QUESTION, _failing(lambda w: w.T.copy()))
    assert finding is not None and finding.id == "square_transposed", finding
    assert "transposed" in finding.text


def test_a_transpose_is_not_said_where_one_check_is_not_a_transpose():
    def answer(w):
        return w.T.copy() if len(w) != 5 else w[::-1].copy()

    finding = _array_finding(QUESTION, _failing(answer))
    assert finding is None or finding.id != "square_transposed", finding


def test_right_values_rearranged_without_axes_name_no_empty_shape():
    finding = _array_finding(QUESTION, _failing(lambda w: w.reshape(-1)[::-1].reshape(w.shape).copy()))
    assert finding is not None and finding.id == "values_rearranged", finding
    assert "()" not in finding.text and "the expected shape and exactly" in finding.text, finding.text


PER_STEP = Question("norms", 1, "norms", lambda answer, expected: None, axes="T")
"""a question answered with one value per step, as a gradient's norm at each step"""


def _per_step(answer, steps=(6, 4, 9)) -> list[tuple[Check, np.ndarray]]:
    failing = []
    for t in steps:
        expected = np.random.default_rng(t).uniform(0.5, 2.0, t)
        failing.append((Check("norms", f"T={t}", [], expected), answer(expected)))
    return failing


def test_right_at_every_step_but_the_first_is_not_said_right_at_the_last_only():
    """Round 13's loop that stops before step 1 leaves norms[0] at 0: the message had said "right at the
    last step only: every earlier step differs", the reverse of the truth."""

    def first_left_at_zero(norms):
        got = norms.copy()
        got[0] = 0.0
        return got

    finding = _array_finding(PER_STEP, _per_step(first_left_at_zero))
    assert finding is None or finding.id != "last_step_only", finding


def test_right_at_the_last_step_and_at_no_other_is_said_so():
    def only_last(norms):
        got = norms * 3.0 + 1.0
        got[-1] = norms[-1]
        return got

    finding = _array_finding(PER_STEP, _per_step(only_last))
    assert finding is not None and finding.id == "last_step_only", finding
