"""What wrong arrays show (:mod:`.structure`), in the question's axis letters: another layout, one sample or one step
only, an offset, a factor, the time axis reversed..."""

from __future__ import annotations

import itertools
from typing import Callable, Optional

import numpy as np

from .compare import ATOL, _close, _same_values
from .finding import Finding
from .spec import Check, Question


def _letters(axes: str, index: int) -> str:
    return axes[index] if 0 <= index < len(axes) else "?"


# Each test looks at one failing check: True (it shows the fact), False (it contradicts it) or None
# (it cannot tell, e.g. a single sample). A fact is reported when no check contradicts it and at
# least one shows it.
Test = Callable[[np.ndarray, np.ndarray, str], Optional[bool]]


def _axes_order(got, want, axes):
    if got.ndim != want.ndim or got.ndim < 2 or sorted(got.shape) != sorted(want.shape) or got.shape == want.shape:
        return None if got.shape == want.shape else False
    return any(_close(np.transpose(got, p), want) for p in itertools.permutations(range(got.ndim)))


def _square_transposed(got, want, axes):
    """A square matrix (a recurrent weight or its gradient) returned transposed: the shape cannot show it."""
    if got.shape != want.shape:
        return False
    if got.ndim != 2 or got.shape[0] != got.shape[1]:
        return None
    return _close(got.T, want) and not _close(got, want)


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
    """Right at the last step, and at no step before it: the message says "every earlier step differs",
    so one earlier step that is right (a loop that stops one step short) is not this finding."""
    t = axes.find("T")
    if t < 0 or want.shape[t] < 2:
        return None
    if not _close(np.take(got, -1, axis=t), np.take(want, -1, axis=t)):
        return False
    return not any(_close(np.take(got, step, axis=t), np.take(want, step, axis=t)) for step in range(want.shape[t] - 1))


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
def _all_zero(got, want, axes):
    """Every value is 0 where the expected answer is not: nothing was ever added to it."""
    return None if not np.any(want) else not np.any(got)


@_same_shape
def _scaled(got, want, axes):
    norm = float(np.sum(want * want))
    if norm == 0 or want.size < 2:
        return None
    factor = float(np.sum(got * want)) / norm
    # a factor of 0 is an answer of zeros, which says nothing of a factor
    return abs(factor) > 1e-3 and abs(factor - 1) > 1e-3 and _close(got, factor * want)


@_same_shape
def _negated(got, want, axes):
    """The answer is minus the expected one: every sign is flipped (a factor of -1)."""
    if not np.any(want):
        return None
    return _close(got, -want)


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
        ("square_transposed", _square_transposed,
         "right values, transposed: rows and columns are the other way round (the shape, square, cannot show it)"),
        ("extra_axis_of_one", _extra_ones, "right values with an extra axis of size 1: return shape ({axes})"),
        ("every_step", _every_step,
         "its last step is the expected answer: it returns every step (an extra axis) instead of the last one only"),
        ("last_step_of_sequence", _last_step_of, "it equals the last step only: the answer should have every step, ({axes})"),
        ("first_step_missing", _step_dropped(0), "right values with the first step missing: every step 0 ... T-1 is needed"),
        ("last_step_missing", _step_dropped(-1), "right values with the last step missing: every step 0 ... T-1 is needed"),
        ("first_sample_only", _first_sample_only,
         "right for the first sample only, wrong for the others: does something carry over from one sample "
         "to the next, or are samples and steps mixed up (X[t] where X[:, t] is meant)?"),
        ("reversed_time", _reversed_time, "right values in reversed time order: the steps run backwards"),
        ("last_step_only", _last_step_only,
         "right at the last step only: every earlier step differs"),
        ("one_step_early", _one_step_early,
         "each step's answer is the truth of the step before it: the outputs are one step late"),
        ("first_step_only", _first_step_only,
         "right at the first step only, then wrong: what carries from one step to the next (the recurrent term or the state) is off"),
        ("drifts", _drifts, "right for the first steps, then drifts from step {step} on (first failing check)"),
        ("constant_offset", _constant_offset,
         "off by the same vector for every " + lead + ": a bias is missing, doubled or of the wrong shape?"),
        ("all_zero", _all_zero,
         "every value is 0 where the expected answer is not: is it ever filled in, or is each term assigned (=) "
         "where it should be added (+=)?"),
        ("negated", _negated, "the negative of the expected answer: every sign is flipped (a factor of -1)"),
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
    # A question that names no axes (a weight's gradient, say) has no letters to write its shape in.
    expected = f"the expected shape ({', '.join(axes)})" if axes else "the expected shape"
    if all(got.shape == c.expected.shape for c, got in failing):
        return (f"right values in the wrong places: the answer has {expected} and exactly the expected "
                "values, but they are moved between samples, steps or units (a reshape where a transpose or "
                "np.stack(..., axis=...) was needed?)")
    shape = (_shape_in_letters(axes, failing) if axes else None) or "another shape"
    instead = f"({', '.join(axes)})" if axes else "the expected shape"
    return (f"right values in the wrong layout: the answer holds exactly the expected values, but as {shape} "
            f"instead of {instead} (np.concatenate or a reshape where np.stack or a transpose was needed?)")
