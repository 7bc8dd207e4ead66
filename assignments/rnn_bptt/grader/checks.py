"""The hidden checks of each graded function: the calls to make and how to judge the answers.

Everything here runs in the judge, a process that never executes student code. The judge sends
each call's arguments to the student's kernel, receives the raw return values, and decides with
the judges below. TensorFlow is imported only when the default (Keras) truth is computed, which
the build does once and ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from gradecore.judge.authoring import (
    Answer,
    Check,
    array_tolerance,
    asked_again,
    check_array,
    check_shaped,
    lookup_truth,
    received,
    tolerance_ratio,
)

from .cases import Case, ClipCase, make_cases, make_clip_cases

GRADIENTS = ("dWx", "dWh", "dbh", "dWo", "dbo")
"""The five gradients, in the order of ``model.trainable_weights``."""

GRADIENT_LETTERS = ("DM", "MM", "M", "MK", "K")
"""Each gradient's shape in the course's letters: the shape of its weight."""

QUESTIONS = ("bptt_gradients", "hidden_gradients", "gradient_norms", "truncated_bptt_gradients", "clip_by_global_norm")


@dataclass
class Truth:
    """What Keras computes for one case: the expected answers of the gradient questions."""

    grads: tuple[np.ndarray, ...]
    """``tape.gradient(loss, model.trainable_weights)``: dWx, dWh, dbh, dWo, dbo"""
    hidden: np.ndarray
    """dL/dh_t for t = 1..T, (N, T, M)"""
    norms: np.ndarray
    """the L2 norm of dL/dh_t over the whole batch, (T,)"""
    truncated: dict[int, tuple[np.ndarray, ...]]
    """for each k of the case, the five gradients with h_{T-k} held constant"""


@dataclass
class ClipTruth:
    """What ``tf.clip_by_global_norm`` returns for one clip case."""

    clipped: list[np.ndarray]
    global_norm: float


def keras_truth(case: Case) -> Truth:
    """The truth from real Keras (imports TensorFlow on first use), shipped by the build for the
    build's seed (:func:`gradecore.judge.authoring.lookup_truth`)."""

    def compute() -> dict:
        from . import keras_truth as keras_side

        return keras_side.keras_truth(case)

    def draft() -> dict:  # the truth's structure in zeros (the judge's first pass: the arguments only)
        grads = tuple(np.zeros(np.shape(w)) for w in case.weights)
        return {"grads": grads, "hidden": np.zeros((case.shape.N, case.shape.T, case.shape.M)),
                "norms": np.zeros(case.shape.T), "truncated": {k: grads for k in case.ks}}

    return Truth(**lookup_truth(("rnn_bptt.keras_truth", case), compute, draft=draft))


def keras_clip_truth(case: ClipCase) -> ClipTruth:
    """``tf.clip_by_global_norm`` on the case's gradients, shipped like :func:`keras_truth`."""

    def compute() -> dict:
        from . import keras_truth as keras_side

        return keras_side.clip_truth(case)

    def draft() -> dict:
        return {"clipped": [np.zeros(np.shape(g)) for g in case.grads], "global_norm": 0.0}

    return ClipTruth(**lookup_truth(("rnn_bptt.clip_truth", case), compute, draft=draft))


def build_checks(
    seed: int,
    truth: Callable[[Case], Truth] = keras_truth,
    clip_truth: Callable[[ClipCase], ClipTruth] = keras_clip_truth,
) -> dict[str, list[Check]]:
    """All hidden checks of the cases drawn from ``seed``.

    Args:
        seed: the base seed of the cases.
        truth, clip_truth: compute the expected answers of a case; the judge uses real Keras, the
            fast tests the reference solution in float64.

    Returns:
        the checks of each question, in case order; each array question's first check is asked
        again at the end.
    """
    checks: dict[str, list[Check]] = {q: [] for q in QUESTIONS}

    def add(question: str, label: str, args: list, expected: Any, sizes: dict[str, int]) -> None:
        checks[question].append(Check(question, label, args, expected, list(args), sizes=sizes))

    for case in make_cases(seed):
        s, known = case.shape, truth(case)
        data = [case.X, case.y, *case.weights]
        add("bptt_gradients", case.label(), data, tuple(known.grads), s.sizes())
        add("hidden_gradients", case.label(), data, known.hidden, s.sizes())
        add("gradient_norms", case.label(), data, known.norms, s.sizes())
        for k in case.ks:
            add("truncated_bptt_gradients", f"{case.label()}, k={k}", [*data, k], tuple(known.truncated[k]), s.sizes())
    for case in make_clip_cases(seed):
        known = clip_truth(case)
        expected = (list(known.clipped), known.global_norm)
        add("clip_by_global_norm", f"{case.label()}, clip_norm={case.clip_norm:g}", [list(case.grads), case.clip_norm],
            expected, case.shape.sizes("DMK"))
    return {q: asked_again(cs) for q, cs in checks.items()}


# --- judges ---------------------------------------------------------------------------------------


def gradients_problem(question: str, truth: str) -> Callable[[Answer, tuple], Optional[str]]:
    """What is wrong with a tuple (dWx, dWh, dbh, dWo, dbo), each the shape of its weight."""

    def problem_with(answer: Answer, expected: tuple) -> Optional[str]:
        if answer.kind not in ("list", "tuple") or len(answer.value) != len(GRADIENTS):
            return f"{question} should return a tuple (dWx, dWh, dbh, dWo, dbo) of five arrays, got {received(answer)}."
        for name, got, want, letters in zip(GRADIENTS, answer.value, expected, GRADIENT_LETTERS):
            problem = check_shaped(got, want, name, letters, truth)
            if problem:
                return problem
        return None

    return problem_with


def hidden_problem(answer: Answer, expected: np.ndarray) -> Optional[str]:
    return check_shaped(answer, expected, "the output of hidden_gradients", "NTM", "tape.gradient(loss, h_t) at each step")


def norms_problem(answer: Answer, expected: np.ndarray) -> Optional[str]:
    return check_shaped(answer, expected, "the output of gradient_norms", "T", "the norm of tape.gradient(loss, h_t) at each step")


def _is_number(answer: Answer) -> bool:
    return answer.kind in ("int", "float") or (answer.kind == "ndarray" and answer.value.size == 1
                                               and answer.value.ndim <= 1 and answer.value.dtype.kind in "fiu")


def _number(answer: Answer) -> float:
    return float(np.asarray(answer.value, dtype=np.float64).reshape(()))


def clip_problem(answer: Answer, expected: tuple) -> Optional[str]:
    clipped, norm = expected
    count = len(clipped)
    if answer.kind not in ("list", "tuple") or len(answer.value) != 2:
        return f"clip_by_global_norm should return a tuple (clipped, global_norm), got {received(answer)}."
    got_clipped, got_norm = answer.value
    if got_clipped.kind not in ("list", "tuple") or len(got_clipped.value) != count:
        return f"clipped should be a list of {count} arrays, one per gradient given, got {received(got_clipped)}."
    for i, (got, want) in enumerate(zip(got_clipped.value, clipped)):
        problem = check_array(got, want, f"clipped[{i}]", truth="tf.clip_by_global_norm")
        if problem:
            return problem
    if not _is_number(got_norm):
        return f"global_norm should be a number, got {received(got_norm)}."
    value = _number(got_norm)
    if not np.isfinite(value) or not np.isclose(value, norm, rtol=1e-4, atol=1e-4):
        return "global_norm is a number but not the global norm that tf.clip_by_global_norm returns."
    return None


# --- tolerances -----------------------------------------------------------------------------------


def gradients_tolerance(answer: Answer, expected: tuple) -> float:
    """The largest distance of the five gradients."""
    if answer.kind not in ("list", "tuple") or len(answer.value) != len(expected):
        return float("inf")
    return max(array_tolerance(got, want) for got, want in zip(answer.value, expected))


def clip_tolerance(answer: Answer, expected: tuple) -> float:
    """The largest distance of the clipped arrays and the global norm."""
    clipped, norm = expected
    if answer.kind not in ("list", "tuple") or len(answer.value) != 2:
        return float("inf")
    got_clipped, got_norm = answer.value
    if got_clipped.kind not in ("list", "tuple") or len(got_clipped.value) != len(clipped) or not _is_number(got_norm):
        return float("inf")
    worst = tolerance_ratio(np.array([_number(got_norm)]), np.array([norm]))
    return max(worst, *(array_tolerance(got, want) for got, want in zip(got_clipped.value, clipped)))
