"""Structural diagnosis: what a wrong answer shows when no catalogued mistake explains it.

The student's answer is compared with the truth piece by piece (per sample, per step, per axis,
per size of a count, per item of a list), and what that shows is said in the student's terms:
"right for the first sample only", "right at the last step only", "off by the same vector
everywhere", "the right values as (N, T·K)", "items 1 and 2 swapped". Where nothing holds piece
by piece, which checks pass may: "right only on the checks where D = M". The assignment says what
each axis means (``Question.axes``, letters such as ``"NTK"``), which argument of a count question
is which size (``Question.sizes``) and each check's sizes (``Check.sizes``); the core names no
assignment.

Only structure is reported: shapes, axes, step indices and formulas in the size letters, never
a hidden value. Runs in the judge, on data only.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Optional

import numpy as np

from .compare import Answer, _close, same_answer
from .finding import Finding
from .spec import Check, Question
from .structure_arrays import _array_finding
from .structure_counts import _count_finding
from .structure_items import _item_findings, _shapes_finding

CALLED_AGAIN = ("it gives a different answer when it is called again with the same input: does it use randomness "
                "(a random initial state?) or keep something from one call to the next?")
"""What is said of a function whose answer changes from one call to the next on the same input (the hidden
checks ask a check again; the public checks call the function again when nothing else names the mistake)."""


def describe(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """What the student's wrong answers show, or None when nothing simple holds on every failing check.

    Args:
        question: the graded function, whose ``axes``, ``parts`` or ``sizes`` say what the pieces mean.
        checks: its hidden checks.
        answers: the student's answer of each check, None where the call gave no answer.
    """
    again = (_nondeterministic(checks, answers) or _same_inputs_apart(question, checks, answers) or _raised_finding(answers)
             or _default_finding(question, checks, answers))
    if again:
        return again
    return _by_kind(question, checks, answers) or _by_items(question, checks, answers) or _sizes_finding(question, checks, answers)



def _nondeterministic(checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """A check asked again (``Check.repeats``) that got another answer than the first time."""
    for check, answer in zip(checks, answers):
        first = answers[check.repeats] if check.repeats is not None else None
        if answer is not None and first is not None and not same_answer(answer, first):
            return Finding("nondeterministic", CALLED_AGAIN)
    return None


def _same_inputs_apart(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """A check whose samples all have the very same input at every step (``X[n, t]`` one vector), answered
    with samples that differ: from h = 0, every sample's right answer is the same, so something that is not
    the input set them apart (a random initial state, drawn with a fixed seed too, or a state carried over
    from another sample). Not where the answer is the right values rearranged: an answer with a time axis
    whose steps a layout mixed across the samples (a reshape where a transpose belongs) differs between
    them too, and that finding says it."""
    if not question.axes.startswith("N"):
        return None
    for check, answer in zip(checks, answers):
        X = check.args[0] if check.args else None
        if answer is None or answer.kind != "ndarray" or not isinstance(X, np.ndarray) or X.ndim < 3 or len(X) < 2:
            continue
        if not np.array_equal(X, np.broadcast_to(X[:1, :1], X.shape)):
            continue
        got = answer.value
        want = np.asarray(check.expected)
        if got.shape != want.shape or got.dtype.kind not in "fiu" or not np.all(np.isfinite(got)):
            continue
        got = got.astype(np.float64)
        if _close(np.sort(got, axis=None), np.sort(want.astype(np.float64), axis=None)):
            continue  # the right values, in other places
        if not all(_close(row, got[0]) for row in got[1:]):
            return Finding("random_initial_state", "samples given the very same input (one vector at every step, "
                           "for every sample) get different answers: every sample should start from h = 0. Is the "
                           "initial state random (even with a fixed seed), or carried over from another sample?")
    return None


def _failing_arrays(checks: list[Check], answers: list[Optional[Answer]], expected: list) -> list[tuple[Check, np.ndarray]]:
    """The checks whose answer is a finite numeric array that is not the expected one, with that array."""
    failing = []
    for check, answer, want in zip(checks, answers, expected):
        if answer is None or answer.kind != "ndarray" or not isinstance(want, np.ndarray):
            continue
        got = answer.value
        if got.dtype.kind not in "fiu" or not np.all(np.isfinite(got)):
            continue
        got = got.astype(np.float64)
        if not _close(got, np.asarray(want, np.float64)):
            failing.append((replace(check, expected=want), got))
    return failing


def _parts_finding(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """Each array of a tuple answer looked at on its own: what the wrong ones show, and which are right."""
    count = len(question.parts)
    whole = [
        (c, a) for c, a in zip(checks, answers)
        if a is not None and a.kind in ("list", "tuple") and len(a.value) == count and len(c.expected) == count
    ]
    if not whole:
        return None
    found, right = [], []
    for k, name in enumerate(question.parts):
        failing = _failing_arrays([c for c, _ in whole], [a.value[k] for _, a in whole], [c.expected[k] for c, _ in whole])
        shown = _array_finding(question, failing) if failing else None
        if shown:
            found.append((name, shown))
        elif not failing and all(a.value[k].kind == "ndarray" for _, a in whole):
            right.append(name)
    if not found:
        return None
    ids = sorted({f.id for _, f in found})
    shown: dict[str, list[str]] = {}
    for name, f in found:
        shown.setdefault(f.text, []).append(name)
    texts = [f"{_joined(names)}: {text}" for text, names in shown.items()]
    if right:
        texts.append(f"{_joined(right)} {'is' if len(right) == 1 else 'are'} right")
    return Finding("+".join(ids), "; ".join(texts))


def _joined(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- which checks pass ----------------------------------------------------------------------------


def _passes(question: Question, check: Check, answer: Answer) -> bool:
    """Whether an answer (not None) earns the check: it returned, and the question's judge accepts it."""
    return answer.kind != "raised" and question.problem_with(answer, check.expected) is None


def _sizes_finding(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """The checks that pass are exactly those where two sizes are equal, or a size is 1 (or the ones that fail are).

    A check whose sizes are all 1 is left out: every condition holds there. A condition is named only when
    no union of other conditions holds on the same checks (on few checks, "K = 1" can be "D = 1 or M = 1").
    """
    rows = [
        (c.sizes, _passes(question, c, a))
        for c, a in zip(checks, answers)
        if a is not None and c.sizes and set(c.sizes.values()) != {1}
    ]
    passed = [p for _, p in rows]
    if all(passed) or not any(passed) or len(passed) < 3:
        return None
    letters = [a for a in rows[0][0] if all(a in s for s, _ in rows)]
    conditions = [(f"{a} = {b}", lambda s, a=a, b=b: s[a] == s[b]) for a, b in itertools.combinations(letters, 2)]
    conditions += [(f"{a} = 1", lambda s, a=a: s[a] == 1) for a in letters]
    holds = {text: [test(s) for s, _ in rows] for text, test in conditions}
    matches = []
    for text, where in holds.items():
        if where == passed:
            matches.append(("right", text))
        elif [not w for w in where] == passed:
            matches.append(("wrong", text))
    if len(matches) != 1:
        # none, or conditions that hold on the very same checks: these checks cannot tell which, and naming
        # them all sends the student after a mix-up of sizes that is not there (round 13's (1 - f)·c, right
        # where T = 1, read "right only on the checks where N = K or T = M or T = 1"): say nothing
        return None
    side = matches[0][0]
    target = holds[matches[0][1]]
    named = {text for _, text in matches}
    inside = [where for text, where in holds.items() if text not in named and any(where)
              and all(t or not w for t, w in zip(target, where))]
    if inside and [any(column) for column in zip(*inside)] == target:
        return None
    text = matches[0][1]
    a, b = text.split(" = ")
    if side == "right" and b != "1":
        return Finding("right_where_sizes_equal", f"right only on the checks where {text}: is a size taken from the wrong "
                       f"argument or axis ({a} where {b} belongs, or {b} where {a} belongs)?")
    if side == "right":
        return Finding("right_where_size_one", f"right only on the checks where {text}: what changes when {a} is more than 1?")
    if b == "1":
        return Finding("wrong_where_size_one", f"wrong only on the checks where {text}: does an axis of size 1 get lost "
                       "(np.squeeze, or indexing that drops it)?")
    return Finding("wrong_where_sizes_equal", f"wrong only on the checks where {text}")


NOT_AN_INTEGER = ("slice indices must be integers", "object cannot be interpreted as an integer", "only integers, slices")
"""What Python and NumPy say when something that is not an integer (a float, a tuple, None) is used as a size or
an index."""


def _raised_finding(answers: list[Optional[Answer]]) -> Optional[Finding]:
    """Every call raised the same type of exception, each saying that a size or an index is not an integer."""
    if not answers or any(a is None or a.kind != "raised" for a in answers) or len({a.type_name for a in answers}) != 1:
        return None
    if all(any(text in str(a.value) for text in NOT_AN_INTEGER) for a in answers):
        # the class's name is the submission's to choose: only Python's own are repeated
        kind = answers[0].type_name if answers[0].type_name in ("TypeError", "IndexError", "ValueError") else "an exception"
        return Finding("size_not_int", f"every call raised {kind}, which says that a size or an index is "
                       "not an integer: a float from / where // (or int(...)) is needed, or a whole shape tuple where one "
                       "of its numbers was meant?")
    return None


def _default_finding(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """The calls that fail are exactly those that leave the last argument(s) out: the parameter's default is wrong
    (or missing)."""
    if len({len(c.args) for c in checks}) < 2:
        return None
    rows = [(len(c.args), _passes(question, c, a))
            for c, a in zip(checks, answers) if a is not None]
    failing = [n for n, passed in rows if not passed]
    passing = [n for n, passed in rows if passed]
    if not failing or not passing or max(failing) >= min(passing):
        return None
    return Finding("wrong_default", "it fails only on the calls that leave its last argument out, and passes on every "
                   "call that gives it: does that parameter have a default, and is it the one the question asks for?")


def _by_items(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    failing = [
        i for i, (c, a) in enumerate(zip(checks, answers))
        if a is not None and not _passes(question, c, a)
    ]
    if not failing:
        return None
    return _item_findings(checks, answers, failing) or _shapes_finding(checks, answers, failing)


def _by_kind(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """What the answers show in the terms the question gives: its parts, its axes or its sizes."""
    if question.parts:
        return _parts_finding(question, checks, answers)
    if question.axes:
        failing = _failing_arrays(checks, answers, [c.expected for c in checks])
        return _array_finding(question, failing) if failing else None
    if question.sizes:
        counts = [
            (check, float(answer.value))
            for check, answer in zip(checks, answers)
            if answer is not None and answer.kind in ("int", "float")
        ]
        if not counts:
            return None
        if len(counts) == len(checks) and len({got for _, got in counts}) == 1 and len({c.expected for c, _ in counts}) > 1:
            return Finding("count_constant", "it returns the same count for every size tried: "
                           "is the number written in instead of computed from the sizes?")
        failing = [(check, got) for check, got in counts if got != check.expected]
        return _count_finding(question, failing, some_pass=len(failing) < len(checks)) if failing else None
    return None
