"""Every assignment is a subpackage here: its grader (shipped in its zip), its notebook, its tests."""

DEFAULT = "rnn_shapes"
"""The assignment `rnn-shapes grade` and `pytest --submission` take when none is named."""
