"""Fixtures of the rnn_shapes tests: its built distribution and otter grading through its zip."""

from pathlib import Path

import pytest

from tests.support import fixtures

from .class_folder import run_tool, write_class
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
    out = tmp_path_factory.mktemp("grades")
    proc = run_tool(klass, "--jobs", 2, "--out", out, "--autograder", autograder_zip, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc
