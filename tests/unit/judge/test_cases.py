"""The hidden checks' case type, shared by every assignment (gradecore.judge.cases)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import gradecore.judge.cases
from gradecore.judge import truths
from gradecore.judge.cases import Shape
from gradecore.public.spec import case_id


def test_a_shape_names_the_sizes_it_has_in_the_course_order():
    full = Shape(4, 7, 5, 8, 2)
    assert full.describe() == "N=4, T=7, D=5, M=8, K=2"
    assert list(full.sizes()) == list("NTDMK") and full.sizes("DMK") == {"D": 5, "M": 8, "K": 2}
    assert full.describe("DMK") == "D=5, M=8, K=2"
    dense = Shape(N=2, D=3, K=1)
    assert dense.letters() == "NDK" and dense.describe() == "N=2, D=3, K=1"


@dataclass
class Case(gradecore.judge.cases.Case):
    X: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class _ShapeInFull:
    N: int
    T: int
    D: int
    M: int
    K: int


@dataclass
class _CaseInFull:
    seed: int
    shape: _ShapeInFull
    X: np.ndarray = field(repr=False)


# as an assignment wrote them before the core had a case type; the class names are part of the key
_ShapeInFull.__qualname__, _CaseInFull.__qualname__ = "Shape", "Case"


def test_an_assignments_case_is_keyed_as_one_written_out_in_full():
    """The shipped truths are keyed by a fingerprint of the case's class name and fields: a case type
    built on the core's has the keys that the same type written out in full had."""
    X = np.arange(6, dtype=np.float32).reshape(2, 3)
    shared = Case(11, Shape(2, 3, 4, 5, 6), X)
    written_out = _CaseInFull(11, _ShapeInFull(2, 3, 4, 5, 6), X)
    assert truths.fingerprint(("q", shared)) == truths.fingerprint(("q", written_out))
    assert shared.label() == f"case {case_id(11)}, N=2, T=3, D=4, M=5, K=6"
