"""The hidden checks of rnn_shapes: the calls to make, their true answers, and how to judge them.

Everything here runs in the judge, a process that never executes student code. The truths come
from real Keras models (:func:`keras_truth`), computed by the build for the default seed and
shipped in the zip, so that grading needs no TensorFlow in the judge; the fast tests pass a NumPy
truth instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from gradecore.judge.authoring import Answer, Check, asked_again, check_array, lookup_truth

from .cases import Case, make_cases

RANDOM_CASES = 8
"""Random models per forward function (plus the edge cases with sizes of 1)."""

COUNT_EXTRA_T = 7
"""count_params is asked about each shape at T and at T + 7: the count must not change."""

FORWARD = ("manual_forward", "batched_forward", "sequence_forward")


def model_spec(case: Case) -> dict:
    """The argument that makes the kernel build the case's Keras model (``keras_truth.BUILDERS``)."""
    s = case.shape
    return {"build": "model", "with": {"T": s.T, "D": s.D, "M": s.M, "K": s.K, "weights": case.weights}}


@dataclass
class Truth:
    """What a model of one case computes: the expected answers of every question."""

    last: np.ndarray
    """outputs of ``SimpleRNN(M) -> Dense(K)`` for the case's inputs, shape (N, K)"""
    every: np.ndarray
    """outputs of ``SimpleRNN(M, return_sequences=True) -> Dense(K)``, shape (N, T, K)"""
    shapes: list[tuple]
    """the shapes of ``model.get_weights()``"""
    counts: dict[int, int]
    """``model.count_params()`` for each sequence length asked about"""
    model: Any = None
    """the Keras model, passed to extract_weights' catalogue entries (None without Keras)"""


class KerasModel:
    """A case's Keras model, built on first use: the judge needs it only to run extract_weights'
    catalogue for a seed the build did not see (it ships their outcomes for the default seed)."""

    def __init__(self, case: Case):
        self._case = case
        self._model = None

    def __getattr__(self, name: str) -> Any:
        if self._model is None:
            from . import keras_truth as keras_side

            s = self._case.shape
            self._model = keras_side.build_model(s.T, s.D, s.M, s.K, self._case.weights)
        return getattr(self._model, name)


def _keras_answers(case: Case) -> dict:
    from . import keras_truth as keras_side

    s = case.shape
    last = keras_side.build_model(s.T, s.D, s.M, s.K, case.weights)
    every = keras_side.build_model(s.T, s.D, s.M, s.K, case.weights, return_sequences=True)
    longer = keras_side.build_model(s.T + COUNT_EXTRA_T, s.D, s.M, s.K)
    last_out, every_out = keras_side.predict_together([last, every], case.X)
    return {
        "last": last_out,
        "every": every_out,
        "shapes": [tuple(int(d) for d in w.shape) for w in last.get_weights()],
        "counts": {s.T: int(last.count_params()), s.T + COUNT_EXTRA_T: int(longer.count_params())},
    }


def keras_truth(case: Case) -> Truth:
    """The truth from real Keras models: ``model.predict`` and ``model.count_params``, shipped by
    the build for the default seed's cases (:func:`gradecore.judge.authoring.lookup_truth`)."""
    s = case.shape
    answers = lookup_truth(("rnn_shapes.keras_truth", COUNT_EXTRA_T, case), lambda: _keras_answers(case),
                            draft=lambda: {"last": np.zeros((s.N, s.K)), "every": np.zeros((s.N, s.T, s.K)),
                                           "shapes": [], "counts": {s.T: 0, s.T + COUNT_EXTRA_T: 0}})
    return Truth(**answers, model=KerasModel(case))


def build_checks(seed: int, truth: Callable[[Case], Truth] = keras_truth) -> dict[str, list[Check]]:
    """All hidden checks of the cases drawn from ``seed``.

    Args:
        seed: the base seed of the cases (printed in every failure).
        truth: computes the expected answers of a case; the judge uses real Keras models (its
            expensive start-up), the fast tests a NumPy reference.

    Returns:
        the checks of each question, in case order.
    """
    cases = make_cases(seed, RANDOM_CASES)
    checks: dict[str, list[Check]] = {
        q: [] for q in ("count_params", "weight_shapes", "extract_weights", *FORWARD)
    }
    for case in cases:
        s = case.shape
        known = truth(case)
        params = case.weights
        n = s.N - 1
        checks["manual_forward"].append(
            Check("manual_forward", f"{case.label()} (sample {n})", [case.X[n], *params], known.last[n], [case.X[n], *params],
                  sizes=s.sizes("TDMK"))
        )
        checks["batched_forward"].append(
            Check("batched_forward", case.label(), [case.X, *params], known.last, [case.X, *params], sizes=s.sizes())
        )
        checks["sequence_forward"].append(
            Check("sequence_forward", case.label(), [case.X, *params], known.every, [case.X, *params], sizes=s.sizes())
        )
        checks["extract_weights"].append(
            Check(
                "extract_weights", case.label(), [model_spec(case)], [np.asarray(w, np.float64) for w in case.weights],
                [known.model], ships_outcomes=True, sizes=s.sizes("DMK"),
            )
        )
        checks["weight_shapes"].append(
            Check("weight_shapes", f"D={s.D}, M={s.M}, K={s.K}", [s.D, s.M, s.K], known.shapes, [s.D, s.M, s.K],
                  sizes=s.sizes("DMK"))
        )
        # T must not change the count: check each shape at two sequence lengths.
        for T, count in known.counts.items():
            checks["count_params"].append(
                Check("count_params", f"T={T}, D={s.D}, M={s.M}, K={s.K}", [T, s.D, s.M, s.K], count, [T, s.D, s.M, s.K],
                      sizes=s.sizes("DMK") | {"T": T})
            )
    return checks | {q: asked_again(checks[q]) for q in FORWARD}


def count_problem(answer: Answer, expected: int) -> Optional[str]:
    if answer.kind == "bool" or answer.kind not in ("int", "float"):
        return f"count_params should return an int, got a {answer.type_name}."
    if answer.value != expected:
        return "count_params returned a different number of parameters than model.count_params()."
    return None


def _as_shape(answer: Answer) -> Optional[tuple]:
    if answer.kind not in ("list", "tuple"):
        return None
    dims = []
    for item in answer.value:
        if item.kind != "int":
            return None
        dims.append(item.value)
    return tuple(dims)


def shapes_problem(answer: Answer, expected: list[tuple]) -> Optional[str]:
    if answer.kind not in ("list", "tuple") or len(answer.value) != len(expected):
        size = f"{len(answer.value)} items" if answer.kind in ("list", "tuple") else f"a {answer.type_name}"
        return f"weight_shapes should return a list of {len(expected)} shape tuples, got {size}."
    for i, (item, want) in enumerate(zip(answer.value, expected)):
        got = _as_shape(item)
        if got is None:
            return f"item {i} of weight_shapes should be a tuple of ints such as {want}, got a {item.type_name}."
        if got != want:
            return f"item {i} of weight_shapes should be {want} for these sizes, got {got}."
    return None


EXACT = 1e-6
"""extract_weights returns Keras' own arrays: they must match the set weights exactly."""


def weights_problem(answer: Answer, expected: list[np.ndarray]) -> Optional[str]:
    names = ["Wx", "Wh", "bh", "Wo", "bo"]
    if answer.kind not in ("list", "tuple") or len(answer.value) != 5:
        size = f"{len(answer.value)} items" if answer.kind in ("list", "tuple") else f"a {answer.type_name}"
        return f"extract_weights should return a tuple of 5 arrays (Wx, Wh, bh, Wo, bo), got {size}."
    for name, item, want in zip(names, answer.value, expected):
        problem = check_array(item, want, name, truth="the model's weights")
        if problem:
            return problem
        if not np.allclose(item.value.astype(np.float64), want, rtol=0, atol=EXACT):
            return f"{name} has the right shape {want.shape} but is not the model's {name}."
    return None


def output_problem(answer: Answer, expected: np.ndarray) -> Optional[str]:
    return check_array(answer, expected, "the output")
