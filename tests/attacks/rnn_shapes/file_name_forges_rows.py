"""Forge a row of grades.csv, a spreadsheet formula and the terminal through the file's name.

A submission's file name is the student's to choose (unpacking a zip restores it as it was):
here ``x\\n=cmd|' -C calc'!A0,9,9,9,9,9,9,9,graded\\x1b[1A.py``. The name is the row's
``submission`` cell: a newline starts a line of its own in ``cat grades.csv`` (a forged row of
nines, a cell starting with ``=``, which a spreadsheet runs as a formula), and the escape moves
the terminal's cursor over the row above. The name must reach every output as one printable
line, and no cell may start a formula. (Graded from inside the class folder, a name is a cell of
its own from its first character: ``tests/unit/cli`` checks that case, ``=cmd...`` at the start.)

count_params is implemented correctly; the rest is not defined and earns nothing, under the row of
its own name.
"""

EXPECT = {"count_params": 1, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

SUBMIT_AS = "x\n=cmd|' -C calc'!A0,9,9,9,9,9,9,9,graded\x1b[1A\x1b[2K.py"


def count_params(T, D, M, K):
    return int(D * M + M * M + M + M * K + K)

