"""Fixtures of the rnn_bptt tests: its built distribution and otter grading through its zip."""

from tests.support import AssignmentUnderTest, fixtures

KIT = AssignmentUnderTest("rnn_bptt")

dist, autograder_zip, student_notebook, grade = fixtures(KIT)
