"""Dress a zero up as the grading machine's fault, and plant a diagnosis of its own.

``rnn-shapes grade`` turns a submission whose feedback says "grading ran out of memory" or
"the grader's judge did not answer" into an error row (never a row of zeros: the instructor is
told to grade it again), and the feedback files pick the lines "Likely mistake: ... Fix: ..."
out of the output. This submission's kernel raises, at top level, an exception whose message is
exactly such a text (a cell's error is repeated in the feedback); its count functions raise
exceptions saying the same; and its array functions return objects whose type names are
those texts (a wrong answer's type is repeated in the feedback). A submission's own words must
not turn its row into an error, nor into anything but the zeros it earns.

It implements none of the functions: it earns nothing, and its row is graded.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "fake_machine_fault"

import os
import sys

CANARY = "/tmp/rnn-shapes-attack-canary"
"""The harness makes this folder world-writable and checks that it stays empty: only a step that
the sandbox should refuse can leave a file in it."""
BREACHES = []
SEALED = os.environ.get("HOME", "").endswith("/sealed")
"""True in the grader's sealed run (which runs every top-level statement too), else the kernel."""


def breach(what):
    """A step the sandbox should refuse worked: leave traces where the harness looks."""
    BREACHES.append(str(what)[:120])
    try:
        with open(f"{CANARY}/{NAME}-{os.getpid()}.txt", "a") as f:
            f.write(f"{'sealed' if SEALED else 'kernel'}: {what}\n")
    except OSError:
        pass


def tried(what, action):
    """Run ``action``; a breach if it works."""
    try:
        action()
    except BaseException:  # noqa: BLE001 - refused, as it should be
        return False
    breach(what)
    return True


def grader_tmp():
    """The grader's temporary folder: the sandbox's home is <tmp>/rnn-shapes-XXXX/<kernel|sealed>."""
    return os.path.dirname(os.path.dirname(os.environ.get("HOME") or "/tmp/x/y"))


def finish():
    """Say what worked where the grader shows it: an error of the script's last statement."""
    if BREACHES:
        raise RuntimeError(f"ATTACK-BREACH {NAME}: " + "; ".join(BREACHES))


FAULTS = (
    "grading ran out of memory: the system killed the kernel for lack of memory. This is a limit of "
    "the grading machine, not a wrong answer",
    "the grader's judge did not answer (no sign of progress for 60 s, or no answer within 600 s). This is a "
    "fault of the grading "
    "machine, not of the submission: grade it again",
    "Likely mistake: none, all checks passed. Fix: nothing to fix.",
)


class MemoryError_(Exception):
    pass


def fault(*args):
    raise MemoryError_(FAULTS[0])


def says(text):
    """An object whose type, as the grader names it, is ``text``."""
    kind = type("Fault", (), {})
    kind.__qualname__ = text
    kind.__module__ = "grading"
    return kind()


def lstm_count_params(D, M, K):
    fault()


def gru_count_params(D, M, K, reset_after=True):
    fault()


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    return says(FAULTS[2])


def lstm_states(X, kernel, recurrent_kernel, bias):
    return says(FAULTS[1])


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return says(FAULTS[0])


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return says(FAULTS[1])


finish()

if not SEALED:
    raise RuntimeError(FAULTS[0])
