"""Verdicts and diagnosis: decide a graded function from its calls' outcomes, and name the mistake.

Everything here runs in the judge, a process that never executes student code. The judge sends
each call's arguments to the student's kernel, receives the raw return values, and decides with
the assignment's judges; when a function fails, the assignment's catalogue of mistakes is run on
the same inputs, and the entry whose outcomes equal the student's is named in the feedback; when
none does, :mod:`structure` says what the answers show piece by piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from . import truths
from .compare import LOOSE_ATOL, LOOSE_RTOL, Answer, same_answer, shape_of, structure_of
from .encode import encode_value
from .spec import AssignmentSpec, Check, Mistake, Question
from .structure import describe


@dataclass
class Verdict:
    """The judge's decision on one graded function."""

    question: str
    passed: bool
    message: str


def outcome_problem(outcome: dict) -> Optional[str]:
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


def _entry_outcome(entry: Mistake, check: Check) -> dict:
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in check.local_args]
    try:
        value = entry.function(*args)
    except Exception as e:
        return {"kind": "raised", "detail": f"{type(e).__name__}: {str(e)[:200]}"}
    return encode_value(value)


def run_entry(entry: Mistake, check: Check) -> Answer:
    """Run a catalogue entry on a check's inputs and describe its outcome as the kernel would.

    For a check that ships its outcomes, the build ran the entry and the judge reads the result.
    """
    if check.ships_outcomes:
        inputs = ("outcome", entry.question, entry.id, truths.code_digest(entry.function), check.question, check.label, check.args)
        outcome = truths.lookup(inputs, lambda: _entry_outcome(entry, check))
    else:
        outcome = _entry_outcome(entry, check)
    if outcome.get("kind") == "raised":
        return raised(str(outcome.get("detail", "")))
    return Answer.decode(outcome)


def _outcomes_agree(mine: Answer, theirs: Answer, loose: bool) -> bool:
    if mine.kind == "raised" or theirs.kind == "raised":
        return mine.kind == theirs.kind and mine.type_name == theirs.type_name
    if loose:
        return same_answer(mine, theirs, LOOSE_RTOL, LOOSE_ATOL, same_dtype=True)
    return same_answer(mine, theirs)


def _has_arrays(structure) -> bool:
    if structure[0] == "ndarray":
        return True
    if structure[0] == "sequence":
        return any(_has_arrays(s) for s in structure[1])
    if structure[0] == "dict":
        return any(_has_arrays(s) for _, s in structure[1])
    return False


@dataclass
class Diagnosis:
    """The catalogued mistake that explains a student's answers, and how sure the match is."""

    mistake: Mistake
    by_shape: bool = False
    """True when only the shapes (and exceptions) agree: the values hide a second mistake"""

    def message(self) -> str:
        text = f"Likely mistake: {self.mistake.title}. Fix: {self.mistake.hint}."
        if self.by_shape:
            text += " (The shapes match this mistake but the values differ from it too: look for a second one.)"
        return text


def diagnosis(spec: AssignmentSpec, question: str, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Diagnosis]:
    """Find the catalogued mistake whose outcomes equal the student's on every answered check.

    Entries are tried in catalogue order, first on their values (an exception equals an exception
    of the same type), then the ``loose`` entries with their tolerance, then on the shapes alone
    for entries whose shape differs from the expected one. Where no wrong value shows the mistake
    (the student's code raised, or returned right values, on every check), an entry must raise
    the very same messages.

    Args:
        spec: the assignment, whose catalogue is searched.
        question: the graded function.
        checks: its hidden checks.
        answers: the student's answer of each check (``kind == "raised"`` for an exception),
            None where the call gave no answer (time or memory limit).
    """
    answered = [(c, a) for c, a in zip(checks, answers) if a is not None]
    if not answered:
        return None
    entries = spec.catalogue.for_question(question)
    outcomes = {entry.id: [run_entry(entry, c) for c, _ in answered] for entry in entries}
    only_raised = all(a.kind == "raised" for _, a in answered)
    # A wrong value that an entry gives too shows its mistake. Without one, the evidence is the
    # exceptions alone, and many mistakes raise the same type where shapes do not fit: they must
    # then be the very same exceptions, messages and all.
    graded = spec.question(question)
    wrong_value = any(a.kind != "raised" and graded.judge(a, c.expected) for c, a in answered)

    def agrees(entry: Mistake, loose: bool) -> bool:
        mine = outcomes[entry.id]
        if not all(_outcomes_agree(m, a, loose) for m, (_, a) in zip(mine, answered)):
            return False
        return wrong_value or all(m.kind != "raised" or m.value == a.value for m, (_, a) in zip(mine, answered))

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
            m.kind != "raised"
            and shape_of(m)[0] == structure_of(c.expected)[0]
            and _has_arrays(shape_of(m))
            and shape_of(m) != structure_of(c.expected)
            for m, (c, _) in zip(mine, answered)
        )
        if distinct and all(
            (m.kind == a.kind == "raised" and m.type_name == a.type_name)
            or (m.kind != "raised" and a.kind != "raised" and shape_of(m) == shape_of(a))
            for m, (_, a) in zip(mine, answered)
        ):
            return Diagnosis(entry, by_shape=True)
    return None


def diagnose(spec: AssignmentSpec, question: str, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Mistake]:
    """The catalogued mistake that explains the student's answers (see :func:`diagnosis`)."""
    found = diagnosis(spec, question, checks, answers)
    return found.mistake if found else None


def _shape_problem(question: Question, check: Check, answer: Optional[Answer]) -> bool:
    """Whether a failure is about the type or the shape (reported before wrong values)."""
    if answer is None or answer.kind == "raised" or question.tolerance is None:
        return True
    return shape_of(answer) != structure_of(check.expected)


def _naming_line(spec: AssignmentSpec, graded: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[str]:
    """The line that names the mistake (a catalogued one, else what the answers show), or None.

    The verdict is already decided: an answer no diagnosis foresaw (an int too large for a float, say)
    must cost the line at most, never the verdict.
    """
    try:
        found = diagnosis(spec, graded.name, checks, answers)
        if found:
            return found.message()
        shown = describe(graded, checks, answers)
        return shown.message() if shown else None
    except Exception:  # noqa: BLE001 - see the docstring
        return None


def judge(spec: AssignmentSpec, question: str, checks: list[Check], outcomes: list[dict], seed: int) -> Verdict:
    """Decide one graded function from the outcomes of its calls."""
    if len(outcomes) != len(checks):
        return Verdict(question, False, f"{question}: the grader received no answers for its checks.")
    graded = spec.question(question)
    failures, answers = [], []
    for check, outcome in zip(checks, outcomes):
        problem = outcome_problem(outcome)
        answer = None
        if problem is None:
            answer = Answer.decode(outcome.get("value"))
            problem = graded.judge(answer, check.expected)
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
    check, _, problem = min(failures, key=lambda f: not _shape_problem(graded, f[0], f[1]))
    lines = [
        f"{question}: {len(failures)} of {len(checks)} checks failed.",
        f"First failure ({check.label}): {problem}",
    ]
    named = _naming_line(spec, graded, checks, answers)
    if named:
        lines.append(named)
    lines.append(f"(hidden checks seed {seed})")
    return Verdict(question, False, "\n".join(lines))


def error_of(spec: AssignmentSpec, check: Check, answer: Answer) -> float:
    """How far an answer is from the expected one, in units of the tolerance rule.

    Above 1 the check fails. Infinite for an exception, a wrong type or a wrong shape; for the
    questions without a tolerance (counts, shapes, weights) 0 when the judge accepts the answer.
    """
    question = spec.question(check.question)
    if answer.kind == "raised":
        return float("inf")
    if question.tolerance is not None and shape_of(answer) == structure_of(check.expected):
        return question.tolerance(answer, check.expected)
    return 0.0 if question.judge(answer, check.expected) is None else float("inf")


def mistake_errors(spec: AssignmentSpec, checks: dict[str, list[Check]]) -> dict[str, list[float]]:
    """Each catalogue entry's error on each check of its question (see :func:`error_of`)."""
    return {
        entry.id: [error_of(spec, c, run_entry(entry, c)) for c in checks[entry.question]] for entry in spec.catalogue
    }
