"""Batch cross-talk: trojan site-packages and the batch's shared unpacked zip, touch the outputs.

Every grading of a batch uses the same Python environment, imports its grading code (plugin,
judge) from one unpacked copy of the zip, and writes into one output folder. From the kernel
and from the sealed run, this submission tries to create a module inside NumPy's package and
a ``.pth`` file in site-packages (harmless files, which the harness would find and remove), to
open NumPy's ``__init__.py`` and the unpacked zip's ``gradecore/judge/service.py`` for writing (never
writing a byte), to create a module in the unpacked zip, and to create a file in the batch's
output folder and open its ``grades.csv`` (only folders the harness marked as fair game).

Every function is implemented correctly: it earns full marks.
"""

EXPECT = {"lstm_count_params": 1, "gru_count_params": 1, "lstm_gate_weights": 1,
          "lstm_forward": 2, "lstm_states": 2, "gru_forward": 2}

NAME = "site_packages_zip"

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


def lstm_count_params(D, M, K):
    lstm = 4 * (D * M + M * M + M)
    dense = M * K + K
    return int(lstm + dense)


def gru_count_params(D, M, K, reset_after=True):
    bias = 2 * 3 * M if reset_after else 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(['i', 'f', 'c', 'o']):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols], recurrent_kernel[:, cols], bias[cols])
    return gates


def lstm_states(X, kernel, recurrent_kernel, bias):

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, 0 * M:1 * M])
        f = sigmoid(z[:, 1 * M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * g
        h = o * np.tanh(c)
    return (h, c)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, 0 * M:1 * M])
        f = sigmoid(z[:, 1 * M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))
    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    if reset_after:
        input_bias, recurrent_bias = (bias[0], bias[1])
    else:
        input_bias, recurrent_bias = (bias, np.zeros(3 * M))
    U_zr, U_h = (recurrent_kernel[:, :2 * M], recurrent_kernel[:, 2 * M:])
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + input_bias
        if reset_after:
            u = h @ recurrent_kernel + recurrent_bias
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:2 * M])
            candidate = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            u = h @ U_zr
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:])
            candidate = np.tanh(x[:, 2 * M:] + r * h @ U_h)
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo


finish()
