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
from dataclasses import dataclass, replace
from typing import Callable, Optional

import numpy as np

from .compare import ATOL, RTOL, Answer, same_answer
from .spec import Check, Question


@dataclass(frozen=True)
class Finding:
    """One structural fact about a wrong answer, true on every failing check that can show it."""

    id: str
    """short identifier, for tests and benchmarks"""
    text: str
    """what it shows, in the student's terms"""

    def message(self) -> str:
        end = "" if self.text.endswith("?") else "."
        return f"What the hidden checks show: {self.text}{end}"


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _letters(axes: str, index: int) -> str:
    return axes[index] if 0 <= index < len(axes) else "?"


# --- arrays ---------------------------------------------------------------------------------------
# Each test looks at one failing check: True (it shows the fact), False (it contradicts it) or None
# (it cannot tell, e.g. a single sample). A fact is reported when no check contradicts it and at
# least one shows it.

Test = Callable[[np.ndarray, np.ndarray, str], Optional[bool]]


def _axes_order(got, want, axes):
    if got.ndim != want.ndim or got.ndim < 2 or sorted(got.shape) != sorted(want.shape) or got.shape == want.shape:
        return None if got.shape == want.shape else False
    return any(_close(np.transpose(got, p), want) for p in itertools.permutations(range(got.ndim)))


def _extra_ones(got, want, axes):
    if got.shape == want.shape or got.size != want.size:
        return None if got.shape == want.shape else False
    return _close(got.reshape(want.shape), want) and np.squeeze(got).shape == np.squeeze(want).shape


def _every_step(got, want, axes):
    """An extra axis whose last index is the answer: every step returned instead of the last."""
    if got.ndim != want.ndim + 1:
        return None if got.shape == want.shape else False
    for k in range(got.ndim):
        if np.delete(np.array(got.shape), k).tolist() == list(want.shape) and _close(np.take(got, -1, axis=k), want):
            return True
    return False


def _last_step_of(got, want, axes):
    """The answer lacks the step axis and equals its last step."""
    t = axes.find("T")
    if t < 0 or got.ndim != want.ndim - 1:
        return None if got.shape == want.shape else False
    return _close(got, np.take(want, -1, axis=t))


def _one_sample_of(got, want, axes):
    """The answer is one sample's answer (the first or the last), without the sample axis or with it of size 1."""
    n = axes.find("N")
    if n < 0:
        return None
    if got.ndim == want.ndim - 1:
        samples = [np.take(want, 0, axis=n), np.take(want, -1, axis=n)]
    elif got.ndim == want.ndim and got.shape[n] == 1 and want.shape[n] > 1:
        samples = [np.take(want, [0], axis=n), np.take(want, [-1], axis=n)]
    else:
        return None if got.shape == want.shape else False
    return any(_close(got, sample) for sample in samples)


def _same_values(got: np.ndarray, want: np.ndarray) -> bool:
    """Whether two arrays hold the same values, wherever they are (sorting keeps the tolerance)."""
    return got.size == want.size and _close(np.sort(got, axis=None), np.sort(want, axis=None))


def _rearranged(got, want, axes):
    """Exactly the expected values, in another arrangement (a reshape for a transpose, a concatenate for a stack)."""
    if got.size != want.size:
        return False
    if want.size < 2:
        return None
    return _same_values(got, want) and not _close(got, want)


def _step_dropped(which: int) -> Test:
    def test(got, want, axes):
        t = axes.find("T")
        if t < 0 or got.ndim != want.ndim:
            return None if got.shape == want.shape else False
        if got.shape == want.shape:
            return None
        if np.delete(np.array(got.shape), t).tolist() != np.delete(np.array(want.shape), t).tolist():
            return False
        if got.shape[t] != want.shape[t] - 1:
            return False
        kept = np.delete(want, which, axis=t)
        return _close(got, kept)

    return test


def _same_shape(test: Test) -> Test:
    def wrapped(got, want, axes):
        if got.shape != want.shape:
            return False
        return test(got, want, axes)

    return wrapped


@_same_shape
def _first_sample_only(got, want, axes):
    n = axes.find("N")
    if n < 0 or want.shape[n] < 2:
        return None
    return _close(np.take(got, 0, axis=n), np.take(want, 0, axis=n))


@_same_shape
def _reversed_time(got, want, axes):
    t = axes.find("T")
    if t < 0 or want.shape[t] < 2:
        return None
    return _close(np.flip(got, axis=t), want)


@_same_shape
def _last_step_only(got, want, axes):
    t = axes.find("T")
    if t < 0 or want.shape[t] < 2:
        return None
    return _close(np.take(got, -1, axis=t), np.take(want, -1, axis=t))


def _first_wrong_step(got, want, axes) -> Optional[int]:
    t = axes.find("T")
    if t < 0 or got.shape != want.shape or want.shape[t] < 2:
        return None
    for step in range(want.shape[t]):
        if not _close(np.take(got, step, axis=t), np.take(want, step, axis=t)):
            return step
    return None


@_same_shape
def _first_step_only(got, want, axes):
    step = _first_wrong_step(got, want, axes)
    return None if step is None else step == 1


@_same_shape
def _drifts(got, want, axes):
    step = _first_wrong_step(got, want, axes)
    return None if step is None else step >= 2


@_same_shape
def _one_step_early(got, want, axes):
    t = axes.find("T")
    if t < 0 or want.shape[t] < 2:
        return None
    T = want.shape[t]
    return _close(np.take(got, range(1, T), axis=t), np.take(want, range(T - 1), axis=t))


@_same_shape
def _constant_offset(got, want, axes):
    if want.ndim < 2:
        return None
    lead = tuple(range(want.ndim - 1))
    if int(np.prod(want.shape[:-1])) < 2:
        return None
    diff = got - want
    mean = diff.mean(axis=lead, keepdims=True)
    return bool(np.allclose(diff, np.broadcast_to(mean, diff.shape), rtol=0, atol=ATOL * 10))


@_same_shape
def _scaled(got, want, axes):
    norm = float(np.sum(want * want))
    if norm == 0 or want.size < 2:
        return None
    factor = float(np.sum(got * want)) / norm
    return abs(factor - 1) > 1e-3 and _close(got, factor * want)


@_same_shape
def _units_permuted(got, want, axes):
    """The last axis holds the right values in another order (units or gates swapped)."""
    if want.shape[-1] < 2:
        return None
    flat_got = got.reshape(-1, want.shape[-1])
    flat_want = want.reshape(-1, want.shape[-1])
    order = []
    for j in range(want.shape[-1]):
        match = [k for k in range(want.shape[-1]) if _close(flat_got[:, j], flat_want[:, k])]
        if not match:
            return False
        order.append(match[0])
    return order != list(range(want.shape[-1]))


def _array_findings(axes: str) -> list[tuple[str, Test, str]]:
    named = {"N": "sample", "T": "step"}
    lead = " and ".join(named[a] for a in axes[:-1] if a in named) or "case"
    return [
        ("axes_order", _axes_order, "right values, wrong order of axes: the answer should be ({axes})"),
        ("extra_axis_of_one", _extra_ones, "right values with an extra axis of size 1: return shape ({axes})"),
        ("every_step", _every_step,
         "its last step is the expected answer: it returns every step (an extra axis) instead of the last one only"),
        ("last_step_of_sequence", _last_step_of, "it equals the last step only: the answer should have every step, ({axes})"),
        ("first_step_missing", _step_dropped(0), "right values with the first step missing: every step 0 ... T-1 is needed"),
        ("last_step_missing", _step_dropped(-1), "right values with the last step missing: every step 0 ... T-1 is needed"),
        ("first_sample_only", _first_sample_only,
         "right for the first sample only, wrong for the others: does something carry over from one sample to the next?"),
        ("reversed_time", _reversed_time, "right values in reversed time order: the steps run backwards"),
        ("last_step_only", _last_step_only,
         "right at the last step only: the earlier steps differ (are the outputs of every step kept as they are computed?)"),
        ("one_step_early", _one_step_early,
         "each step's answer is the truth of the step before it: the outputs are one step late"),
        ("first_step_only", _first_step_only,
         "right at the first step only, then wrong: what carries from one step to the next (the recurrent term or the state) is off"),
        ("drifts", _drifts, "right for the first steps, then drifts from step {step} on (first failing check)"),
        ("constant_offset", _constant_offset,
         "off by the same vector for every " + lead + ": a bias is missing, doubled or of the wrong shape?"),
        ("scaled", _scaled, "proportional to the expected answer: off by a constant factor"),
        ("units_permuted", _units_permuted, "right values in the wrong order along the last axis ({last})"),
        ("one_sample_only", _one_sample_of, "it equals the answer of one sample only: the answer should hold every sample, ({axes})"),
        ("values_rearranged", _rearranged, "{layout}"),
    ]


WITHOUT_AXES = {
    "axes_order": "right values, wrong order of axes: it is transposed (its axes should be the other way round)",
    "extra_axis_of_one": "right values with an extra axis of size 1: return the expected shape",
}
"""What is said where the question names no axes (an array of a weight's shape, say), instead of
a shape written in the axes' letters."""


def _array_finding(question: Question, failing: list[tuple[Check, np.ndarray]]) -> Optional[Finding]:
    axes = question.axes
    for id, test, text in _array_findings(axes):
        results = [test(got, np.asarray(check.expected, dtype=np.float64), axes) for check, got in failing]
        if any(r is False for r in results) or not any(results):
            continue
        step = next(
            (s for check, got in failing if (s := _first_wrong_step(got, np.asarray(check.expected, np.float64), axes))),
            None,
        )
        layout = _layout_text(axes, failing) if id == "values_rearranged" else ""
        if not axes and id in WITHOUT_AXES:
            return Finding(id, WITHOUT_AXES[id])
        return Finding(id, text.format(axes=", ".join(axes), step=step, last=_letters(axes, len(axes) - 1), layout=layout))
    return None


def _shape_in_letters(axes: str, failing: list[tuple[Check, np.ndarray]]) -> Optional[str]:
    """The student's shape written as products of the expected axes' letters, the same on every check."""
    got_ndim = failing[0][1].ndim
    if any(got.ndim != got_ndim for _, got in failing):
        return None

    def size(letters: tuple[int, ...], want_shape: tuple) -> int:
        return int(np.prod([want_shape[i] for i in letters]))

    def cover(dim: int, left: tuple[int, ...]) -> Optional[list[tuple[int, ...]]]:
        if dim == got_ndim:
            return [] if not left else None
        for width in range(1, len(left) + 1):
            for group in itertools.combinations(left, width):
                if all(size(group, c.expected.shape) == got.shape[dim] for c, got in failing):
                    rest = cover(dim + 1, tuple(i for i in left if i not in group))
                    if rest is not None:
                        return [group, *rest]
        return None

    groups = cover(0, tuple(range(len(axes))))
    if groups is None:
        return None
    return "(" + ", ".join("·".join(_letters(axes, i) for i in group) for group in groups) + ("," if len(groups) == 1 else "") + ")"


def _layout_text(axes: str, failing: list[tuple[Check, np.ndarray]]) -> str:
    expected = f"({', '.join(axes)})"
    if all(got.shape == c.expected.shape for c, got in failing):
        return (f"right values in the wrong places: the answer has the expected shape {expected} and exactly the expected "
                "values, but they are moved between samples, steps or units (a reshape where a transpose or "
                "np.stack(..., axis=...) was needed?)")
    shape = _shape_in_letters(axes, failing) or "another shape"
    return (f"right values in the wrong layout: the answer holds exactly the expected values, but as {shape} "
            f"instead of {expected} (np.concatenate or a reshape where np.stack or a transpose was needed?)")


# --- counts ---------------------------------------------------------------------------------------


def _terms(sizes: str) -> list[str]:
    letters = [s for s in sizes if s.isalpha()]
    return letters + [f"{a}·{b}" for a, b in itertools.combinations_with_replacement(letters, 2)]


def _value(term: str, values: dict[str, int]) -> int:
    result = 1
    for letter in term.split("·"):
        result *= values[letter]
    return result


def _formula(coefficients: tuple[int, ...], terms: tuple[str, ...]) -> str:
    parts = []
    for c, term in sorted(zip(coefficients, terms), key=lambda ct: ct[0] < 0):
        sign = "−" if c < 0 else "+"
        amount = term if abs(c) == 1 else f"{abs(c)}·{term}"
        parts.append((sign, amount))
    text = " ".join(f"{s} {a}" for s, a in parts)
    return text[2:] if text.startswith("+ ") else "−" + text[2:]


def _fits(terms: list[str], rows: list[tuple[dict[str, int], float]], width: int) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Every formula of ``width`` terms, small whole coefficients, that gives each row's difference."""
    fits = []
    for chosen in itertools.combinations(terms, width):
        for coefficients in itertools.product([c for c in range(-4, 5) if c], repeat=width):
            if all(sum(c * _value(t, v) for c, t in zip(coefficients, chosen)) == d for v, d in rows):
                fits.append((coefficients, chosen))
    return fits


def _per_step_finding(terms: list[str], rows: list[tuple[dict[str, int], float]]) -> Optional[Finding]:
    """The difference as (T − 1) times a formula without T: a part counted at every step instead of once."""
    if not all("T" in v for v, _ in rows) or len({v["T"] for v, _ in rows}) < 2 or any(v["T"] == 1 for v, _ in rows):
        return None
    per_step = [(v, d / (v["T"] - 1)) for v, d in rows]
    if any(q != int(q) for _, q in per_step):
        return None
    for width in (1, 2):
        fits = _fits([t for t in terms if "T" not in t], per_step, width)
        if len(fits) == 1:
            formula = _formula(*fits[0])
            text = f"the count changes with T: it is off by (T − 1)·({formula})"
            if all(q > 0 for _, q in per_step):
                text += f", as if {formula} were counted once per time step instead of once"
            return Finding("count_with_T", text)
        if fits:
            return None
    return None


def _count_finding(question: Question, failing: list[tuple[Check, float]], some_pass: bool = False) -> Optional[Finding]:
    """The difference from the truth as one or two terms in the size letters, the same formula on every failing
    check; or, where T is a size, as (T − 1) times such a formula. ``some_pass``: other checks of the question
    pass, so the formula holds on the failing ones only."""
    where = "on every check that fails" if some_pass else "for every size tried"
    letters = question.sizes
    rows = []
    for check, got in failing:
        values = {s: int(v) for s, v in zip(letters, check.local_args) if s.isalpha() and isinstance(v, (int, np.integer))}
        rows.append((values, got - float(check.expected)))
    terms = [t for t in _terms(letters) if all(all(x in v for x in t.split("·")) for v, _ in rows)]
    if len(rows) < 3:
        return None
    for width in (1, 2):
        fits = _fits(terms, rows, width)
        if len(fits) == 1:
            coefficients, chosen = fits[0]
            formula = _formula(coefficients, chosen)
            if "T" in "".join(chosen):
                return Finding("count_with_T", f"the count changes with T: it is off by {formula}")
            if all(d > 0 for _, d in rows):
                return Finding("count_off", f"the count is {formula} too many {where}: a term counted too often?")
            if all(d < 0 for _, d in rows):
                negated = _formula(tuple(-c for c in coefficients), chosen)
                return Finding("count_off", f"the count is {negated} too few {where}: a term missing?")
            return Finding("count_off", f"the count is off by {formula} (yours minus the truth) {where}")
        if fits:
            return None
    return _per_step_finding(terms, rows) or _changes_with_T(rows)


def _changes_with_T(rows: list[tuple[dict[str, int], float]]) -> Optional[Finding]:
    """Two checks with the same sizes but T give two counts (whatever the formula of the difference)."""
    for (a, da), (b, db) in itertools.combinations(rows, 2):
        if "T" in a and a["T"] != b.get("T") and {k: v for k, v in a.items() if k != "T"} == {
            k: v for k, v in b.items() if k != "T"
        } and da != db:
            others = ", ".join(k for k in a if k != "T")
            return Finding("count_with_T", f"the count changes with T: the same {others} at two sequence lengths give "
                           "two counts, but every step uses the same weights")
    return None


def _nondeterministic(checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """A check asked again (``Check.repeats``) that got another answer than the first time."""
    for check, answer in zip(checks, answers):
        first = answers[check.repeats] if check.repeats is not None else None
        if answer is not None and first is not None and not same_answer(answer, first):
            return Finding("nondeterministic", "it gives a different answer when it is called again with the same input: "
                           "does it use randomness (a random initial state?) or keep something from one call to the next?")
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


# --- sequences of items ---------------------------------------------------------------------------


def _equal(answer: Answer, expected) -> bool:
    """Whether an answer equals an expected value (arrays within the tolerance, shapes as tuples of ints)."""
    if isinstance(expected, np.ndarray):
        return (answer.kind == "ndarray" and answer.value.shape == expected.shape and answer.value.dtype.kind in "fiu"
                and _close(answer.value.astype(np.float64), np.asarray(expected, np.float64)))
    if isinstance(expected, (list, tuple)):
        return answer.kind in ("list", "tuple") and len(answer.value) == len(expected) and all(
            _equal(a, e) for a, e in zip(answer.value, expected))
    if isinstance(expected, dict):
        return answer.kind == "dict" and answer.value.keys() == expected.keys() and all(
            _equal(answer.value[k], expected[k]) for k in expected)
    if isinstance(expected, (bool, np.bool_)):
        return answer.kind == "bool" and answer.value == expected
    if isinstance(expected, (int, np.integer)):
        return answer.kind == "int" and answer.value == expected
    if isinstance(expected, (float, np.floating)):
        try:
            return answer.kind in ("int", "float") and abs(float(answer.value) - expected) <= ATOL + RTOL * abs(expected)
        except OverflowError:
            return False
    return False


def _alike(x, y) -> bool:
    """Whether two expected values are the same (arrays within the tolerance)."""
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return np.shape(x) == np.shape(y) and _close(np.asarray(x, np.float64), np.asarray(y, np.float64))
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_alike(a, b) for a, b in zip(x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_alike(x[k], y[k]) for k in x)
    return type(x) is type(y) and x == y


def _items(answer: Answer, expected) -> Optional[tuple[list[Answer], list, list[str]]]:
    """An answer and its expected value as lists of items, with each item's name (its index or its key)."""
    if isinstance(expected, (list, tuple)) and answer.kind in ("list", "tuple"):
        return list(answer.value), list(expected), [str(i) for i in range(len(expected))]
    if isinstance(expected, dict) and answer.kind == "dict" and answer.value.keys() == expected.keys():
        keys = list(expected)
        return [answer.value[k] for k in keys], [expected[k] for k in keys], [repr(k) for k in keys]
    return None


def _order_text(order: tuple[int, ...], names: list[str], what: str) -> str:
    moved = [i for i, j in enumerate(order) if i != j]
    if len(moved) == 2:
        a, b = (names[i] for i in moved)
        return f"the right {what} in the wrong order: {a} and {b} are swapped"
    where = ", ".join(f"{names[i]} holds what belongs in {names[j]}" for i, j in enumerate(order) if i != j)
    return f"the right {what} in the wrong order: {where}"


def _item_findings(checks: list[Check], answers: list[Optional[Answer]], failing: list[int]) -> Optional[Finding]:
    """The items of a list, tuple or dict answer: reordered, one too many or one missing; or, for a dict of
    sequences, the same reordering inside every value."""
    pairs = [_items(answers[i], checks[i].expected) for i in failing]
    if not pairs or any(p is None for p in pairs):
        return None
    names = pairs[0][2]
    kind = "items" if names[0] == "0" else "values of the keys"
    label = (lambda i: f"item {i}") if names[0] == "0" else (lambda k: f"the value of {k}")

    counts = {(len(got), len(want)) for got, want, _ in pairs}
    if len(counts) == 1:
        (n_got, n_want), = counts
        if n_got == n_want and 1 < n_want <= 6:
            orders = [
                p for p in itertools.permutations(range(n_want))
                if p != tuple(range(n_want)) and all(all(_equal(got[i], want[p[i]]) for i in range(n_want)) for got, want, _ in pairs)
            ]
            if len(orders) == 1:
                return Finding("items_reordered", _order_text(orders[0], [label(n) for n in names], kind))
        if n_got == n_want + 1 and names[0] == "0":
            extra = [k for k in range(n_got) if all(all(_equal(a, w) for a, w in zip(got[:k] + got[k + 1:], want)) for got, want, _ in pairs)]
            # a repeated item can be dropped at either place: the same answer
            if extra and all(all(same_answer(got[k], got[extra[0]]) for k in extra) for got, _, _ in pairs):
                return Finding("item_extra", f"one item too many: without item {extra[0]} the answer would be right")
        if n_got == n_want - 1 and names[0] == "0":
            gone = [k for k in range(n_want) if all(all(_equal(a, w) for a, w in zip(got, want[:k] + want[k + 1:])) for got, want, _ in pairs)]
            if gone and all(all(_alike(want[k], want[gone[0]]) for k in gone) for _, want, _ in pairs):
                return Finding("item_missing", f"one item is missing: the answer has the others, in order, but not "
                               f"the expected item {gone[0]}")
    # a dict (or list) whose values are sequences, each reordered the same way
    inner = None
    for got, want, _ in pairs:
        if len(got) != len(want):
            return None
        for a, w in zip(got, want):
            if (not isinstance(w, (list, tuple)) or a.kind not in ("list", "tuple") or len(a.value) != len(w)
                    or not 1 < len(w) <= 6 or not all(isinstance(x, np.ndarray) for x in w) or _equal(a, w)):
                return None
            orders = {p for p in itertools.permutations(range(len(w))) if all(_equal(a.value[i], w[p[i]]) for i in range(len(w)))}
            inner = orders if inner is None else inner & orders
            if not inner:
                return None
    if inner is not None and len(inner) == 1:
        order = next(iter(inner))
        return Finding("inner_reordered", _order_text(order, [f"item {i}" for i in range(len(order))], "arrays") +
                       f" inside each of the {kind.split()[0]}")
    return None


def _letters_of(values: list[int], sizes_per_check: list[dict[str, int]]) -> list[str]:
    """The size letters equal to the value of every check (one value per check)."""
    return [a for a in sizes_per_check[0] if all(s.get(a) == v for s, v in zip(sizes_per_check, values))]


def _shape_letters(dims, sizes_per_check: list[dict[str, int]]) -> Optional[str]:
    """A tuple of ints (the same position in every check's answer) written in size letters, or None."""
    text = []
    for k in range(len(dims[0])):
        letters = _letters_of([d[k] for d in dims], sizes_per_check)
        if len(letters) == 1:
            text.append(letters[0])
        elif all(d[k] == 1 for d in dims):
            text.append("1")
        else:
            return None
    return "(" + ", ".join(text) + ("," if len(text) == 1 else "") + ")"


def _shapes_finding(checks: list[Check], answers: list[Optional[Answer]], failing: list[int]) -> Optional[Finding]:
    """A list of shapes (tuples of ints) as long as the expected one: each wrong item written in size letters."""
    rows = []
    for i in failing:
        answer, want = answers[i], checks[i].expected
        if not checks[i].sizes or not isinstance(want, list) or answer.kind not in ("list", "tuple") or len(answer.value) != len(want):
            return None
        got = []
        for item in answer.value:
            if item.kind == "int":
                got.append(item.value)
            elif item.kind in ("list", "tuple") and all(d.kind == "int" for d in item.value):
                got.append(tuple(d.value for d in item.value))
            else:
                return None
        rows.append((checks[i].sizes, got, want))
    if len(rows) < 2 or len({len(g) for _, g, _ in rows}) != 1:
        return None
    sizes = [s for s, _, _ in rows]
    wrong = sorted({k for _, got, want in rows for k, (g, w) in enumerate(zip(got, want)) if g != tuple(w)})
    parts = []
    for k in wrong:
        items = [got[k] for _, got, _ in rows]
        if all(isinstance(x, int) for x in items):
            letters = _letters_of(items, sizes)
            if len(letters) != 1:
                return None
            parts.append(f"item {k} is the number {letters[0]}, not a tuple such as ({letters[0]},)")
            continue
        if not all(isinstance(x, tuple) and x for x in items) or len({len(x) for x in items}) != 1:
            return None
        written = _shape_letters(items, sizes)
        if written is None:
            return None
        parts.append(f"item {k} is {written}")
    if not parts:
        return None
    rest = ", and the other items are right" if len(wrong) < len(rows[0][1]) else ""
    return Finding("shape_items", "; ".join(parts) + " on every check that fails" + rest)


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
    if not matches or len(matches) > 3 or len({side for side, _ in matches}) != 1:
        return None
    side = matches[0][0]
    target = holds[matches[0][1]]
    named = {text for _, text in matches}
    inside = [where for text, where in holds.items() if text not in named and any(where)
              and all(t or not w for t, w in zip(target, where))]
    if inside and [any(column) for column in zip(*inside)] == target:
        return None
    if len(matches) > 1:
        # conditions that hold on the very same checks: these checks cannot tell which, so name them all
        where = " or ".join(text for _, text in matches)
        return Finding(f"{side}_where_sizes", f"{side} only on the checks where {where} (on these checks, the same ones)")
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
        return Finding("size_not_int", f"every call raised {answers[0].type_name}, which says that a size or an index is "
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


def describe(question: Question, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Finding]:
    """What the student's wrong answers show, or None when nothing simple holds on every failing check.

    Args:
        question: the graded function, whose ``axes``, ``parts`` or ``sizes`` say what the pieces mean.
        checks: its hidden checks.
        answers: the student's answer of each check, None where the call gave no answer.
    """
    again = _nondeterministic(checks, answers) or _raised_finding(answers) or _default_finding(question, checks, answers)
    if again:
        return again
    return _by_kind(question, checks, answers) or _by_items(question, checks, answers) or _sizes_finding(question, checks, answers)


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
