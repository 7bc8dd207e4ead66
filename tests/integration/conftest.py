"""Fixtures of the core's integration tests: one assignment's built distribution and otter grading
through its zip, for every folder under ``assignments/`` (a new assignment gets these tests for free).

Everything a test needs of an assignment comes from its own files: its questions and points from
its spec, correct submissions from ``solutions/<name>/``, buggy ones from its catalogue of mistakes,
the notebook from the build. A scenario whose outcome does not depend on the assignment (the
batch's signals and timeouts, a kernel killed for memory) runs on the default assignment only:
``@default_only``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import assignments
from gradecore.cli.build import assignment_names
from tests.support import AssignmentUnderTest

DEFAULT = assignments.DEFAULT

default_only = pytest.mark.parametrize("kit", [DEFAULT], indirect=True)
"""Run a test on the default assignment only: its scenario is the core's, whatever the assignment."""


@pytest.fixture(scope="session", params=assignment_names())
def kit(request) -> AssignmentUnderTest:
    return AssignmentUnderTest(request.param)


@pytest.fixture(scope="session")
def dist(built, kit) -> Path:
    return built / kit.name


@pytest.fixture(scope="session")
def autograder_zip(dist) -> Path:
    return dist / "autograder" / "autograder.zip"


@pytest.fixture(scope="session")
def student_notebook(dist, kit) -> Path:
    return dist / "student" / f"{kit.name}.ipynb"


@pytest.fixture(scope="session")
def grade(kit, autograder_zip, tmp_path_factory):
    """``grade(text_or_notebook, suffix)``: write a submission and grade it through the zip."""
    return kit.grader(autograder_zip, tmp_path_factory.mktemp(f"{kit.name}-submissions"))
