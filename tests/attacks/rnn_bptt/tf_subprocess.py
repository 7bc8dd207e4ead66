"""NumPy-only bypass: have another Python process run tf.GradientTape (subprocess, posix_spawn, fork).

A child process is a fresh interpreter that no profiler watches: bptt_gradients sends its
arguments to ``python -c <tape script>`` and reads the gradients back (``subprocess.run``),
hidden_gradients does the same through ``os.posix_spawn`` and files, truncated_bptt_gradients
forks and imports TensorFlow in the child, and gradient_norms asks a ``multiprocessing`` pool.
Top-level code first checks whether a child Python of the sealed run can import TensorFlow at
all. Where it fails, the functions return zeros of the right shape.

clip_by_global_norm is implemented correctly; the rest earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 1}

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


def tape_answer(tf, kind, X, y, Wx, Wh, bh, Wo, bo, k=None):
    """tf.GradientTape's own answer, which a NumPy-only function must not get from TensorFlow:
    the five gradients (``kind`` "grads", truncated at h_{T-k} with ``k``), dL/dh_t ("hidden") or
    their norms ("norms")."""
    weights = [tf.Variable(np.asarray(w, np.float64)) for w in (Wx, Wh, bh, Wo, bo)]
    inputs, targets = tf.constant(np.asarray(X, np.float64)), tf.constant(np.asarray(y, np.float64))
    T = X.shape[1]
    with tf.GradientTape() as tape:
        h, states = tf.zeros((X.shape[0], Wh.shape[0]), tf.float64), []
        for t in range(T):
            if k is not None and t == T - k:
                h = tf.stop_gradient(h)
            h = tf.tanh(inputs[:, t] @ weights[0] + h @ weights[1] + weights[2])
            states.append(h)
        loss = tf.reduce_mean(tf.square(h @ weights[3] + weights[4] - targets))
    if kind == "grads":
        return tuple(g.numpy() for g in tape.gradient(loss, weights))
    dh = np.stack([g.numpy() for g in tape.gradient(loss, states)], axis=1)
    return dh if kind == "hidden" else np.sqrt(np.sum(dh**2, axis=(0, 2)))


def zeros_answer(kind, X, y, Wx, Wh, bh, Wo, bo, k=None):
    """Zeros of the right shape: what is returned where TensorFlow is out of reach."""
    if kind == "grads":
        return tuple(np.zeros(np.shape(w)) for w in (Wx, Wh, bh, Wo, bo))
    if kind == "hidden":
        return np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))
    return np.zeros(X.shape[1])


TAPE = r'''
def tape_answer(tf, kind, X, y, Wx, Wh, bh, Wo, bo, k=None):
    """tf.GradientTape's own answer, which a NumPy-only function must not get from TensorFlow:
    the five gradients (``kind`` "grads", truncated at h_{T-k} with ``k``), dL/dh_t ("hidden") or
    their norms ("norms")."""
    weights = [tf.Variable(np.asarray(w, np.float64)) for w in (Wx, Wh, bh, Wo, bo)]
    inputs, targets = tf.constant(np.asarray(X, np.float64)), tf.constant(np.asarray(y, np.float64))
    T = X.shape[1]
    with tf.GradientTape() as tape:
        h, states = tf.zeros((X.shape[0], Wh.shape[0]), tf.float64), []
        for t in range(T):
            if k is not None and t == T - k:
                h = tf.stop_gradient(h)
            h = tf.tanh(inputs[:, t] @ weights[0] + h @ weights[1] + weights[2])
            states.append(h)
        loss = tf.reduce_mean(tf.square(h @ weights[3] + weights[4] - targets))
    if kind == "grads":
        return tuple(g.numpy() for g in tape.gradient(loss, weights))
    dh = np.stack([g.numpy() for g in tape.gradient(loss, states)], axis=1)
    return dh if kind == "hidden" else np.sqrt(np.sum(dh**2, axis=(0, 2)))
'''
"""The tape, as source: the children define it from this text."""

SCRIPT = r"""
import io, sys
import numpy as np
data = np.load(io.BytesIO(sys.stdin.buffer.read()))
import tensorflow as tf
""" + TAPE + r"""
k = int(data["k"])
out = tape_answer(tf, str(data["kind"]), *(data[n] for n in ("X", "y", "Wx", "Wh", "bh", "Wo", "bo")), k=k if k > 0 else None)
buf = io.BytesIO()
np.savez(buf, *(out if isinstance(out, tuple) else (out,)))
sys.stdout.buffer.write(buf.getvalue())
"""


def packed(kind, X, y, Wx, Wh, bh, Wo, bo, k=None):
    buf = io.BytesIO()
    np.savez(buf, kind=np.array(kind), X=X, y=y, Wx=Wx, Wh=Wh, bh=bh, Wo=Wo, bo=bo, k=np.array(k or 0))
    return buf.getvalue()


def unpacked(kind, data):
    arrays = np.load(io.BytesIO(data))
    values = tuple(arrays[f"arr_{i}"] for i in range(len(arrays.files)))
    return values if kind == "grads" else values[0]


def via_subprocess(*args):
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT], input=packed(*args), capture_output=True, timeout=20)
        return unpacked(args[0], done.stdout)
    except BaseException:  # noqa: BLE001
        return None


def via_posix_spawn(*args):
    try:
        folder = tempfile.mkdtemp()
        source, target = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npz")
        with open(source, "wb") as f:
            f.write(packed(*args))
        script = f"import sys; sys.stdin = open({source!r}, 'rb'); sys.stdout = open({target!r}, 'wb')\n" + SCRIPT
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", script], dict(os.environ))
        os.waitpid(pid, 0)
        with open(target, "rb") as f:
            return unpacked(args[0], f.read())
    except BaseException:  # noqa: BLE001
        return None


def via_fork(*args):
    try:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                unblock_tensorflow()
                import tensorflow as tf

                out = tape_answer(tf, *args)
                buf = io.BytesIO()
                np.savez(buf, *(out if isinstance(out, tuple) else (out,)))
                os.write(write, buf.getvalue())
            finally:
                os.kill(os.getpid(), 9)
        os.close(write)
        data = b""
        while chunk := os.read(read, 1 << 16):
            data += chunk
        os.waitpid(pid, 0)
        return unpacked(args[0], data)
    except BaseException:  # noqa: BLE001
        return None


def in_pool(*args):
    try:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(1) as pool:
            data = pool.apply(subprocess.run, ([sys.executable, "-c", SCRIPT],),
                              {"input": packed(*args), "capture_output": True, "timeout": 20})
        return unpacked(args[0], data.stdout)
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


def answer(value, *args):
    if value is not None and SEALED:
        breach(f"a child process answered {args[0]} with TensorFlow in the sealed run")
    return value if value is not None else zeros_answer(*args)


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    args = ("grads", X, y, Wx, Wh, bh, Wo, bo)
    return answer(via_subprocess(*args), *args)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    args = ("hidden", X, y, Wx, Wh, bh, Wo, bo)
    return answer(via_posix_spawn(*args), *args)


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    args = ("norms", X, y, Wx, Wh, bh, Wo, bo)
    return answer(in_pool(*args), *args)


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    args = ("grads", X, y, Wx, Wh, bh, Wo, bo, k)
    return answer(via_fork(*args), *args)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
