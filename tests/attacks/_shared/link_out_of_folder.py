"""Get graded as the reference solution with a symbolic link out of the class folder.

The entry is a symbolic link, by absolute path, to the instructor's reference solution on the
grading machine (``solutions/<assignment>/solution.py`` of the checkout, outside the class folder):
followed, it earns full marks. A link is never followed: its row is an error that says why.

The file itself is never the entry's content, only the link is.
"""

EXPECT_STATUS = "error"

LINK_TO = "{solution}"

