"""Take a classmate's grade with a symbolic link to their file.

The entry in the class folder is a symbolic link to the classmate's submission
(``neighbour_reference.py``, full marks). A batch that resolves each entry's path and keeps one
entry per file grades the classmate's file under the link's name and drops the
classmate's row. A link is never followed: its row is an error that says why, and the classmate
keeps their row and their grade.

The file itself is never the entry's content, only the link is.
"""

EXPECT_STATUS = "error"

LINK_TO = "neighbour_reference.py"

