"""Seeded random shapes, weights and inputs for the hidden checks.

Each case holds one set of sizes and the weights of three models of those sizes,
``LSTM(M) -> Dense(K)`` and ``GRU(M) -> Dense(K)`` with ``reset_after`` True and False, as
``layer.get_weights()`` gives them. Shapes are drawn so that every catalogued mistake shows: the
five sizes are distinct (a transposed kernel or a confused axis cannot broadcast into the right
shape by chance), T >= 2 and N >= 2 (a state carried from one sample to the next, or a cell
state one step late, changes the answer) and M >= 3. Every weight and bias is random and
non-zero: Keras initialises the LSTM's forget bias to 1 and every other bias to 0, which would
hide a forgotten bias, a swapped bias row or a gate sliced in the wrong order. A few edge cases
with sizes of 1 catch code that squeezes or hard-codes axes.

tests/test_gated_cases.py proves it for the grading seed and 20 others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradecore.judge import authoring
from gradecore.judge.authoring import Shape, glorot, nonzero, random_shape

DEFAULT_SEED = 20261124
"""The seed of the hidden checks in development and in the tests only: every build draws a secret
one of its own unless the instructor pins one (``GRADECORE_SEED``)."""

RANDOM_CASES = 8
"""Random cases per question, before the edge cases."""

EDGE_SHAPES = [
    # (N, T, D, M, K)
    (1, 1, 1, 1, 1),
    (2, 1, 3, 1, 2),
    (3, 4, 1, 1, 1),
    (3, 4, 5, 5, 2),
]
"""Shapes with ones (M = 1, T = 1, D = 1), where a squeeze or a hard-coded axis breaks a result;
and one with D = M, where a kernel used in another's place gives wrong values instead of only a
shape error, so that no mistake is named from its exception alone."""

COUNT_SHAPES = [
    # (D, M, K): larger layers, asked of the count questions only
    (20, 48, 10),
    (100, 64, 1),
]
"""Sizes of real layers, for the counts only: a count hard-coded from the notebook's example,
or right for small sizes by accident, fails here."""


@dataclass
class Case(authoring.Case):
    """One set of sizes, its inputs, and the weights of an LSTM model and two GRU models."""

    X: np.ndarray = field(repr=False)
    """inputs of shape (N, T, D), float32"""
    lstm: list[np.ndarray] = field(repr=False)
    """kernel (D, 4M), recurrent_kernel (M, 4M), bias (4M,), Wo (M, K), bo (K,), float32"""
    gru: dict[bool, list[np.ndarray]] = field(repr=False)
    """for each ``reset_after``: kernel (D, 3M), recurrent_kernel (M, 3M), bias (2, 3M) when
    True or (3M,) when False, Wo (M, K), bo (K,), float32"""


def orthogonal(rng: np.random.Generator, M: int, columns: int) -> np.ndarray:
    """Keras' default recurrent initialiser: an (M, columns) matrix with orthonormal rows.

    Never symmetric in any (M, M) gate block for M >= 2, so a transposed block shows.
    """
    q, r = np.linalg.qr(rng.standard_normal((columns, M)))
    return (q * np.sign(np.diag(r))).T


def recurrent_weights(rng: np.random.Generator, gates: int, bias_shape, D: int, M: int, K: int) -> list[np.ndarray]:
    """kernel, recurrent_kernel, bias, Wo, bo of a gated layer with ``gates`` packed blocks."""
    weights = [glorot(rng, D, gates * M), orthogonal(rng, M, gates * M), nonzero(rng, bias_shape)]
    weights += [glorot(rng, M, K), nonzero(rng, K)]
    return [w.astype(np.float32) for w in weights]


def make_case(seed: int, shape: Shape | None = None, max_T: int = 12) -> Case:
    """Build one case from its seed (and, for edge cases, a fixed shape)."""
    rng = np.random.default_rng(seed)
    s = shape or random_shape(rng, max_T)
    X = rng.standard_normal((s.N, s.T, s.D)).astype(np.float32)
    lstm = recurrent_weights(rng, 4, (4 * s.M,), s.D, s.M, s.K)
    gru = {
        True: recurrent_weights(rng, 3, (2, 3 * s.M), s.D, s.M, s.K),
        False: recurrent_weights(rng, 3, (3 * s.M,), s.D, s.M, s.K),
    }
    return Case(seed, s, X, lstm, gru)


def make_cases(base_seed: int, count: int = RANDOM_CASES, with_edges: bool = True) -> list[Case]:
    """``count`` random cases, then the edge cases, each with its own derived seed."""
    cases = [make_case(base_seed + i) for i in range(count)]
    if with_edges:
        cases += [make_case(base_seed + count + i, Shape(*edge)) for i, edge in enumerate(EDGE_SHAPES)]
    return cases


def make_count_cases(base_seed: int) -> list[Case]:
    """Cases of :data:`COUNT_SHAPES` (one sample of one step): only their counts are asked."""
    start = base_seed + RANDOM_CASES + len(EDGE_SHAPES)
    return [make_case(start + i, Shape(1, 1, D, M, K)) for i, (D, M, K) in enumerate(COUNT_SHAPES)]
