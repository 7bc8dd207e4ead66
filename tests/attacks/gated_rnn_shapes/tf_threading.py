"""NumPy-only bypass: Keras in threads the grader's profiler does not watch.

The old guard against TensorFlow was a profiler (``sys.setprofile``, ``threading.setprofile``):
``_thread.start_new_thread`` threads escape both, and a thread started at top level, before any
call, runs unwatched. lstm_forward hands the work to a raw ``_thread`` thread, lstm_states to a
``threading.Thread``, and gru_forward to a server thread started at top level (it would have
to survive the fork of each call: it does not, so gru_forward also starts one of its own).
Each undoes the sealed run's import hook first; where Keras is out of reach the functions
return zeros.

The count functions and lstm_gate_weights are implemented correctly; the forward functions
earn nothing, since they never compute in NumPy.
"""

EXPECT = {"lstm_count_params": 1, "gru_count_params": 1, "lstm_gate_weights": 1,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "tf_threading"

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

import _thread  # noqa: E402
import queue  # noqa: E402
import threading  # noqa: E402


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


def in_raw_thread(*args):
    box, done = {}, _thread.allocate_lock()
    done.acquire()

    def run():
        try:
            unblock_tensorflow()
            box["value"] = keras_answer(*args)
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
            unblock_tensorflow()
            box["value"] = keras_answer(*args)
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
            unblock_tensorflow()
            ANSWERS.put(keras_answer(*args))
        except BaseException:  # noqa: BLE001
            ANSWERS.put(None)


_thread.start_new_thread(server, ())


def via_server(*args):
    REQUESTS.put(args)
    try:
        return ANSWERS.get(timeout=0.5)
    except queue.Empty:
        return in_raw_thread(*args)


def answer(value, kind, *args):
    if value is not None and SEALED:
        breach(f"Keras answered {kind} in the sealed run")
    return value if value is not None else zeros_answer(kind, *args)


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
    args = (X, kernel, recurrent_kernel, bias)
    return answer(in_thread("states", *args), "states", *args)


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    args = (X, kernel, recurrent_kernel, bias, Wo, bo)
    return answer(in_raw_thread("lstm", *args), "lstm", *args)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    args = (X, kernel, recurrent_kernel, bias, Wo, bo)
    return answer(via_server("gru", *args), "gru", *args)


finish()
