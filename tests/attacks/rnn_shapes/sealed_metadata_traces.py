"""Carry hidden inputs from the sealed run to the kernel through file metadata.

Landlock governs opening files, not their metadata. The NumPy-only sealed run holds the hidden
inputs of manual_forward; on its first call it writes them (six decimals of the first values of X,
each digit spelled as a letter: a for 0 ... j for 9, p for the point) into the traces a file keeps
besides its content: the target of a symlink it leaves in its scratch folder, the times, mode
bits and extended attributes of a file there and of its scratch folder, and (what the kernel can
always find) the times, mode bits, extended attributes and flags of the submission's own files.
The kernel, which runs after it and whose cell errors reach ``results.json``, looks for each
trace beside its own home and in the submission's folder and raises what it found at top level,
in digits: a hidden input there is a leak, and any trace found is a breach.

Every function is implemented correctly: it earns all its points.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 1, "manual_forward": 2,
          "batched_forward": 2, "sequence_forward": 2}

NAME = "sealed_metadata_traces"
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

import numpy as np  # noqa: E402

LETTERS = str.maketrans("0123456789.", "abcdefghijp")
DIGITS = str.maketrans("abcdefghijp", "0123456789.")
MARK = "leak_"


def spelled(values):
    return MARK + "_".join(f"{abs(float(v)):.6f}".translate(LETTERS) for v in values)


def in_digits(word):
    return " ".join(part.translate(DIGITS) for part in word[len(MARK):].split("_"))


def submission_files():
    return [p for p in glob.glob(os.path.join(os.getcwd(), "*")) if os.path.isfile(p) and not os.path.islink(p)]


def leave_traces(X):
    """In the sealed run, on the first call: every trace it can leave, each carrying X's first values."""
    word = spelled(np.asarray(X).ravel()[:3])
    seconds = int(abs(float(np.asarray(X).ravel()[0])) * 10**6) + 10**6
    home = os.environ.get("HOME", "")
    mine = os.path.join(home, "traces")
    try:
        os.symlink(word, os.path.join(home, "link"))
        with open(mine, "w") as f:
            f.write("x")
    except OSError:
        pass
    for path in (mine, home):
        for what, action in (("time", lambda p=path: os.utime(p, (seconds, seconds))),
                             ("mode", lambda p=path: os.chmod(p, 0o700 | (seconds % 64))),
                             ("xattr", lambda p=path: os.setxattr(p, "user.leak", word.encode()))):
            try:
                action()
            except OSError:
                pass
    for path in submission_files():
        tried(f"set a time on the submission's {os.path.basename(path)}", lambda p=path: os.utime(p, (seconds, seconds)))
        tried(f"set an attribute on the submission's {os.path.basename(path)}",
              lambda p=path: os.setxattr(p, "user.leak", word.encode()))
        tried(f"set the mode of the submission's {os.path.basename(path)}", lambda p=path: os.chmod(p, 0o600 | (seconds % 8)))


def read_traces():
    """In the kernel: every trace beside its home (the sealed runs' folders) and on the submission."""
    found = []
    box = os.path.dirname(os.environ.get("HOME", "") or "/nonexistent/x")
    for folder in glob.glob(os.path.join(box, "sealed*")) + glob.glob(os.path.join(box, "library*")):
        for entry in [folder, *glob.glob(os.path.join(folder, "*"))]:
            try:
                if os.path.islink(entry) and os.readlink(entry).startswith(MARK):
                    found.append(f"link target {in_digits(os.readlink(entry))}")
                info = os.lstat(entry)
                if 10**6 <= info.st_mtime < 3 * 10**6:
                    found.append(f"mtime {(info.st_mtime - 10**6) / 10**6:.6f}")
                value = os.getxattr(entry, "user.leak", follow_symlinks=False).decode()
                found.append(f"attribute {in_digits(value)}")
            except OSError:
                pass
    for path in submission_files():
        try:
            info = os.stat(path)
            if 10**6 <= info.st_mtime < 3 * 10**6:
                found.append(f"submission mtime {(info.st_mtime - 10**6) / 10**6:.6f}")
            found.append(f"submission attribute {in_digits(os.getxattr(path, 'user.leak').decode())}")
        except OSError:
            pass
    return found


LEFT = [False]


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    if SEALED and not LEFT[0]:
        LEFT[0] = True
        leave_traces(X)
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def count_params(T, D, M, K):
    rnn = D * M + M * M + M
    dense = M * K + K
    return int(rnn + dense)


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def extract_weights(model):
    Wx, Wh, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh, bh, Wo, bo


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


if not SEALED:
    for trace in read_traces():
        breach(f"the kernel read a trace of the sealed run: {trace}")
finish()
