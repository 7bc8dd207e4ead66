"""NumPy-only bypass: tf.GradientTape in threads the grader's profiler does not watch.

The old guard against TensorFlow in a NumPy-only function was a profiler (``sys.setprofile``,
``threading.setprofile``): a thread started with ``_thread.start_new_thread`` gets neither, and a
thread started at top level, before any call, runs unwatched. bptt_gradients hands the tape to
a raw ``_thread`` thread, hidden_gradients to a ``threading.Thread``, and
truncated_bptt_gradients to a server thread started at top level (should it not survive the
call's process, a raw thread of its own), each after undoing the sealed run's import hook and
stand-in modules; where TensorFlow is out of reach they return zeros of the right shape.

gradient_norms and clip_by_global_norm are implemented correctly in NumPy; the three others
earn nothing, since they never compute in NumPy.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 1,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 1}

NAME = "tf_thread"

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


import _thread  # noqa: E402
import queue  # noqa: E402
import threading  # noqa: E402

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


def with_tensorflow(*args):
    unblock_tensorflow()
    import tensorflow as tf

    return tape_answer(tf, *args)


def in_raw_thread(*args):
    box, done = {}, _thread.allocate_lock()
    done.acquire()

    def run():
        try:
            box["value"] = with_tensorflow(*args)
        except BaseException as e:  # noqa: BLE001
            box["error"] = repr(e)
        finally:
            done.release()

    _thread.start_new_thread(run, ())
    done.acquire(timeout=8)
    return box.get("value")


def in_thread(*args):
    box = {}

    def run():
        try:
            box["value"] = with_tensorflow(*args)
        except BaseException as e:  # noqa: BLE001
            box["error"] = repr(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(8)
    return box.get("value")


REQUESTS, ANSWERS = queue.Queue(), queue.Queue()


def server():
    while True:
        args = REQUESTS.get()
        try:
            ANSWERS.put(with_tensorflow(*args))
        except BaseException:  # noqa: BLE001
            ANSWERS.put(None)


_thread.start_new_thread(server, ())


def via_server(*args):
    REQUESTS.put(args)
    try:
        return ANSWERS.get(timeout=0.5)
    except queue.Empty:
        return in_raw_thread(*args)


def answer(value, *args):
    if value is not None and SEALED:
        breach(f"TensorFlow answered {args[0]} in the sealed run")
    return value if value is not None else zeros_answer(*args)


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    args = ("grads", X, y, Wx, Wh, bh, Wo, bo)
    return answer(in_raw_thread(*args), *args)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    args = ("hidden", X, y, Wx, Wh, bh, Wo, bo)
    return answer(in_thread(*args), *args)


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
    args = ("grads", X, y, Wx, Wh, bh, Wo, bo, k)
    return answer(via_server(*args), *args)


def clip_by_global_norm(grads, clip_norm):
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm


finish()
