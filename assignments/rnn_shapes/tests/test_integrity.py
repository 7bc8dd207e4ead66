"""rnn_shapes' wrong answers that lie about themselves, through the real zip: they earn nothing,
and grading them again gives the same verdicts.

What every assignment's submissions may try is the attack suite's (``tests/attacks/``: TensorFlow
in threads and subprocesses, rebound grading code); the limits and the top-level problems of any
submission, and a NumPy-only function that asks TensorFlow, are the core's (``tests/integration/``).
"""

from __future__ import annotations

import pytest

from .helpers import KIT, POINTS, QUESTIONS, py_submission

pytestmark = pytest.mark.slow

SMALL_LIMITS = {"RNN_SHAPES_TIME_LIMIT_S": "2", "RNN_SHAPES_CELL_TIME_LIMIT_S": "20"}


def scores_with(**lost) -> dict:
    """Full marks except the given questions, which earn the given scores."""
    return {q: lost.get(q, POINTS[q]) for q in QUESTIONS}


WRONG_ANSWERS_THAT_LIE = {
    "count_params": """
        def count_params(T, D, M, K):
            class Equal(int):
                def __eq__(self, other):
                    return True
            return Equal(0)
        """,
    "weight_shapes": """
        def weight_shapes(D, M, K):
            class Anything:
                def __eq__(self, other):
                    return True
                def __len__(self):
                    return 5
                def __array_ufunc__(self, *args, **kwargs):
                    return True
            return Anything()
        """,
    "manual_forward": """
        def manual_forward(X, Wx, Wh, bh, Wo, bo):
            class Equal(np.ndarray):
                def __eq__(self, other):
                    return np.ones(np.shape(other), bool)
                def __array_ufunc__(self, *args, **kwargs):
                    return np.ones(Wo.shape[1], bool)
            return np.zeros(Wo.shape[1]).view(Equal)
        """,
    "batched_forward": """
        def batched_forward(X, Wx, Wh, bh, Wo, bo):
            np.isclose = lambda *args, **kwargs: True
            np.testing.assert_allclose = lambda *args, **kwargs: None
            for array in (X, Wx, Wh, bh, Wo, bo):
                array[...] = 0
            return np.zeros((X.shape[0], Wo.shape[1]))
        """,
}

TOP_LEVEL_REBINDING = """\
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
"""


@pytest.fixture(scope="module")
def lying_twice(autograder_zip, tmp_path_factory) -> list:
    """The lying answers, numpy rebound at top level and an endless loop, graded twice alike."""
    source = py_submission(
        {**WRONG_ANSWERS_THAT_LIE, "sequence_forward": "def sequence_forward(X, Wx, Wh, bh, Wo, bo):\n    while True:\n        pass"},
        header=TOP_LEVEL_REBINDING,
    )
    runs = []
    for i in range(2):
        path = tmp_path_factory.mktemp(f"lying{i}") / "rnn_shapes.py"
        path.write_text(source)
        runs.append(KIT.otter_run(autograder_zip, path, env=SMALL_LIMITS))
    return runs


def test_lying_values_and_rebound_numpy_cannot_pass_wrong_answers(lying_twice):
    graded = lying_twice[0]
    assert graded.scores == scores_with(
        count_params=0, weight_shapes=0, manual_forward=0, batched_forward=0, sequence_forward=0
    ), graded.outputs
    assert "count_params returned a different number of parameters" in graded.outputs["count_params"]
    assert "should return a list of 5 shape tuples, got a" in graded.outputs["weight_shapes"]
    assert "its values differ from model.predict" in graded.outputs["manual_forward"]
    assert "its values differ from model.predict" in graded.outputs["batched_forward"]
    assert "did not return within 2 seconds" in graded.outputs["sequence_forward"]
    # batched_forward's own rebinding of numpy.isclose happens only in the grader's forked
    # children (the autograder runs no public check in the kernel), so only the top level's shows.
    top = (
        "the submission replaces numpy.allclose, numpy.array_equal, "
        "numpy.testing.assert_allclose; the grader ignores this."
    )
    assert top in graded.raw.get("output", "")
    assert f"⚠ {top}" in graded.outputs["manual_forward"]


def test_grading_the_same_submission_again_gives_the_same_result(lying_twice):
    first, again = lying_twice
    assert again.scores == first.scores
    assert again.outputs == first.outputs
    assert again.raw.get("output", "") == first.raw.get("output", "")
