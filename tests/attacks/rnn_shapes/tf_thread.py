"""NumPy-only bypass: run TensorFlow in a thread the grader's profiler does not see.

The old guard against TensorFlow in a NumPy-only function was a profiler, set with
``sys.setprofile`` and ``threading.setprofile``: a thread started with ``_thread.start_new_thread``
gets neither, so TensorFlow running there went unseen. The forward functions here hand the
computation to Keras in such a thread (manual_forward, sequence_forward) or in a
``threading.Thread`` (batched_forward), after undoing the sealed run's import hook and stand-in
modules; where Keras is out of reach they return zeros of the right shape.

count_params, weight_shapes and extract_weights (which may use Keras: it is handed a model) are
implemented correctly; the forward functions earn nothing, since they never compute in NumPy.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 1, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

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


def in_raw_thread(function, *args):
    box, done = {}, _thread.allocate_lock()
    done.acquire()

    def run():
        try:
            unblock_tensorflow()
            box["value"] = function(*args)
        except BaseException as e:  # noqa: BLE001
            box["error"] = repr(e)
        finally:
            done.release()

    _thread.start_new_thread(run, ())
    done.acquire(timeout=8)
    return box.get("value")


def in_threading_thread(function, *args):
    box = {}

    def run():
        try:
            unblock_tensorflow()
            box["value"] = function(*args)
        except BaseException as e:  # noqa: BLE001
            box["error"] = repr(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(8)
    return box.get("value")


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


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    value = in_raw_thread(keras_forward, "manual", X, Wx, Wh, bh, Wo, bo)
    if value is not None and SEALED:
        breach("Keras ran in a raw thread of the sealed run")
    return value if value is not None else zeros_like_answer("manual", X, Wo)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    value = in_threading_thread(keras_forward, "batched", X, Wx, Wh, bh, Wo, bo)
    if value is not None and SEALED:
        breach("Keras ran in a thread of the sealed run")
    return value if value is not None else zeros_like_answer("batched", X, Wo)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    value = in_raw_thread(keras_forward, "sequence", X, Wx, Wh, bh, Wo, bo)
    if value is not None and SEALED:
        breach("Keras ran in a raw thread of the sealed run")
    return value if value is not None else zeros_like_answer("sequence", X, Wo)


finish()
