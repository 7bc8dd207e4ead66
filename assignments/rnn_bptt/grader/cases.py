"""Seeded random shapes, weights, inputs and targets for the hidden checks.

Each case holds one set of sizes, the weights of ``Input((T, D)) -> SimpleRNN(M) -> Dense(K)`` as
``model.get_weights()`` gives them, a batch ``X`` with its targets ``y``, and the truncation
lengths ``k`` asked of truncated_bptt_gradients. Shapes are drawn so that every catalogued mistake
shows: the five sizes are distinct (a transposed gradient cannot have the right shape by chance),
T >= 2 and N >= 2 (a gradient not carried back through time, or a bias gradient not summed over
the batch, changes the answer) and M >= 3. Every weight and bias is random and non-zero: Keras
initialises biases to 0, which would hide a bias missing from the forward pass. A few edge cases
have sizes of 1 (T = 1, M = 1, N = 1) or D = M.

Clip cases hold gradients of these shapes with a ``clip_norm`` above or below their global norm.

tests/test_bptt_cases.py proves it for the grading seed and 20 others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradecore.judge import authoring
from gradecore.judge.authoring import Shape, case_id, glorot, nonzero, random_shape

DEFAULT_SEED = 20261203
"""The seed of the hidden checks in development and in the tests only: every build draws a secret
one of its own unless the instructor pins one (``GRADECORE_SEED``)."""

RANDOM_CASES = 8
"""Random cases per question, before the edge cases."""

EDGE_SHAPES = [
    # (N, T, D, M, K)
    (1, 1, 1, 1, 1),
    (2, 1, 3, 1, 2),
    (1, 4, 2, 3, 2),
    (3, 4, 5, 5, 2),
]
"""Shapes with ones (T = 1, M = 1, N = 1), where a squeeze or a hard-coded axis breaks a result,
and one with D = M, where a transposed dWx has the right shape and wrong values."""

MAX_T = 10
"""The longest sequence (T) of a random case."""

CLIP_RATIOS = (0.5, 2.0)
"""clip_norm as a multiple of the gradients' global norm: one clips, one leaves them as they are."""


@dataclass
class Case(authoring.Case):
    """One set of sizes, its model's weights, a batch and its targets."""

    X: np.ndarray = field(repr=False)
    """inputs of shape (N, T, D), float32"""
    y: np.ndarray = field(repr=False)
    """targets of shape (N, K), float32"""
    weights: list[np.ndarray] = field(repr=False)
    """Wx (D, M), Wh (M, M), bh (M,), Wo (M, K), bo (K,), float32"""
    ks: tuple[int, ...] = ()
    """the truncation lengths asked of truncated_bptt_gradients: 1, one between, and T or more"""


@dataclass
class ClipCase(authoring.Case):
    """Gradients of one model's shapes and a ``clip_norm`` for clip_by_global_norm."""

    grads: list[np.ndarray] = field(repr=False)
    """arrays of shapes (D, M), (M, M), (M,), (M, K), (K,), float32"""
    clip_norm: float = 1.0

    def label(self) -> str:
        return f"case {case_id(self.seed)}, {self.shape.describe('DMK')}"


def orthogonal(rng: np.random.Generator, M: int) -> np.ndarray:
    """Keras' default recurrent initialiser: an orthogonal (M, M) matrix, never symmetric for M >= 2,
    so that a recurrent kernel used untransposed shows."""
    q, r = np.linalg.qr(rng.standard_normal((M, M)))
    return q * np.sign(np.diag(r))


def truncation_lengths(T: int) -> tuple[int, ...]:
    """k = 1, a k between 1 and T where there is one, and k = T + 2 (any k >= T is the full gradient)."""
    return tuple(sorted({1, max(1, min(2, T - 1)), T + 2}))


def make_case(seed: int, shape: Shape | None = None) -> Case:
    """Build one case from its seed (and, for edge cases, a fixed shape)."""
    rng = np.random.default_rng(seed)
    s = shape or random_shape(rng, MAX_T)
    X = rng.standard_normal((s.N, s.T, s.D))
    y = rng.standard_normal((s.N, s.K))
    weights = [glorot(rng, s.D, s.M), orthogonal(rng, s.M), nonzero(rng, s.M), glorot(rng, s.M, s.K), nonzero(rng, s.K)]
    as32 = [a.astype(np.float32) for a in (X, y, *weights)]
    return Case(seed, s, as32[0], as32[1], as32[2:], truncation_lengths(s.T))


def make_cases(base_seed: int, count: int = RANDOM_CASES, with_edges: bool = True) -> list[Case]:
    """``count`` random cases, then the edge cases, each with its own derived seed."""
    cases = [make_case(base_seed + i) for i in range(count)]
    if with_edges:
        cases += [make_case(base_seed + count + i, Shape(*edge)) for i, edge in enumerate(EDGE_SHAPES)]
    return cases


def make_clip_cases(base_seed: int, count: int = 4) -> list[ClipCase]:
    """Gradients of random shapes (and of the edge shape with ones), each with a ``clip_norm`` that
    clips them and one that does not."""
    start = base_seed + RANDOM_CASES + len(EDGE_SHAPES)
    out = []
    for i in range(count + 1):
        rng = np.random.default_rng(start + i)
        s = random_shape(rng, MAX_T) if i < count else Shape(*EDGE_SHAPES[1])
        shapes = [(s.D, s.M), (s.M, s.M), (s.M,), (s.M, s.K), (s.K,)]
        grads = [nonzero(rng, shape).astype(np.float32) for shape in shapes]
        norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
        for j, ratio in enumerate(CLIP_RATIOS):
            out.append(ClipCase(start * 10 + 2 * i + j, s, grads, round(ratio * norm, 3)))
    return out
