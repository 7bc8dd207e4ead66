"""The hidden checks' verdict on one submission, question by question, for instructors.

    .venv/bin/python -m pytest --submission PATH [--assignment NAME] [-rA]

grades PATH (a notebook or a ``.py`` file) with a fresh build of its assignment's autograder zip
through the real ``otter run``: one test per question, passed when the judge gave it full points,
failed with the judge's message (the failed checks, the likely mistake) otherwise. ``-rA`` also
shows the messages of the passed questions and the problems found in the submission's own code.
Without ``--submission`` these tests are skipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gradecore.cli.build import assignment_names
from gradecore.cli.main import default_assignment
from tests.support import AssignmentUnderTest


def _assignment(config) -> str | None:
    path = config.getoption("--submission")
    if not path:
        return None
    stem = Path(path).stem
    return config.getoption("--assignment") or (stem if stem in assignment_names() else default_assignment())


def pytest_generate_tests(metafunc):
    if "question" in metafunc.fixturenames:
        name = _assignment(metafunc.config)
        questions = AssignmentUnderTest(name).questions if name else []
        metafunc.parametrize("question", questions or [pytest.param(None, marks=pytest.mark.skip(reason="no --submission"))])


@pytest.fixture(scope="session")
def verdicts(request, built, tmp_path_factory):
    """``(kit, graded)`` for the submission given with ``--submission``."""
    path = Path(request.config.getoption("--submission")).resolve()  # a file: conftest.py refuses anything else
    kit = AssignmentUnderTest(_assignment(request.config))
    copy = tmp_path_factory.mktemp("submission") / path.name
    shutil.copy(path, copy)
    graded = kit.otter_run(built / kit.name / "autograder" / "autograder.zip", copy)
    print(f"\n{path} graded as {kit.name}: {sum(graded.scores.values()):g} of {sum(kit.points.values()):g}")
    if graded.raw.get("output"):
        print(graded.raw["output"])
    return kit, graded


def test_hidden_checks(verdicts, question):
    kit, graded = verdicts
    score, output = graded.scores.get(question), graded.outputs.get(question, "")
    print(output)
    if score != kit.points[question]:
        pytest.fail(f"{question}: {score} of {kit.points[question]:g} points\n{output}", pytrace=False)
