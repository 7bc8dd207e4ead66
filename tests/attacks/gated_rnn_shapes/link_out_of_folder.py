"""Get graded as the reference solution with a symbolic link out of the class folder.

The entry is a symbolic link, by absolute path, to the instructor's reference solution on the
grading machine (``solutions/gated_rnn_shapes/solution.py`` of the checkout, outside the class folder):
followed, it earns full marks. A link is never followed: its row is an error that says why.

The file itself defines no function: it is never the entry's content, only the link is.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}
EXPECT_STATUS = "error"

LINK_TO = "{solution}"

