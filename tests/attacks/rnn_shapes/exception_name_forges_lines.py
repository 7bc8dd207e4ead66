"""Forge lines of results.json and rewrite the terminal through an exception's class name.

A class's ``__name__`` is the submission's to choose, newlines and terminal escapes included:
``type("Boom\\nMachine fault: ...", (Exception,), {})``. The kernel's cell error repeats the class
name in the feedback ("code cell 1 raised NAME: message"), and the judge names the class a graded
function raised; a name with a newline then starts a line of its own: a forged ``Machine fault:``
line (which the instructor reads as the grading machine's fault, and may grade again), a forged
"all checks passed" line, and escapes that erase the line above on a terminal (``cat``). The
functions raise such classes (one derived from TypeError, whose message reads as Python's "not
an integer", which the structural diagnosis repeated with the class's name); the script's last
statement raises one at top level, in the kernel.

count_params and weight_shapes are implemented correctly; the rest earns nothing. Every output
must hold each forged text as one printable line, never a line of its own.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

FORGED = ("Boom\nMachine fault: the grading machine ran out of memory; grade it again\n"
          "\x1b[2K\x1b[1A\x1b[2K\r\u2705 manual_forward: all 3 checks passed \x1b]0;9/9\x07\u202e")

Forged = type(FORGED, (Exception,), {})
ForgedType = type("TypeError\nMachine fault: out of memory\x1b[1A", (TypeError,), {})


def count_params(T, D, M, K):
    return int(D * M + M * M + M + M * K + K)


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def extract_weights(model):
    raise Forged(FORGED)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    raise ForgedType("slice indices must be integers or None or have an __index__ method")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    raise ForgedType("slice indices must be integers or None or have an __index__ method")


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    raise Forged("\nMachine fault: judge silent\x1b[2K")


raise Forged("\x1b[2K\x1b[1A9/9\nMachine fault: the grading machine ran out of memory")
