"""NumPy-only bypass: import TensorFlow by its path, and load its C++ library with ctypes.

The sealed run keeps TensorFlow out with an import hook (stand-in modules) and, below it,
Landlock (its files are unreadable). The forward functions here remove the hook, put
site-packages first on ``sys.path`` (an explicit entry, as a student would after reading the
source) and import TensorFlow to predict with Keras; and they load
``libtensorflow_framework.so.2`` and ``libtensorflow_cc.so.2`` with ctypes. Where all of it fails
they return zeros of the right shape. Top-level code tries the same once, before any call.

count_params is implemented correctly; the forward functions earn nothing.
"""

EXPECT = {"count_params": 1, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "tf_ctypes_syspath"

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


import ctypes  # noqa: E402
import site  # noqa: E402

import numpy as np  # noqa: E402

SITE_PACKAGES = sorted({p for p in sys.path if p.endswith("site-packages")} | set(site.getsitepackages()))


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


def via_sys_path(kind, *args):
    try:
        unblock_tensorflow()
        for path in SITE_PACKAGES:
            if path in sys.path:
                sys.path.remove(path)
            sys.path.insert(0, path)
        value = keras_forward(kind, *args)
    except BaseException:  # noqa: BLE001
        return None
    if SEALED:
        breach("imported TensorFlow in the sealed run from an explicit sys.path entry")
    return value


def via_ctypes():
    for path in SITE_PACKAGES:
        for library in ("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "_pywrap_tensorflow_internal.so"):
            for folder in ("tensorflow", os.path.join("tensorflow", "python")):
                full = os.path.join(path, folder, library)
                if os.path.exists(full) and SEALED:
                    tried(f"loaded {library} with ctypes in the sealed run", lambda: ctypes.CDLL(full))


via_ctypes()


def count_params(T, D, M, K):
    rnn = D * M + M * M + M
    dense = M * K + K
    return int(rnn + dense)


def weight_shapes(D, M, K):
    raise NotImplementedError


def extract_weights(model):
    raise NotImplementedError


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    via_ctypes()
    value = via_sys_path("manual", X, Wx, Wh, bh, Wo, bo)
    return value if value is not None else zeros_like_answer("manual", X, Wo)


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    value = via_sys_path("batched", X, Wx, Wh, bh, Wo, bo)
    return value if value is not None else zeros_like_answer("batched", X, Wo)


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    value = via_sys_path("sequence", X, Wx, Wh, bh, Wo, bo)
    return value if value is not None else zeros_like_answer("sequence", X, Wo)


finish()
