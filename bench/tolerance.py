"""Tolerance validation: how far correct NumPy code is from Keras, and how far the mistakes are.

Over many random models (T up to 100, weights drawn as Keras initialises them, non-zero
biases), compares real ``model.predict`` with the reference solution run three ways: on the
float32 arrays the grader passes (as graded), on float64 copies, and in float32 throughout. All
errors are in units of the tolerance rule ``|got - expected| <= ATOL + RTOL * |expected|`` (above
1 fails). Then runs every catalogued mistake on the hidden checks of the grading seed and prints
the margin between the largest correct error and the smallest mistake error.

To keep ``model.predict`` cheap, one model is built per shape and its weights are replaced with
``set_weights`` for each draw (a new model costs a retrace, ~100-150 ms). Run:

    .venv/bin/python bench/tolerance.py [--shapes 40] [--draws 25] [--seed 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assignments.rnn_shapes.grader import SPEC  # noqa: E402
from assignments.rnn_shapes.grader import checks as questions  # noqa: E402
from assignments.rnn_shapes.grader import keras_truth as reference  # noqa: E402
from assignments.rnn_shapes.grader.cases import DEFAULT_SEED, random_weights  # noqa: E402
from gradecore.judge import diagnosis  # noqa: E402
from gradecore.public.compare import ATOL, RTOL, tolerance_ratio  # noqa: E402

reference.tf.get_logger().setLevel("ERROR")  # no retracing notice for each new shape

_spec = importlib.util.spec_from_file_location("reference_solution", ROOT / "solutions" / "rnn_shapes" / "solution.py")
solution = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(solution)

N = 32
"""Samples per model: one predict call covers them all."""


def sequence_float32(X, Wx, Wh, bh, Wo, bo):
    """The reference recurrence with every array and every operation in float32."""
    X, Wx, Wh, bh, Wo, bo = (np.asarray(a, np.float32) for a in (X, Wx, Wh, bh, Wo, bo))
    h = np.zeros((X.shape[0], Wh.shape[0]), np.float32)
    out = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        out.append(h @ Wo + bo)
    return np.stack(out, axis=1)


def as_float64(function):
    def wrapped(X, *weights):
        return function(X.astype(np.float64), *(w.astype(np.float64) for w in weights))

    return wrapped


VARIANTS = {
    "reference sequence_forward, float32 inputs (as graded)": solution.sequence_forward,
    "reference sequence_forward, float64 inputs": as_float64(solution.sequence_forward),
    "reference batched_forward, float32 inputs (last step)": solution.batched_forward,
    "float32 throughout": sequence_float32,
}
"""Correct code, each giving every step's outputs (N, T, K) or, for batched_forward, the last (N, K)."""


def random_shape(rng: np.random.Generator) -> tuple[int, int, int, int]:
    return int(rng.integers(1, 101)), int(rng.integers(1, 17)), int(rng.integers(1, 65)), int(rng.integers(1, 11))


def correct_errors(shapes: int, draws: int, seed: int) -> tuple[dict[str, float], dict[str, str], int]:
    rng = np.random.default_rng(seed)
    worst = {name: 0.0 for name in VARIANTS}
    where = {name: "" for name in VARIANTS}
    models = 0
    for _ in range(shapes):
        T, D, M, K = random_shape(rng)
        reference.clear_session()
        model = reference.build_model(T, D, M, K, return_sequences=True)
        for _ in range(draws):
            weights = random_weights(rng, D, M, K)
            model.set_weights(weights)
            X = rng.standard_normal((N, T, D)).astype(np.float32)
            expected = reference.predict(model, X)
            models += 1
            for name, function in VARIANTS.items():
                got = function(X, *weights)
                error = tolerance_ratio(got, expected if got.ndim == 3 else expected[:, -1])
                if error > worst[name]:
                    worst[name], where[name] = error, f"T={T}, D={D}, M={M}, K={K}"
    return worst, where, models


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", type=int, default=40, help="random shapes, one Keras model each")
    parser.add_argument("--draws", type=int, default=25, help="random weight draws per shape")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    worst, where, models = correct_errors(args.shapes, args.draws, args.seed)
    print(f"tolerance rule: |got - keras| <= {ATOL:g} + {RTOL:g} * |keras|; errors below in units of it (1 = limit)")
    print(f"models: {models} ({args.shapes} shapes x {args.draws} weight draws, N={N} samples each, T up to 100, seed {args.seed})")
    for name in VARIANTS:
        print(f"  largest error, {name}: {worst[name]:.4f} (at {where[name]})")
    largest = max(worst.values())
    print(f"largest error of correct code: {largest:.4f}")

    checks = questions.build_checks(DEFAULT_SEED)
    errors = diagnosis.mistake_errors(SPEC, checks)
    revealing = {m.id: max(errors[m.id]) for m in SPEC.catalogue}
    numeric = {k: v for k, v in revealing.items() if np.isfinite(v)}
    smallest_id = min(numeric, key=numeric.get)
    smallest = numeric[smallest_id]
    others = sorted(v for k, v in numeric.items() if k != smallest_id)
    print(
        f"catalogue on the hidden checks (seed {DEFAULT_SEED}): {len(revealing)} mistakes, "
        f"{len(revealing) - len(numeric)} of them wrong in count, type, shape or by an exception (infinite error)"
    )
    print(f"smallest mistake error: {smallest:.2f} ({smallest_id}); next smallest: {others[0]:.0f}")
    print(f"margin: smallest mistake error / largest correct error = {smallest / largest:.0f}x")
    print(f"time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
