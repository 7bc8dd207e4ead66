"""Take a classmate's grade with a link that unpacking the student's archive restores.

The student hands in a tar archive; the instructor unpacks it into the class folder with
``tar -x``, which restores a symbolic link the archive holds: the entry
``archive_link_to_classmate.py`` links to the classmate's ``neighbour_reference.py`` (full marks).
A link is never followed, however it got there: its row is an error that says why, and the
classmate keeps their row and grade.

The file itself defines no function: it is never the entry's content, only the link is.
"""

LINK_IN = "tar"
LINK_TO = "neighbour_reference.py"

EXPECT_STATUS = "error"
EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}
