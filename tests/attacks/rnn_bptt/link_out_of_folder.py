"""Get graded as the reference solution with a symbolic link out of the class folder.

The entry is a symbolic link, by absolute path, to the instructor's reference solution on the
grading machine (``solutions/rnn_bptt/solution.py`` of the checkout, outside the class folder):
followed, it earns full marks. A link is never followed: its row is an error that says why.

The file itself defines no function: it is never the entry's content, only the link is.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}
EXPECT_STATUS = "error"

LINK_TO = "{solution}"

