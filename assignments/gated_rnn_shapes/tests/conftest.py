"""Fixtures of the gated_rnn_shapes tests: its built distribution and otter grading through its zip."""

from tests.support import AssignmentUnderTest, fixtures

KIT = AssignmentUnderTest("gated_rnn_shapes")

dist, autograder_zip, student_notebook, grade = fixtures(KIT)
