"""Fixtures of the rnn_shapes tests: its built distribution and otter grading through its zip."""

from pathlib import Path

import pytest

from tests.support import fixtures, grade_class

from .class_folder import write_class
from .helpers import KIT

dist, autograder_zip, student_notebook, grade = fixtures(KIT)
"""The rnn_shapes tests' names for the shared helpers, bound to this assignment."""


@pytest.fixture(scope="session")
def klass(tmp_path_factory, student_notebook) -> Path:
    """The held-out class folder of 12 submissions (:func:`class_folder.write_class`)."""
    return write_class(tmp_path_factory.mktemp("class"), student_notebook)


@pytest.fixture(scope="session")
def tool_run(klass, autograder_zip, tmp_path_factory):
    """The class graded once by the tool here, two at a time: the rows every other way must give."""
    return grade_class(klass, autograder_zip, tmp_path_factory.mktemp("grades"))
