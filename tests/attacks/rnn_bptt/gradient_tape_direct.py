"""NumPy-only bypass, the obvious way: call tf.GradientTape, Keras and tf.clip_by_global_norm.

Every function here is a NumPy-only function that asks TensorFlow instead. bptt_gradients
imports TensorFlow and differentiates with ``tf.GradientTape``; hidden_gradients first removes
the sealed run's import hook and stand-in modules and imports it by a name put together at run
time (``importlib.import_module("tensor" + "flow")``); gradient_norms steps Keras' own
``SimpleRNNCell`` under a tape; truncated_bptt_gradients uses the TensorFlow module that
top-level code imported before any call; clip_by_global_norm calls ``tf.clip_by_global_norm``
through that module, else through a fresh import. Where TensorFlow is out of reach they return
zeros of the right shape (clip_by_global_norm: its arguments unchanged, and 0).

It computes nothing in NumPy: it earns nothing.
"""

EXPECT = {"bptt_gradients": 0, "hidden_gradients": 0, "gradient_norms": 0,
          "truncated_bptt_gradients": 0, "clip_by_global_norm": 0}

NAME = "gradient_tape_direct"

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


import importlib  # noqa: E402

import numpy as np  # noqa: E402

try:
    import tensorflow as TF_AT_TOP  # real TensorFlow in the kernel; a stand-in (or nothing) in the sealed run
except BaseException:  # noqa: BLE001
    TF_AT_TOP = None


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


def answered(value, what):
    if SEALED:
        breach(f"TensorFlow answered {what} in the sealed run")
    return value


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    try:
        import tensorflow as tf

        return answered(tape_answer(tf, "grads", X, y, Wx, Wh, bh, Wo, bo), "bptt_gradients")
    except BaseException:  # noqa: BLE001
        return zeros_answer("grads", X, y, Wx, Wh, bh, Wo, bo)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    try:
        unblock_tensorflow()
        tf = importlib.import_module("tensor" + "flow")
        return answered(tape_answer(tf, "hidden", X, y, Wx, Wh, bh, Wo, bo), "hidden_gradients")
    except BaseException:  # noqa: BLE001
        return zeros_answer("hidden", X, y, Wx, Wh, bh, Wo, bo)


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    try:
        unblock_tensorflow()
        import tensorflow as tf
        from tensorflow import keras

        cell = keras.layers.SimpleRNNCell(Wh.shape[0])
        cell.build((None, X.shape[2]))
        cell.set_weights([Wx, Wh, bh])
        with tf.GradientTape() as tape:
            h, states = tf.zeros((X.shape[0], Wh.shape[0])), []
            for t in range(X.shape[1]):
                h, _ = cell(X[:, t], [h])
                states.append(h)
            loss = keras.losses.MeanSquaredError()(y, h @ Wo + bo)
        norms = np.array([tf.norm(g).numpy() for g in tape.gradient(loss, states)])
        return answered(norms, "gradient_norms")
    except BaseException:  # noqa: BLE001
        return zeros_answer("norms", X, y, Wx, Wh, bh, Wo, bo)


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    try:
        return answered(tape_answer(TF_AT_TOP, "grads", X, y, Wx, Wh, bh, Wo, bo, k), "truncated_bptt_gradients")
    except BaseException:  # noqa: BLE001
        return zeros_answer("grads", X, y, Wx, Wh, bh, Wo, bo)


def clip_by_global_norm(grads, clip_norm):
    for tf in (TF_AT_TOP, None):
        try:
            if tf is None:
                unblock_tensorflow()
                tf = importlib.import_module("tensorflow")
            clipped, norm = tf.clip_by_global_norm([np.asarray(g) for g in grads], clip_norm)
            return answered(([c.numpy() for c in clipped], float(norm)), "clip_by_global_norm")
        except BaseException:  # noqa: BLE001
            continue
    return list(grads), 0.0


finish()
