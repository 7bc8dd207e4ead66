"""Monkeypatch the grading code inside the sealed run: gradecore.kernel.calls, sys.modules, __import__.

The sealed run imports ``gradecore.kernel.calls`` to call the hidden checks and ``gradecore.public.encode`` to
describe the answers, and the old judge's comparison lived in the same process as the student's
code. This submission's top-level code replaces ``gradecore.kernel.calls.outcomes_with`` and
``run_calls`` with forgeries that report a "returned" answer for every call, makes
``encode_value`` describe anything as an array, puts stand-ins of the judge's modules
(``gradecore.judge.diagnosis``, ``gradecore.public.compare``, ``gradecore.judge.service``) in ``sys.modules`` whose
every verdict passes, hooks ``builtins.__import__`` to hand them out, and makes NumPy's
comparisons always agree. The judge runs elsewhere, so none of it can matter.

It implements none of the functions: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "sealed_patch_kernel"

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


import builtins  # noqa: E402
import types  # noqa: E402

import numpy as np  # noqa: E402


def forged_value(question, args):
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    if question == "count_params":
        return 0
    if not arrays:
        return [(1, 1)] * 5
    X, Wo = arrays[0], arrays[-2] if len(arrays) >= 2 else arrays[0]
    K = Wo.shape[-1]
    if question == "manual_forward":
        return np.zeros(K)
    if question == "sequence_forward":
        return np.zeros((X.shape[0], X.shape[1], K))
    return np.zeros((X.shape[0], K))


def forged_outcomes(function, reply, builders=None):
    question = getattr(function, "__name__", "")
    return [{"status": "returned", "value": {"kind": "ndarray", "type": "ndarray",
                                             "value": np.asarray(forged_value(question, args), dtype=float)}}
            for args in reply["calls"]]


class Passed:
    def __init__(self, question="", *args, **kwargs):
        self.question, self.passed, self.message = question, True, f"{question}: all checks passed."


def stand_in(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


try:
    import gradecore.public.encode
    import gradecore.kernel.calls

    gradecore.kernel.calls.outcomes_with = forged_outcomes
    gradecore.kernel.calls.run_calls = lambda function, calls, guard: forged_outcomes(function, {"calls": calls})
    gradecore.kernel.calls.needs_library = lambda arg: False
    gradecore.public.encode.encode_value = lambda value, depth=0: {"kind": "ndarray", "type": "ndarray",
                                                            "value": np.zeros(1)}
    fakes = {
        "gradecore.judge.diagnosis": stand_in("gradecore.judge.diagnosis", decide=lambda spec, q, *a, **k: Passed(q),
                                        Verdict=Passed, outcome_problem=lambda *a, **k: None),
        "gradecore.public.compare": stand_in("gradecore.public.compare", check_array=lambda *a, **k: None,
                                      same_answer=lambda *a, **k: True, tolerance_ratio=lambda *a, **k: 0.0),
        "gradecore.judge.service": stand_in("gradecore.judge.service", JudgeService=lambda *a, **k: None),
    }
    sys.modules.update(fakes)
    real_import = builtins.__import__

    def hooked_import(name, globals=None, locals=None, fromlist=(), level=0):
        if name in fakes:
            return fakes[name]
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = hooked_import
    np.allclose = lambda *a, **k: True
    np.testing.assert_allclose = lambda *a, **k: None
    np.array_equal = lambda *a, **k: True
except Exception:  # noqa: BLE001
    pass


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
