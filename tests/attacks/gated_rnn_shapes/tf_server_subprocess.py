"""NumPy-only bypass: a Keras server process started at top level, spoken to over pipes.

Starting a process inside a NumPy-only call is refused, but one started by top-level code,
before any call, is already there: the graded functions only write to its pipe and read its
answer, which no audit hook or profiler sees. This submission starts ``python -c <server>``
at top level (in the sealed run too); the server imports Keras and answers each request with
``model.predict``. Where the server has no Keras (it inherits the sealed run's confinement), it
exits and the functions return zeros.

It implements nothing in NumPy: it earns nothing.
"""

EXPECT = {"lstm_count_params": 0, "gru_count_params": 0, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "tf_server_subprocess"

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

import io  # noqa: E402
import select  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402

SERVER = r"""
import io, struct, sys
import numpy as np
import tensorflow as tf
from tensorflow import keras
sys.stdout.buffer.write(b"R")
sys.stdout.buffer.flush()
while True:
    head = sys.stdin.buffer.read(4)
    if len(head) < 4:
        break
    data = np.load(io.BytesIO(sys.stdin.buffer.read(struct.unpack("!I", head)[0])))
    kind = str(data["kind"])
    X, kernel, recurrent, bias = data["X"], data["kernel"], data["recurrent"], data["bias"]
    M = recurrent.shape[0]
    inputs = keras.Input(shape=X.shape[1:])
    if kind == "states":
        _, h, c = keras.layers.LSTM(M, return_state=True)(inputs)
        model = keras.Model(inputs, [h, c])
        model.layers[1].set_weights([kernel, recurrent, bias])
        out = np.stack(model.predict(X, verbose=0))
    else:
        layer = keras.layers.GRU(M, reset_after=bias.ndim == 2) if kind == "gru" else keras.layers.LSTM(M)
        model = keras.Model(inputs, keras.layers.Dense(data["Wo"].shape[1])(layer(inputs)))
        model.set_weights([kernel, recurrent, bias, data["Wo"], data["bo"]])
        out = model.predict(X, verbose=0)
    buf = io.BytesIO()
    np.save(buf, np.asarray(out, np.float64))
    sys.stdout.buffer.write(struct.pack("!I", len(buf.getvalue())) + buf.getvalue())
    sys.stdout.buffer.flush()
"""

try:
    KERAS = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
except OSError:
    KERAS = None


def read_exactly(fd, size, deadline=8.0):
    data = b""
    while len(data) < size:
        ready, _, _ = select.select([fd], [], [], deadline)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def ask(kind, X, kernel, recurrent_kernel, bias, Wo=None, bo=None):
    if KERAS is None:
        return None
    try:
        fd = KERAS.stdout.fileno()
        if not getattr(ask, "ready", False):
            read_exactly(fd, 1, deadline=30)
            ask.ready = True
        buf = io.BytesIO()
        extra = {} if Wo is None else {"Wo": Wo, "bo": bo}
        np.savez(buf, kind=np.array(kind), X=X, kernel=kernel, recurrent=recurrent_kernel, bias=bias, **extra)
        os.write(KERAS.stdin.fileno(), struct.pack("!I", len(buf.getvalue())) + buf.getvalue())
        size = struct.unpack("!I", read_exactly(fd, 4))[0]
        out = np.load(io.BytesIO(read_exactly(fd, size)))
    except BaseException:  # noqa: BLE001
        return None
    if SEALED:
        breach(f"a Keras server answered {kind} in the sealed run")
    return (out[0], out[1]) if kind == "states" else out


def zeros(kind, X, kernel, recurrent_kernel, bias, Wo=None, bo=None):
    M = recurrent_kernel.shape[0]
    if kind == "states":
        return np.zeros((X.shape[0], M)), np.zeros((X.shape[0], M))
    return np.zeros((X.shape[0], Wo.shape[1]))


def answer(kind, *args):
    value = ask(kind, *args)
    return value if value is not None else zeros(kind, *args)


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
