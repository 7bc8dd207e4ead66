"""Fixtures of the rnn_shapes tests: its built distribution and otter grading through its zip."""

from tests.support import fixtures

from .helpers import KIT

dist, autograder_zip, student_notebook, grade = fixtures(KIT)
