"""The authors' surface (:mod:`gradecore.judge.authoring`): what a grader uses of the core, in one
module, and the shaped checks the graders share; every grader imports the core through it alone."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from gradecore.judge import authoring
from gradecore.public.compare import Answer
from gradecore.public.encode import encode_value

ROOT = Path(__file__).resolve().parents[3]
GRADERS = sorted(ROOT.glob("assignments/*/grader/*.py")) + sorted((ROOT / "tests" / "toy" / "grader").glob("*.py"))
SCAFFOLD = sorted((ROOT / "autograder" / "gradecore" / "cli" / "templates" / "assignment" / "grader").glob("*.py.jinja"))


def _answer(value) -> Answer:
    return Answer.decode(encode_value(value))


def test_received_says_what_came_back_and_never_its_values():
    assert authoring.received(_answer((np.zeros(2), 1, 2))) == "a tuple of 3 items"
    assert authoring.received(_answer(np.zeros((2, 3)))) == "an array of shape (2, 3)"
    assert authoring.received(_answer("0.4117")) == "a str"


def test_a_shape_in_the_course_letters():
    assert authoring.shape_in_letters((3, 5), "NM") == "(N, M)=(3, 5)"
    assert authoring.shape_in_letters((4,), "M") == "(M,)=(4,)"


def test_a_shaped_check_names_the_shape_first_in_letters_then_the_values():
    expected = np.arange(6.0).reshape(2, 3)
    assert authoring.check_shaped(_answer(expected.copy()), expected, "h_T", "NM", "model.predict") is None
    assert authoring.check_shaped(_answer(expected.T.copy()), expected, "h_T", "NM", "model.predict") == \
        "h_T should have shape (N, M)=(2, 3), got shape (3, 2)."
    wrong = authoring.check_shaped(_answer(expected + 1), expected, "h_T", "NM", "model.predict")
    assert wrong is not None and wrong.startswith("h_T") and "model.predict" in wrong


def test_an_array_tolerance_is_infinite_for_an_answer_that_is_no_array():
    expected = np.ones((2, 3))
    assert authoring.array_tolerance(_answer(expected.copy()), expected) == 0.0
    assert authoring.array_tolerance(_answer([1, 2]), expected) == float("inf")
    assert 0 < authoring.array_tolerance(_answer(expected * (1 + 1e-5)), expected) < 1


def test_the_surface_lists_what_it_exports():
    assert sorted(authoring.__all__) == authoring.__all__
    assert all(hasattr(authoring, name) for name in authoring.__all__)


def _core_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gradecore"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gradecore"))
    return found


@pytest.mark.parametrize("path", GRADERS + SCAFFOLD, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_grader_imports_the_core_through_the_surface_alone(path):
    """The assignments' graders, the toy's and the scaffold's: ``gradecore.judge.authoring`` and
    nothing else of the core, and no copy of a helper the surface has."""
    source = path.read_text()
    assert _core_imports(source) <= {"gradecore.judge.authoring", "gradecore.judge"}, path
    defined = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
    copies = defined & {"_received", "_letters", "_ratio", *authoring.__all__}
    assert not copies, f"{path} defines again what gradecore.judge.authoring has: {sorted(copies)}"
