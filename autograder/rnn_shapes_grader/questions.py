"""The hidden checks of each graded function: the calls to make and how to judge the answers.

Everything here runs in the judge, a process that never executes student code. The judge sends
each call's arguments to the student's kernel, receives the raw return values, and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from . import catalogue
from .cases import Case, make_case, make_cases
from .compare import Answer, arrays_agree, check_array

QUESTIONS = (
    "count_params",
    "weight_shapes",
    "extract_weights",
    "manual_forward",
    "batched_forward",
    "sequence_forward",
)
"""The graded functions, in the order of the notebook; each is one otter question."""

TITLES = {
    "count_params": "count_params matches model.count_params() for random T, D, M, K",
    "weight_shapes": "weight_shapes matches the shapes of model.get_weights() for random D, M, K",
    "extract_weights": "extract_weights returns (Wx, Wh, bh, Wo, bo) of random Keras models",
    "manual_forward": "manual_forward matches model.predict for one sample of random models",
    "batched_forward": "batched_forward matches model.predict for batches of random models",
    "sequence_forward": "sequence_forward matches SimpleRNN(return_sequences=True) -> Dense at every step",
}
"""One-line titles, read by students as the name of what was checked."""

RANDOM_CASES = 8
"""Random models per forward function (plus the edge cases with sizes of 1)."""


@dataclass
class Check:
    """One call of a student's function and the expected answer."""

    question: str
    label: str
    """what the feedback says about the case: its seed and sizes, never its values"""
    args: list[Any]
    """the arguments sent to the kernel; ``{"model": ...}`` asks it to build a Keras model"""
    expected: Any = field(repr=False)
    local_args: list[Any] = field(repr=False, default_factory=list)
    """the same arguments as the catalogue's functions take them in the judge"""


def model_spec(case: Case) -> dict:
    s = case.shape
    return {"model": {"T": s.T, "D": s.D, "M": s.M, "K": s.K, "weights": case.weights}}


def build_checks(seed: int) -> dict[str, list[Check]]:
    """All hidden checks, computed with real Keras models (the judge's expensive start-up)."""
    from . import reference

    cases = make_cases(seed, RANDOM_CASES)
    checks: dict[str, list[Check]] = {q: [] for q in QUESTIONS}
    for case in cases:
        s = case.shape
        last = reference.build_model(s.T, s.D, s.M, s.K, case.weights)
        every = reference.build_model(s.T, s.D, s.M, s.K, case.weights, return_sequences=True)
        y_last, y_every = reference.predict(last, case.X), reference.predict(every, case.X)
        params = case.weights
        n = s.N - 1
        checks["manual_forward"].append(
            Check("manual_forward", f"{case.label()} (sample {n})", [case.X[n], *params], y_last[n], [case.X[n], *params])
        )
        checks["batched_forward"].append(
            Check("batched_forward", case.label(), [case.X, *params], y_last, [case.X, *params])
        )
        checks["sequence_forward"].append(
            Check("sequence_forward", case.label(), [case.X, *params], y_every, [case.X, *params])
        )
        checks["extract_weights"].append(
            Check("extract_weights", case.label(), [model_spec(case)], [np.asarray(w, np.float64) for w in case.weights], [last])
        )
        shapes = [tuple(int(d) for d in w.shape) for w in last.get_weights()]
        checks["weight_shapes"].append(
            Check("weight_shapes", f"D={s.D}, M={s.M}, K={s.K}", [s.D, s.M, s.K], shapes, [s.D, s.M, s.K])
        )
        # T must not change the count: check each shape at two sequence lengths.
        for T in (s.T, s.T + 7):
            counted = reference.build_model(T, s.D, s.M, s.K) if T != s.T else last
            checks["count_params"].append(
                Check("count_params", f"T={T}, D={s.D}, M={s.M}, K={s.K}", [T, s.D, s.M, s.K], int(counted.count_params()), [T, s.D, s.M, s.K])
            )
    return checks


def _judge_count(answer: Answer, expected: int) -> Optional[str]:
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


def _judge_shapes(answer: Answer, expected: list[tuple]) -> Optional[str]:
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


def _judge_weights(answer: Answer, expected: list[np.ndarray]) -> Optional[str]:
    names = ["Wx", "Wh", "bh", "Wo", "bo"]
    if answer.kind not in ("list", "tuple") or len(answer.value) != 5:
        size = f"{len(answer.value)} items" if answer.kind in ("list", "tuple") else f"a {answer.type_name}"
        return f"extract_weights should return a tuple of 5 arrays (Wx, Wh, bh, Wo, bo), got {size}."
    for name, item, want in zip(names, answer.value, expected):
        problem = check_array(item, want, name)
        if problem:
            return problem
        if not np.allclose(item.value.astype(np.float64), want, rtol=0, atol=EXACT):
            return f"{name} has the right shape {want.shape} but is not the model's {name}."
    return None


JUDGES: dict[str, Callable[[Answer, Any], Optional[str]]] = {
    "count_params": _judge_count,
    "weight_shapes": _judge_shapes,
    "extract_weights": _judge_weights,
    "manual_forward": lambda answer, expected: check_array(answer, expected, "the output"),
    "batched_forward": lambda answer, expected: check_array(answer, expected, "the output"),
    "sequence_forward": lambda answer, expected: check_array(answer, expected, "the output"),
}


@dataclass
class Verdict:
    """The judge's decision on one graded function."""

    question: str
    passed: bool
    message: str


def _outcome_problem(outcome: dict) -> Optional[str]:
    """A call that did not return: not implemented, raised, timed out or ran out of memory."""
    status = outcome.get("status")
    if status == "returned":
        return None
    detail = str(outcome.get("detail", ""))[:300]
    if status == "missing":
        return "is not defined in the submission."
    if status == "not_implemented":
        return "is not implemented yet (it raises NotImplementedError)."
    if status == "timeout":
        return f"did not return within {detail} seconds: is there an endless loop?"
    if status == "memory":
        return f"ran out of memory (limit {detail}): does it build a huge array?"
    if status == "forbidden":
        return f"{detail}"
    if status == "exited":
        return f"stopped the process ({detail}) instead of returning."
    return f"raised {detail}"


def diagnose(question: str, checks: list[Check], answers: list[Any]) -> Optional[catalogue.Mistake]:
    """The catalogued mistake whose outputs equal the student's on every answered check."""
    answered = [(c, a) for c, a in zip(checks, answers) if a is not None]
    if not answered:
        return None
    for entry in catalogue.for_question(question):
        try:
            if all(arrays_agree(entry.function(*c.local_args), a.plain()) for c, a in answered):
                return entry
        except Exception:
            continue
    return None


def judge(question: str, checks: list[Check], outcomes: list[dict], seed: int) -> Verdict:
    """Decide one graded function from the outcomes of its calls."""
    if len(outcomes) != len(checks):
        return Verdict(question, False, f"{question}: the grader received no answers for its checks.")
    failures, answers = [], []
    for check, outcome in zip(checks, outcomes):
        problem = _outcome_problem(outcome)
        answer = None
        if problem is None:
            answer = Answer.decode(outcome.get("value"))
            problem = JUDGES[question](answer, check.expected)
            answers.append(answer)
        else:
            answers.append(None)
            problem = f"{question} {problem}"
            if outcome.get("status") in ("missing", "not_implemented"):
                return Verdict(question, False, problem)
        if problem:
            failures.append((check, problem))
    if not failures:
        return Verdict(question, True, f"{question}: all {len(checks)} checks passed.")
    check, problem = failures[0]
    lines = [
        f"{question}: {len(failures)} of {len(checks)} checks failed.",
        f"First failure ({check.label}): {problem}",
    ]
    found = diagnose(question, checks, answers)
    if found:
        lines.append(f"Likely mistake: {found.title}. Fix: {found.hint}.")
    lines.append(f"(hidden checks seed {seed})")
    return Verdict(question, False, "\n".join(lines))


def rebuild_case(seed: int):
    """Rebuild a failing case from the seed printed in its feedback (for instructors)."""
    return make_case(seed)
