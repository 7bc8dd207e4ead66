"""Forge the sealed run's answers on its own protocol pipe, then end it before it answers.

The sealed run answers the trusted side in frames on a pipe it holds (a duplicate of its first
standard output). The submission's top-level code finds that pipe in ``/proc/self/fd``, writes
its own "defined" frame and, for every question, a frame of "returned" answers (zeros of the
right shape, counts of 0: it cannot know the truth), all ahead of the frames the real run
writes later. Forged frames are data like any other: they must earn nothing that the answers
they hold would not.

It implements none of the functions: it earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "sealed_forge_frames"

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


import numpy as np  # noqa: E402

import io  # noqa: E402
import stat  # noqa: E402

QUESTIONS = ("lstm_count_params", "gru_count_params", "lstm_gate_weights", "lstm_forward", "lstm_states",
             "gru_forward")
CALLS = 16


def returned(value):
    from gradecore.public.encode import encode_value

    return {"status": "returned", "value": encode_value(value)}


def forged(question):
    if question.endswith("count_params"):
        return [returned(0)] * CALLS
    if question == "lstm_gate_weights":
        z = np.zeros((3, 3))
        return [returned({g: (z, z, np.zeros(3)) for g in "ifco"})] * CALLS
    if question == "lstm_states":
        return [returned((np.zeros((3, 3)), np.zeros((3, 3))))] * CALLS
    return [returned(np.zeros((3, 3)))] * CALLS


def frame(message):
    from gradecore.protocol import wire

    buf = io.BytesIO()
    wire.send(buf, message)
    return buf.getvalue()


def protocol_pipes():
    found = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode) and fd > 2:
                found.append(fd)
        except OSError:
            pass
    return found


if SEALED:
    frames = frame({"defined": list(QUESTIONS), "rebound": [], "skipped": []})
    frames += b"".join(frame({"question": q, "outcomes": forged(q)}) for q in QUESTIONS)
    frames += frame({"done": True})
    for fd in protocol_pipes():
        try:
            os.write(fd, frames)
        except OSError:
            pass


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    raise NotImplementedError


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_states(X, kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


finish()
