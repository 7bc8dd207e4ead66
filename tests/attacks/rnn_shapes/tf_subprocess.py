"""NumPy-only bypass: have another Python process run Keras (subprocess, posix_spawn, fork).

A child process is a fresh interpreter that no profiler watches: the forward functions here
send their arguments to ``python -c <Keras script>`` and read the prediction back
(``subprocess.run`` in manual_forward, ``os.posix_spawn`` in batched_forward, a fork that
imports Keras in sequence_forward). Top-level code first checks whether a child Python of the
sealed run can import TensorFlow at all. Where it fails, the functions return zeros.

Nothing is implemented in NumPy: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "tf_subprocess"

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


import io  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402


def unblock_tensorflow():
    """Undo what the sealed run does about TensorFlow: its import hook and its stand-in modules."""
    for finder in list(sys.meta_path):
        if type(finder).__name__ == "_Blocker":
            sys.meta_path.remove(finder)
    for name in list(sys.modules):
        if name.split(".")[0] in ("tensorflow", "keras", "tf_keras") and type(sys.modules[name]).__name__ == "_StandModule":
            del sys.modules[name]


def keras_forward(kind, X, Wx, Wh, bh, Wo, bo):
    """Keras' own answer, which a NumPy-only question must not get from Keras."""
    import tensorflow as tf  # noqa: F401
    from tensorflow import keras

    single = X.ndim == 2
    batch = X[None] if single else X
    model = keras.Sequential([
        keras.Input(shape=batch.shape[1:]),
        keras.layers.SimpleRNN(Wh.shape[0], return_sequences=kind == "sequence"),
        keras.layers.Dense(Wo.shape[1]),
    ])
    model.set_weights([Wx, Wh, bh, Wo, bo])
    out = np.asarray(model.predict(batch, verbose=0), dtype=np.float64)
    return out[0] if single else out


def zeros_like_answer(kind, X, Wo):
    K = Wo.shape[1]
    if kind == "manual":
        return np.zeros(K)
    if kind == "sequence":
        return np.zeros((X.shape[0], X.shape[1], K))
    return np.zeros((X.shape[0], K))


SCRIPT = r"""
import io, sys
import numpy as np
data = np.load(io.BytesIO(sys.stdin.buffer.read()))
import tensorflow as tf
from tensorflow import keras
X, Wx, Wh, bh, Wo, bo = (data[k] for k in ("X", "Wx", "Wh", "bh", "Wo", "bo"))
single = X.ndim == 2
batch = X[None] if single else X
model = keras.Sequential([keras.Input(shape=batch.shape[1:]),
                          keras.layers.SimpleRNN(Wh.shape[0], return_sequences=bool(int(data["sequence"]))),
                          keras.layers.Dense(Wo.shape[1])])
model.set_weights([Wx, Wh, bh, Wo, bo])
out = np.asarray(model.predict(batch, verbose=0), dtype=np.float64)
buf = io.BytesIO()
np.save(buf, out[0] if single else out)
sys.stdout.buffer.write(buf.getvalue())
"""


def packed(kind, X, Wx, Wh, bh, Wo, bo):
    buf = io.BytesIO()
    np.savez(buf, X=X, Wx=Wx, Wh=Wh, bh=bh, Wo=Wo, bo=bo, sequence=np.array(kind == "sequence"))
    return buf.getvalue()


def via_subprocess(kind, *args):
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT], input=packed(kind, *args), capture_output=True,
                              timeout=8)
        return np.load(io.BytesIO(done.stdout))
    except BaseException:  # noqa: BLE001
        return None


def via_posix_spawn(kind, *args):
    try:
        folder = tempfile.mkdtemp()
        source, target = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npy")
        with open(source, "wb") as f:
            f.write(packed(kind, *args))
        script = f"import sys; sys.stdin = open({source!r}, 'rb'); sys.stdout = open({target!r}, 'wb')\n" + SCRIPT
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", script], dict(os.environ))
        os.waitpid(pid, 0)
        return np.load(target)
    except BaseException:  # noqa: BLE001
        return None


def via_fork(kind, *args):
    try:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                unblock_tensorflow()
                buf = io.BytesIO()
                np.save(buf, keras_forward(kind, *args))
                os.write(write, buf.getvalue())
            finally:
                os.kill(os.getpid(), 9)
        os.close(write)
        data = b""
        while chunk := os.read(read, 1 << 16):
            data += chunk
        os.waitpid(pid, 0)
        return np.load(io.BytesIO(data))
    except BaseException:  # noqa: BLE001
        return None


if SEALED:
    try:
        done = subprocess.run([sys.executable, "-c", "import tensorflow; print(tensorflow.__version__)"],
                              capture_output=True, timeout=60)
        if done.returncode == 0:
            breach(f"a child of the sealed run imported TensorFlow {done.stdout.strip()[:20]!r}")
    except BaseException:  # noqa: BLE001
        pass


def count_params(T, D, M, K):
    raise NotImplementedError


def weight_shapes(D, M, K):
    raise NotImplementedError


def extract_weights(model):
    raise NotImplementedError


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    value = via_subprocess("manual", X, Wx, Wh, bh, Wo, bo)
    return value if value is not None else zeros_like_answer("manual", X, Wo)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    value = via_posix_spawn("batched", X, Wx, Wh, bh, Wo, bo)
    return value if value is not None else zeros_like_answer("batched", X, Wo)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    value = via_fork("sequence", X, Wx, Wh, bh, Wo, bo)
    return value if value is not None else zeros_like_answer("sequence", X, Wo)


finish()
