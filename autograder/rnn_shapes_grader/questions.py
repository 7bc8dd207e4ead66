"""The hidden checks of each graded function: the calls to make and how to judge the answers.

Everything here runs in the judge, a process that never executes student code. The judge sends
each call's arguments to the student's kernel, receives the raw return values, and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from . import catalogue
from .cases import Case, make_cases
from .compare import LOOSE_ATOL, LOOSE_RTOL, Answer, check_array, same_answer, shape_of, tolerance_ratio

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

FORWARD_QUESTIONS = ("manual_forward", "batched_forward", "sequence_forward")

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


COUNT_EXTRA_T = 7
"""count_params is asked about each shape at T and at T + 7: the count must not change."""


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


def keras_truth(case: Case) -> Truth:
    """The truth from real Keras models: ``model.predict`` and ``model.count_params``."""
    from . import reference

    s = case.shape
    last = reference.build_model(s.T, s.D, s.M, s.K, case.weights)
    every = reference.build_model(s.T, s.D, s.M, s.K, case.weights, return_sequences=True)
    longer = reference.build_model(s.T + COUNT_EXTRA_T, s.D, s.M, s.K)
    return Truth(
        last=reference.predict(last, case.X),
        every=reference.predict(every, case.X),
        shapes=[tuple(int(d) for d in w.shape) for w in last.get_weights()],
        counts={s.T: int(last.count_params()), s.T + COUNT_EXTRA_T: int(longer.count_params())},
        model=last,
    )


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
    checks: dict[str, list[Check]] = {q: [] for q in QUESTIONS}
    for case in cases:
        s = case.shape
        known = truth(case)
        params = case.weights
        n = s.N - 1
        checks["manual_forward"].append(
            Check("manual_forward", f"{case.label()} (sample {n})", [case.X[n], *params], known.last[n], [case.X[n], *params])
        )
        checks["batched_forward"].append(
            Check("batched_forward", case.label(), [case.X, *params], known.last, [case.X, *params])
        )
        checks["sequence_forward"].append(
            Check("sequence_forward", case.label(), [case.X, *params], known.every, [case.X, *params])
        )
        checks["extract_weights"].append(
            Check("extract_weights", case.label(), [model_spec(case)], [np.asarray(w, np.float64) for w in case.weights], [known.model])
        )
        checks["weight_shapes"].append(
            Check("weight_shapes", f"D={s.D}, M={s.M}, K={s.K}", [s.D, s.M, s.K], known.shapes, [s.D, s.M, s.K])
        )
        # T must not change the count: check each shape at two sequence lengths.
        for T, count in known.counts.items():
            checks["count_params"].append(
                Check("count_params", f"T={T}, D={s.D}, M={s.M}, K={s.K}", [T, s.D, s.M, s.K], count, [T, s.D, s.M, s.K])
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


def raised(detail: str) -> Answer:
    """An exception as an answer, from the kernel's ``"Type: message"`` detail."""
    return Answer("raised", detail.split(":", 1)[0].strip(), detail)


def run_entry(entry: catalogue.Mistake, check: Check) -> Answer:
    """Run a catalogue entry on a check's inputs and describe its outcome as the kernel would."""
    from .kernel import encode_value

    args = [a.copy() if isinstance(a, np.ndarray) else a for a in check.local_args]
    try:
        value = entry.function(*args)
    except Exception as e:
        return raised(f"{type(e).__name__}: {str(e)[:200]}")
    return Answer.decode(encode_value(value))


def _outcomes_agree(mine: Answer, theirs: Answer, loose: bool) -> bool:
    if mine.kind == "raised" or theirs.kind == "raised":
        return mine.kind == theirs.kind and mine.type_name == theirs.type_name
    if loose:
        return same_answer(mine, theirs, LOOSE_RTOL, LOOSE_ATOL, same_dtype=True)
    return same_answer(mine, theirs)


@dataclass
class Diagnosis:
    """The catalogued mistake that explains a student's answers, and how sure the match is."""

    mistake: catalogue.Mistake
    by_shape: bool = False
    """True when only the shapes (and exceptions) agree: the values hide a second mistake"""

    def message(self) -> str:
        text = f"Likely mistake: {self.mistake.title}. Fix: {self.mistake.hint}."
        if self.by_shape:
            text += " (The shapes match this mistake but the values differ from it too: look for a second one.)"
        return text


def diagnosis(question: str, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Diagnosis]:
    """Find the catalogued mistake whose outcomes equal the student's on every answered check.

    Entries are tried in catalogue order, first on their values (an exception equals an exception
    of the same type), then the ``loose`` entries with their tolerance, then on the shapes alone
    for entries whose shape differs from the expected one. A student whose code raised on every
    check is matched only by an entry raising the very same messages.

    Args:
        question: the graded function.
        checks: its hidden checks.
        answers: the student's answer of each check (``kind == "raised"`` for an exception),
            None where the call gave no answer (time or memory limit).
    """
    answered = [(c, a) for c, a in zip(checks, answers) if a is not None]
    if not answered:
        return None
    entries = catalogue.for_question(question)
    outcomes = {entry.id: [run_entry(entry, c) for c, _ in answered] for entry in entries}
    only_raised = all(a.kind == "raised" for _, a in answered)

    def agrees(entry: catalogue.Mistake, loose: bool) -> bool:
        mine = outcomes[entry.id]
        if only_raised:
            return all(m.kind == "raised" and m.value == a.value for m, (_, a) in zip(mine, answered))
        return all(_outcomes_agree(m, a, loose) for m, (_, a) in zip(mine, answered))

    for entry in entries:
        if not entry.loose and agrees(entry, loose=False):
            return Diagnosis(entry)
    for entry in entries:
        if entry.loose and agrees(entry, loose=True):
            return Diagnosis(entry)
    if only_raised:
        return None
    for entry in entries:
        mine = outcomes[entry.id]
        distinct = any(
            m.kind == "ndarray" and np.shape(c.expected) != m.value.shape for m, (c, _) in zip(mine, answered)
        )
        if distinct and all(
            (m.kind == a.kind == "raised" and m.type_name == a.type_name)
            or (m.kind != "raised" and a.kind != "raised" and shape_of(m) == shape_of(a))
            for m, (_, a) in zip(mine, answered)
        ):
            return Diagnosis(entry, by_shape=True)
    return None


def diagnose(question: str, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[catalogue.Mistake]:
    """The catalogued mistake that explains the student's answers (see :func:`diagnosis`)."""
    found = diagnosis(question, checks, answers)
    return found.mistake if found else None


def _shape_problem(check: Check, answer: Optional[Answer]) -> bool:
    """Whether a failure is about the type or the shape (reported before wrong values)."""
    if answer is None or answer.kind == "raised" or check.question not in FORWARD_QUESTIONS:
        return True
    return not (answer.kind == "ndarray" and answer.value.shape == np.shape(check.expected))


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
        else:
            if outcome.get("status") in ("missing", "not_implemented"):
                return Verdict(question, False, f"{question} {problem}")
            if outcome.get("status") == "raised":
                answer = raised(str(outcome.get("detail", "")))
            problem = f"{question} {problem}"
        answers.append(answer)
        if problem:
            failures.append((check, answer, problem))
    if not failures:
        return Verdict(question, True, f"{question}: all {len(checks)} checks passed.")
    # Shapes first: a wrong shape or type says more than wrong values.
    check, _, problem = min(failures, key=lambda f: not _shape_problem(f[0], f[1]))
    lines = [
        f"{question}: {len(failures)} of {len(checks)} checks failed.",
        f"First failure ({check.label}): {problem}",
    ]
    found = diagnosis(question, checks, answers)
    if found:
        lines.append(found.message())
    lines.append(f"(hidden checks seed {seed})")
    return Verdict(question, False, "\n".join(lines))



def error_of(check: Check, answer: Answer) -> float:
    """How far an answer is from the expected one, in units of the tolerance rule.

    Above 1 the check fails. Infinite for an exception, a wrong type or a wrong shape; for the
    questions without a tolerance (counts, shapes, weights) 0 when the judge accepts the answer.
    """
    question = check.question
    passes = answer.kind != "raised" and JUDGES[question](answer, check.expected) is None
    if question in FORWARD_QUESTIONS and answer.kind == "ndarray" and answer.value.shape == np.shape(check.expected):
        return tolerance_ratio(answer.value, check.expected)
    return 0.0 if passes else float("inf")


def mistake_errors(checks: dict[str, list[Check]]) -> dict[str, list[float]]:
    """Each catalogue entry's error on each check of its question (see :func:`error_of`)."""
    return {
        entry.id: [error_of(c, run_entry(entry, c)) for c in checks[entry.question]] for entry in catalogue.CATALOGUE
    }
