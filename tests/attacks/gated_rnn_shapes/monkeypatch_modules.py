"""Monkeypatch the grading machinery in the sealed run and the kernel: sys.modules, __import__.

The sealed run calls the hidden checks through ``gradecore.kernel.calls.outcomes_with`` and describes
answers with ``gradecore.public.encode``; the old judge compared them in the student's process with
NumPy. This submission's top-level code puts stand-ins of ``gradecore.judge.diagnosis``,
``gradecore.public.compare`` and ``gradecore.judge.service`` (every verdict passes) in ``sys.modules``, hooks
``builtins.__import__`` to hand them out, makes NumPy's comparisons always agree, and replaces
``outcomes_with`` with one that reports "returned" answers (zeros) for every question but
lstm_gate_weights, which it still runs for real.

lstm_gate_weights is implemented correctly: only it earns its point.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 1,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "monkeypatch_modules"

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

import builtins  # noqa: E402
import types  # noqa: E402


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

    real_outcomes = gradecore.kernel.calls.outcomes_with

    def forged_outcomes(function, reply, builders=None):
        if getattr(function, "__name__", "") == "lstm_gate_weights":
            return real_outcomes(function, reply, builders)
        zero = gradecore.public.encode.encode_value(np.zeros((2, 2)))
        return [{"status": "returned", "value": zero} for _ in reply["calls"]]

    gradecore.kernel.calls.outcomes_with = forged_outcomes
    fakes = {
        "gradecore.judge.diagnosis": stand_in("gradecore.judge.diagnosis", decide=lambda spec, q, *a, **k: Passed(q), Verdict=Passed),
        "gradecore.public.compare": stand_in("gradecore.public.compare", check_array=lambda *a, **k: None,
                                      same_answer=lambda *a, **k: True),
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
    np.isclose = lambda a, b, *x, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
    np.testing.assert_allclose = lambda *a, **k: None
except Exception:  # noqa: BLE001
    pass


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    raise NotImplementedError


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(['i', 'f', 'c', 'o']):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols], recurrent_kernel[:, cols], bias[cols])
    return gates


def lstm_states(X, kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    raise NotImplementedError


finish()
