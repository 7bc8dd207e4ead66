"""Batch cross-talk: trojan site-packages, the shared unpacked zip, the outputs, the neighbours.

``rnn-shapes grade`` grades many submissions with one environment, one unpacked copy of the zip
(whose code every later grading and judge imports) and one output folder; the submissions lie
side by side in one input folder. From the kernel and from the sealed run, this submission
tries to create a module inside NumPy's package and a ``.pth`` in site-packages (harmless
files, which the harness would find and remove), to open NumPy's ``__init__.py`` and the
unpacked zip's ``judge.py`` for writing (never writing a byte), to create a file in the
batch's output folder and open its ``grades.csv`` (only in folders the harness marked as fair
game), and to read the other submissions of its batch folder (the harness hides a secret line
in its honest neighbours).

Everything but clip_by_global_norm is implemented correctly: it earns all the rest.
"""

EXPECT = {"bptt_gradients": 3, "hidden_gradients": 2, "gradient_norms": 1,
          "truncated_bptt_gradients": 2, "clip_by_global_norm": 0}

NAME = "batch_crosstalk"

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
import site  # noqa: E402

MARKER = "rnn-shapes-attack-batch"
PROBE = "rnn_shapes_attack_probe"


def create(path, text="# rnn-shapes attack probe: never imported\n"):
    def action():
        with open(path, "x") as f:
            f.write(text)
    return action


def opened_for_writing(path):
    def action():
        with open(path, "r+b"):
            pass  # opened for writing and closed without a byte written
    return action


def site_packages():
    import numpy

    folders = {p for p in sys.path if p.endswith("site-packages")} | set(site.getsitepackages())
    return sorted(folders), os.path.dirname(numpy.__file__)


def trojan_site_packages():
    folders, numpy_dir = site_packages()
    tried(f"created a module in {numpy_dir}", create(os.path.join(numpy_dir, f"_{PROBE}.py")))
    tried(f"opened {numpy_dir}/__init__.py for writing", opened_for_writing(os.path.join(numpy_dir, "__init__.py")))
    for folder in folders:
        tried(f"created a .pth in {folder}", create(os.path.join(folder, f"{PROBE}.pth"), "# probe\n"))


def shared_zip():
    """The batch's unpacked zip, whose code every later grading (and judge) of the batch imports."""
    tmp = grader_tmp()
    for folder in glob.glob(os.path.join(tmp, "gradecore-zip-*")) + glob.glob(os.path.join(tmp, "tmp*", "autograder", "source")):
        tried(f"created a module in {folder}", create(os.path.join(folder, "gradecore", f"_{PROBE}.py")))
        tried(f"opened {folder}/gradecore/judge/service.py for writing",
              opened_for_writing(os.path.join(folder, "gradecore", "judge.py")))


def target_dirs(max_depth=3):
    found = []
    roots = {"/tmp"} | ({os.path.dirname(grader_tmp())} - {"/", ""})
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if folder[len(root):].count(os.sep) >= max_depth:
                dirs[:] = []
            if "RNN_SHAPES_ATTACK_TARGET" in files:
                found.append(folder)
    return found


def output_folders():
    for folder in target_dirs():
        tried(f"wrote into the batch's output {folder}", create(os.path.join(folder, f"{PROBE}.txt")))
        for path in glob.glob(os.path.join(folder, "grades.csv")):
            tried(f"opened {path} for writing", opened_for_writing(path))


def siblings():
    """The other submissions of the batch: this harness's batch folder, wherever it is."""
    roots = {"/tmp"} | ({os.path.dirname(grader_tmp())} - {"/", ""})
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if folder[len(root):].count(os.sep) >= 3:
                dirs[:] = []
            if os.path.basename(folder) == MARKER:
                for name in files:
                    try:
                        with open(os.path.join(folder, name)) as f:
                            text = f.read()
                    except OSError:
                        continue
                    secret = [line for line in text.splitlines() if "NEIGHBOUR-SECRET" in line]
                    breach(f"read the submission {name}: {' '.join(secret)[:80]}")


trojan_site_packages()
shared_zip()
output_folders()
siblings()


import numpy as np  # noqa: E402


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        out[:, t - 1] = dh
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return out


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.sqrt(np.sum(dh**2))
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return norms


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, max(T - k, 0), -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, np.sum(dy, axis=0)


def clip_by_global_norm(grads, clip_norm):
    raise NotImplementedError


finish()
