"""The hidden checks of each graded function: the calls to make and how to judge the answers.

Everything here runs in the judge, a process that never executes student code. The judge sends
each call's arguments to the student's kernel, receives the raw return values, and decides with
the judges below. TensorFlow is imported only when the default (Keras) truth is used.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from gradecore.judge.authoring import (
    Answer,
    Check,
    array_tolerance,
    asked_again,
    check_shaped,
    lookup_truth,
    received,
    shape_in_letters,
)

from .cases import Case, make_cases, make_count_cases

GATES = ("i", "f", "c", "o")
"""The LSTM's gates, in the order Keras packs them along the kernels' columns."""

PARTS = ("W", "U", "b")
"""The three arrays of each gate in lstm_gate_weights' answer."""


@dataclass
class Truth:
    """What the models of one case compute: the expected answers of every question."""

    lstm_output: np.ndarray
    """``model.predict(X)`` of ``LSTM(M) -> Dense(K)``, shape (N, K)"""
    lstm_states: tuple[np.ndarray, np.ndarray]
    """(h_T, c_T) of ``LSTM(M, return_state=True)``, each (N, M)"""
    lstm_weights: list[np.ndarray]
    """the LSTM layer's ``get_weights()``: kernel (D, 4M), recurrent_kernel (M, 4M), bias (4M,)"""
    gru_output: dict[bool, np.ndarray]
    """``model.predict(X)`` of ``GRU(M, reset_after=...) -> Dense(K)`` for each value, (N, K)"""
    lstm_count: int
    """``model.count_params()`` of the LSTM model"""
    gru_count: dict[bool, int]
    """``model.count_params()`` of the GRU model for each ``reset_after``"""


def _keras_answers(case: Case) -> dict:
    from . import keras_truth as keras_side

    return dataclasses.asdict(keras_side.keras_truth(case))


def keras_truth(case: Case) -> Truth:
    """The truth from real Keras models (imports TensorFlow on first use), shipped by the build
    for the default seed's cases (:func:`gradecore.judge.authoring.lookup_truth`)."""
    return Truth(**lookup_truth(("gated_rnn_shapes.keras_truth", case), lambda: _keras_answers(case),
                                 draft=lambda: _draft(case)))


def _draft(case: Case) -> dict:
    """The truth's structure in zeros (the judge's first pass: the arguments only, no Keras)."""
    s = case.shape
    N, D, M, K = s.N, s.D, s.M, s.K
    return {"lstm_output": np.zeros((N, K)), "lstm_states": (np.zeros((N, M)), np.zeros((N, M))),
            "lstm_weights": [np.zeros((D, 4 * M)), np.zeros((M, 4 * M)), np.zeros(4 * M)],
            "gru_output": {True: np.zeros((N, K)), False: np.zeros((N, K))}, "lstm_count": 0,
            "gru_count": {True: 0, False: 0}}


def gate_slices(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray) -> dict[str, tuple]:
    """The expected answer of lstm_gate_weights: each gate's columns of the packed arrays, float64."""
    M = recurrent_kernel.shape[0]
    out = {}
    for k, gate in enumerate(GATES):
        cols = slice(k * M, (k + 1) * M)
        out[gate] = tuple(np.asarray(a[..., cols], dtype=np.float64) for a in (kernel, recurrent_kernel, bias))
    return out


def _count_label(D: int, M: int, K: int) -> str:
    return f"D={D}, M={M}, K={K}"


def build_checks(seed: int, truth: Callable[[Case], Truth] = keras_truth) -> dict[str, list[Check]]:
    """All hidden checks of the cases drawn from ``seed``.

    Args:
        seed: the base seed of the cases (printed in every failure).
        truth: computes the expected answers of a case; the judge uses real Keras models (its
            expensive start-up), the fast tests the reference solution in float64.

    Returns:
        the checks of each question, in case order.
    """
    checks: dict[str, list[Check]] = {
        q: []
        for q in ("lstm_count_params", "gru_count_params", "lstm_gate_weights", "lstm_forward", "lstm_states", "gru_forward")
    }

    def add(question: str, label: str, args: list, expected: Any, sizes: dict[str, int]) -> None:
        checks[question].append(Check(question, label, args, expected, list(args), sizes=sizes))

    for index, case in enumerate(make_cases(seed)):
        s, known = case.shape, truth(case)
        kernel, recurrent, bias, Wo, bo = case.lstm
        add("lstm_gate_weights", case.label(), [kernel, recurrent, bias], gate_slices(*known.lstm_weights), s.sizes("DM"))
        add("lstm_forward", case.label(), [case.X, *case.lstm], known.lstm_output, s.sizes())
        add("lstm_states", case.label(), [case.X, kernel, recurrent, bias], tuple(known.lstm_states), s.sizes("NTDM"))
        for reset_after in (True, False):
            add(
                "gru_forward",
                f"{case.label()}, reset_after={reset_after}",
                [case.X, *case.gru[reset_after]],
                known.gru_output[reset_after],
                s.sizes(),
            )
        _add_counts(add, s.D, s.M, s.K, known, default_too=index == 0)
    for case in make_count_cases(seed):
        s = case.shape
        _add_counts(add, s.D, s.M, s.K, truth(case), default_too=True)
    return checks | {q: asked_again(checks[q]) for q in ("lstm_forward", "lstm_states", "gru_forward")}


def _add_counts(add: Callable, D: int, M: int, K: int, known: Truth, default_too: bool) -> None:
    sizes = {"D": D, "M": M, "K": K}
    add("lstm_count_params", _count_label(D, M, K), [D, M, K], known.lstm_count, sizes)
    for reset_after in (True, False):
        label = f"{_count_label(D, M, K)}, reset_after={reset_after}"
        add("gru_count_params", label, [D, M, K, reset_after], known.gru_count[reset_after], sizes)
    if default_too:
        # reset_after's default must be True, as in keras.layers.GRU.
        add("gru_count_params", f"{_count_label(D, M, K)}, reset_after left at its default", [D, M, K], known.gru_count[True],
            sizes)


# --- judges ---------------------------------------------------------------------------------------


def count_problem(question: str) -> Callable[[Answer, int], Optional[str]]:
    def problem_with(answer: Answer, expected: int) -> Optional[str]:
        if answer.kind not in ("int", "float"):
            return f"{question} should return an int, got a {answer.type_name}."
        if answer.value != expected:
            return f"{question} returned {answer.value}, which is not model.count_params() for these sizes."
        return None

    return problem_with


def gate_weights_problem(answer: Answer, expected: dict[str, tuple]) -> Optional[str]:
    keys = "'i', 'f', 'c', 'o'"
    if answer.kind != "dict":
        return f"lstm_gate_weights should return a dict with keys {keys}, got {received(answer)}."
    if set(answer.value) != set(GATES):
        # the answer's own keys are not repeated: they are the submission's to choose
        missing = ", ".join(repr(k) for k in GATES if k not in answer.value) or "none"
        other = len(set(answer.value) - set(GATES))
        return (f"lstm_gate_weights should return a dict with keys {keys}; it lacks {missing} and has "
                f"{other} other key{'s' if other != 1 else ''}.")
    for gate in GATES:
        item = answer.value[gate]
        if item.kind not in ("list", "tuple") or len(item.value) != 3:
            return f"gates['{gate}'] should be a tuple (W, U, b) of three arrays, got {received(item)}."
        for part, got, want, letters in zip(PARTS, item.value, expected[gate], ("DM", "MM", "M")):
            problem = check_shaped(got, want, f"{part} of gate '{gate}'", letters, "the gate's columns of the packed weights")
            if problem:
                return problem
    return None


def output_problem(question: str) -> Callable[[Answer, np.ndarray], Optional[str]]:
    def problem_with(answer: Answer, expected: np.ndarray) -> Optional[str]:
        return check_shaped(answer, expected, f"the output of {question}", "NK", "model.predict")

    return problem_with


def states_problem(answer: Answer, expected: tuple[np.ndarray, np.ndarray]) -> Optional[str]:
    shape = shape_in_letters(expected[0].shape, "NM")
    if answer.kind not in ("list", "tuple") or len(answer.value) != 2:
        return f"lstm_states should return a tuple (h_T, c_T) of two arrays of shape {shape}, got {received(answer)}."
    for name, got, want in zip(("h_T", "c_T"), answer.value, expected):
        problem = check_shaped(got, want, name, "NM", "the states of LSTM(M, return_state=True)")
        if problem:
            return problem
    return None


# --- tolerances -----------------------------------------------------------------------------------


def states_tolerance(answer: Answer, expected: tuple[np.ndarray, np.ndarray]) -> float:
    """The larger distance of h_T and c_T."""
    if answer.kind not in ("list", "tuple") or len(answer.value) != 2:
        return float("inf")
    return max(array_tolerance(got, want) for got, want in zip(answer.value, expected))


def gate_weights_tolerance(answer: Answer, expected: dict[str, tuple]) -> float:
    """The largest distance of the twelve arrays."""
    if answer.kind != "dict" or set(answer.value) != set(GATES):
        return float("inf")
    worst = 0.0
    for gate in GATES:
        item = answer.value[gate]
        if item.kind not in ("list", "tuple") or len(item.value) != 3:
            return float("inf")
        worst = max(worst, *(array_tolerance(got, want) for got, want in zip(item.value, expected[gate])))
    return worst
