"""NumPy-only bypass: load TensorFlow from its files by other routes, or from a copy of them.

The sealed run cannot read TensorFlow's files (Landlock). The forward functions try every other
way to its code: ``importlib.util.spec_from_file_location`` on ``tensorflow/__init__.py``; the
same file through ``/proc/self/root``; a hard link to it and a copy of it (and of TensorFlow's
shared library) in the run's own home, then an import from the copy; and the top-level code
tries the copy of the whole package once. Where all of it fails they return zeros.

It implements nothing in NumPy: it earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "tf_copy_files"

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

import importlib.util  # noqa: E402
import shutil  # noqa: E402
import site  # noqa: E402

SITE_PACKAGES = sorted({p for p in sys.path if p.endswith("site-packages")} | set(site.getsitepackages()))
TF_DIRS = [os.path.join(p, "tensorflow") for p in SITE_PACKAGES if os.path.isdir(os.path.join(p, "tensorflow"))]


def unblock_tensorflow():
    """Undo what the sealed run does about TensorFlow: its import hook and its stand-in modules."""
    for finder in list(sys.meta_path):
        if type(finder).__name__ == "_Blocker":
            sys.meta_path.remove(finder)
    for name in list(sys.modules):
        if name.split(".")[0] in ("tensorflow", "keras", "tf_keras") and type(sys.modules[name]).__name__ == "_StandModule":
            del sys.modules[name]


def keras_answer(kind, X, kernel, recurrent_kernel, bias, Wo=None, bo=None):
    """Keras' own answer, which a NumPy-only question must not get from Keras."""
    from tensorflow import keras

    M = recurrent_kernel.shape[0]
    inputs = keras.Input(shape=X.shape[1:])
    if kind == "gru":
        hidden = keras.layers.GRU(M, reset_after=bias.ndim == 2)(inputs)
    elif kind == "states":
        _, h, c = keras.layers.LSTM(M, return_state=True)(inputs)
        model = keras.Model(inputs, [h, c])
        model.layers[1].set_weights([kernel, recurrent_kernel, bias])
        h, c = model.predict(X, verbose=0)
        return np.asarray(h, np.float64), np.asarray(c, np.float64)
    else:
        hidden = keras.layers.LSTM(M)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(Wo.shape[1])(hidden))
    model.set_weights([kernel, recurrent_kernel, bias, Wo, bo])
    return np.asarray(model.predict(X, verbose=0), np.float64)


def zeros_answer(kind, X, kernel, recurrent_kernel, bias, Wo=None, bo=None):
    M = recurrent_kernel.shape[0]
    if kind == "states":
        return np.zeros((X.shape[0], M)), np.zeros((X.shape[0], M))
    return np.zeros((X.shape[0], Wo.shape[1]))


def load(init, name="tensorflow"):
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[os.path.dirname(init)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def routes():
    home = os.environ.get("HOME", "/tmp")
    for folder in TF_DIRS:
        init = os.path.join(folder, "__init__.py")
        yield "spec_from_file_location", lambda: load(init)
        yield "/proc/self/root", lambda: load("/proc/self/root" + init)

        def linked():
            target = os.path.join(home, "tf_link.py")
            os.link(init, target)
            return load(target)

        def copied():
            target = os.path.join(home, "tf_copy", "tensorflow")
            os.makedirs(target, exist_ok=True)
            shutil.copyfile(init, os.path.join(target, "__init__.py"))
            shutil.copyfile(os.path.join(folder, "libtensorflow_framework.so.2"),
                            os.path.join(target, "libtensorflow_framework.so.2"))
            sys.path.insert(0, os.path.dirname(target))
            return load(os.path.join(target, "__init__.py"))

        yield "a hard link", linked
        yield "a copy", copied


def by_any_route(kind, *args):
    if not SEALED:
        return None
    unblock_tensorflow()
    for route, action in routes():
        try:
            action()
        except BaseException:  # noqa: BLE001
            continue
        breach(f"loaded TensorFlow's code in the sealed run by {route}")
        try:
            return keras_answer(kind, *args)
        except BaseException:  # noqa: BLE001
            return None
    return None


if SEALED:
    try:
        shutil.copytree(TF_DIRS[0], os.path.join(os.environ["HOME"], "tf_tree", "tensorflow"))
        breach("copied TensorFlow's package in the sealed run")
    except Exception:  # noqa: BLE001
        pass


def answer(kind, *args):
    value = by_any_route(kind, *args)
    return value if value is not None else zeros_answer(kind, *args)


def lstm_count_params(D, M, K):
    raise NotImplementedError


def gru_count_params(D, M, K, reset_after=True):
    raise NotImplementedError


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_states(X, kernel, recurrent_kernel, bias):
    return answer("states", X, kernel, recurrent_kernel, bias)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return answer("lstm", X, kernel, recurrent_kernel, bias, Wo, bo)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return answer("gru", X, kernel, recurrent_kernel, bias, Wo, bo)


finish()
