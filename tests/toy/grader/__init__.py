"""A tiny assignment for the core's own tests: two questions, a few mistakes, no TensorFlow.

``scale(X, w)`` returns ``X * w`` (NumPy-only, compared with a tolerance); ``count(n)`` returns
``2 * n + 1``. Its truths go through :func:`gradecore.judge.authoring.lookup_truth` and its count checks ship
their catalogue outcomes, as a real assignment's Keras truths do.
"""

from __future__ import annotations

import numpy as np

from gradecore.judge.authoring import (
    AssignmentSpec,
    Catalogue,
    Check,
    Question,
    array_tolerance,
    check_array,
    lookup_truth,
)

CATALOGUE = Catalogue()


@CATALOGUE.mistake("scale", "one is added to every value", "return X * w, nothing more")
def scale_plus_one(X, w):
    return X * w + 1


@CATALOGUE.mistake("scale", "the result is transposed", "keep the axes of X")
def scale_transposed(X, w):
    return (X * w).T


@CATALOGUE.mistake("count", "the constant term is missing", "count 2 * n + 1")
def count_without_one(n):
    return 2 * n


def count_problem(answer, expected):
    if answer.kind != "int":
        return f"count should return an int, got a {answer.type_name}."
    return None if answer.value == expected else "count returned a different number."


def build_checks(seed: int) -> dict[str, list[Check]]:
    rng = np.random.default_rng(seed)
    checks: dict[str, list[Check]] = {"scale": [], "count": []}
    for i, shape in enumerate([(2, 3), (4, 1), (3, 5)]):
        X, w = rng.standard_normal(shape), float(rng.uniform(1, 2))
        expected = lookup_truth(("toy.scale", X, w), lambda X=X, w=w: X * w, draft=lambda X=X: np.zeros_like(X))
        checks["scale"].append(Check("scale", f"case {i}, shape {shape}", [X, w], expected, [X, w]))
        checks["count"].append(Check("count", f"n={i + 3}", [i + 3], 2 * (i + 3) + 1, [i + 3], ships_outcomes=True))
    return checks


SPEC = AssignmentSpec(
    name="toy",
    questions=(
        Question("scale", 2, "scale multiplies X by w", lambda a, e: check_array(a, e, "the result", "X * w"),
                 numpy_only=True, tolerance=array_tolerance),
        Question("count", 1, "count gives 2n + 1", count_problem),
    ),
    default_seed=7,
    build_checks=build_checks,
    catalogue=CATALOGUE,
)
