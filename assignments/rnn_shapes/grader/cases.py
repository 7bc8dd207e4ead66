"""Seeded random shapes, weights and inputs for the hidden checks.

Shapes are drawn so that every catalogued mistake shows: the five sizes are distinct (a
transposed kernel or a confused axis cannot broadcast into the right shape by chance), T >= 2
and N >= 2 (off-by-one steps and an unreset hidden state change the answer), M >= 3, and every
bias is non-zero (Keras initialises biases to zero, which hides a forgotten bias). A few edge
cases with sizes of 1 catch code that squeezes or hard-codes axes.

tests/test_cases.py proves it for the grading seed and 20 others: every catalogued mistake misses
the expected answer by at least 100 times the tolerance on some check (float16 arithmetic, whose
precision is only 5 times coarser than the tolerance, by at least 3 times), or answers with a
wrong count, type or shape, or raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradecore.judge import authoring
from gradecore.judge.authoring import Shape, glorot, nonzero, random_shape

DEFAULT_SEED = 20261123
"""The seed of the hidden checks in development and in the tests only: every build draws a secret
one of its own unless the instructor pins one (``GRADECORE_SEED``)."""

EDGE_SHAPES = [
    # (N, T, D, M, K)
    (1, 1, 1, 1, 1),
    (2, 1, 3, 1, 1),
    (1, 3, 1, 4, 1),
    (3, 4, 5, 5, 2),
]
"""Shapes with ones, where a squeeze or a hard-coded axis breaks a result's shape; and one with
D = M, where a kernel used in another's place (Wx for Wh, Wx transposed) gives wrong values
instead of only a shape error, so that no mistake is named from its exception alone."""

SAME_INPUT_SHAPE = (3, 4, 2, 5, 6)
"""(N, T, D, M, K) of the case whose samples all read one input vector at every step: from h = 0 every
sample gets the same answer, however samples and steps are read, so answers that differ between its
samples show an initial state that is not zeros (a random one, drawn with a fixed seed too, which the
check asked again cannot show) or a state carried over from another sample."""


@dataclass
class Case(authoring.Case):
    """One random model with its weights and inputs."""

    weights: list[np.ndarray] = field(repr=False)
    """Wx (D, M), Wh (M, M), bh (M,), Wo (M, K), bo (K,), float32 as Keras stores them"""
    X: np.ndarray = field(repr=False)
    """inputs of shape (N, T, D), float32"""


def random_weights(rng: np.random.Generator, D: int, M: int, K: int) -> list[np.ndarray]:
    """Weights scaled as Keras initialises them, with non-zero biases.

    The kernels are Glorot-uniform and the recurrent kernel is orthogonal (never symmetric for
    M >= 2, so ``Wh`` and ``Wh.T`` differ); the biases are drawn away from zero.
    """
    q, r = np.linalg.qr(rng.standard_normal((M, M)))
    Wh = q * np.sign(np.diag(r))
    weights = [glorot(rng, D, M), Wh, nonzero(rng, M, high=0.5), glorot(rng, M, K), nonzero(rng, K, high=0.5)]
    return [w.astype(np.float32) for w in weights]


def make_case(seed: int, shape: Shape | None = None, max_T: int = 12) -> Case:
    """Build one case from its seed (and, for edge cases, a fixed shape)."""
    rng = np.random.default_rng(seed)
    shape = shape or random_shape(rng, max_T)
    weights = random_weights(rng, shape.D, shape.M, shape.K)
    X = rng.standard_normal((shape.N, shape.T, shape.D)).astype(np.float32)
    return Case(seed, shape, weights, X)


def make_same_input_case(seed: int) -> Case:
    """The case of :data:`SAME_INPUT_SHAPE`: random weights, and one random input vector for every
    sample and step."""
    case = make_case(seed, Shape(*SAME_INPUT_SHAPE))
    X = np.broadcast_to(case.X[:1, :1], case.X.shape).copy()
    return Case(case.seed, case.shape, case.weights, X)


def make_cases(base_seed: int, count: int, with_edges: bool = True) -> list[Case]:
    """``count`` random cases, then the edge cases and the same-input case, each with its own derived seed."""
    cases = [make_case(base_seed + i) for i in range(count)]
    if with_edges:
        cases += [
            make_case(base_seed + count + i, Shape(*edge)) for i, edge in enumerate(EDGE_SHAPES)
        ]
        cases.append(make_same_input_case(base_seed + count + len(EDGE_SHAPES)))
    return cases
