"""The hidden checks' cases: their sizes, the seed each is drawn from, and the draws they share.

The letters mean the same in every assignment: **N** samples, **T** time steps, **D** input
features, **M** hidden units, **K** outputs. An assignment's own case type (its
``grader/cases.py``) is a :class:`Case` that adds the weights and inputs it draws as fields, named
``Case`` too. Each case is drawn from its own seed, which names it in the feedback
(:func:`gradecore.public.spec.case_id`). The truths shipped in the zip are keyed by a fingerprint of a
case's fields (:func:`gradecore.judge.truths.fingerprint`), which includes its class's name and the
order of its fields: a change to either is a change of every key, and the build computes them all
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..public.spec import case_id

LETTERS = "NTDMK"
"""The sizes a :class:`Shape` may have, in the order it describes them."""


@dataclass(frozen=True)
class Shape:
    """The sizes of one case, by letter; the sizes an assignment has no use for are None."""

    N: Optional[int] = None
    """number of samples"""
    T: Optional[int] = None
    """sequence length"""
    D: Optional[int] = None
    """input features per step"""
    M: Optional[int] = None
    """hidden units"""
    K: Optional[int] = None
    """output units"""

    def letters(self) -> str:
        """The letters of the sizes it has, in the order of :data:`LETTERS`."""
        return "".join(letter for letter in LETTERS if getattr(self, letter) is not None)

    def sizes(self, letters: Optional[str] = None) -> dict[str, int]:
        """The sizes named by ``letters`` (all it has, by default), by letter."""
        return {letter: getattr(self, letter) for letter in (letters or self.letters())}

    def describe(self, letters: Optional[str] = None) -> str:
        """``"N=2, T=3, ..."``: the sizes named by ``letters`` (all it has, by default)."""
        return ", ".join(f"{letter}={size}" for letter, size in self.sizes(letters).items())


@dataclass
class Case:
    """One hidden case: the seed it is drawn from and its sizes. An assignment's case type adds
    what it draws (weights, inputs) as fields after these two."""

    seed: int
    """the case's own seed, which names it (:func:`gradecore.public.spec.case_id`); an assignment's
    ``make_case`` draws exactly this case again from it"""
    shape: Shape
    """its sizes"""

    def label(self) -> str:
        """How a check's message names the case: its opaque id and its sizes."""
        return f"case {case_id(self.seed)}, {self.shape.describe()}"


def random_shape(rng: np.random.Generator, max_T: int) -> Shape:
    """Sizes of a recurrent model ``(N, T, D, M, K)``, all five distinct (a transposed kernel or a
    confused axis cannot have the right shape by chance), with N, T >= 2 (a state carried from one
    sample or step to the next changes the answer), M >= 3 and T <= ``max_T``."""
    while True:
        N = int(rng.integers(2, 7))
        T = int(rng.integers(2, max_T + 1))
        D = int(rng.integers(2, 7))
        M = int(rng.integers(3, 9))
        K = int(rng.integers(2, 6))
        if len({N, T, D, M, K}) == 5:
            return Shape(N, T, D, M, K)


def glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Keras' default kernel initialiser, Glorot-uniform: a (fan_in, fan_out) matrix."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def nonzero(rng: np.random.Generator, shape, high: float = 0.8) -> np.ndarray:
    """Values drawn away from zero, of either sign: 0.1 <= |b| <= ``high``. Keras initialises
    biases to 0, which would hide a forgotten bias."""
    return rng.uniform(0.1, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)
