"""Take a classmate's row by a file name that reads as theirs.

Named ``neighbour_reference.py`` with a zero-width space (an invisible format character) in it,
the file reads as the classmate's on a terminal and in a spreadsheet. Where names are made
printable by dropping what is not printable, the two collapse into one row: the one graded last
(or first) takes the other's place. Each entry must keep a row of its own, under a name that
shows the difference.

It defines none of the functions: it earns nothing, and the classmate keeps full marks.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

SUBMIT_AS = "neighbour\u200b_reference.py"

