"""NumPy-only bypass: Keras 3 from a copy outside site-packages, under its NumPy backend.

The sealed run keeps the forbidden libraries out of reach by leaving their folders out of what
Landlock lets it read in site-packages. But it may read the whole of ``/usr`` and ``/opt`` (and
the Python it was made from), and a machine may keep other copies there: a wheel in a local
package index or cache (``/opt/pypi/files/keras-3.*.whl`` on the project's machine), another
Python's site-packages, a conda package cache. Keras 3 is pure Python, importable from its wheel
as a zip, and computes with its ``numpy`` backend; its imports of JAX and TensorFlow get
stand-ins, SciPy comes from the base Python's site-packages. Each module is compiled under a
file name without ``/keras/`` in it, which the grader's profiler looks for.

lstm_forward and gru_forward build the Keras model of the call and return what it computes;
where no copy is found (or it cannot be read) they return zeros.

The two count functions are implemented correctly; the forward functions earn nothing.
"""

EXPECT = {"lstm_count_params": 1, "gru_count_params": 1, "lstm_gate_weights": 0,
          "lstm_forward": 0, "lstm_states": 0, "gru_forward": 0}

NAME = "keras_wheel_elsewhere_gated"

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


def finish():
    """Say what worked where the grader shows it: an error of the script's last statement."""
    if BREACHES:
        raise RuntimeError(f"ATTACK-BREACH {NAME}: " + "; ".join(BREACHES))


import glob  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.machinery  # noqa: E402
import types  # noqa: E402
import zipfile  # noqa: E402

import numpy as np  # noqa: E402

STUBBED = ("jax", "jaxlib", "tensorflow", "torch")
WHEEL_PATTERNS = ("/opt/*/files/keras-3*.whl", "/opt/**/keras-3*.whl", "/usr/share/**/keras-3*.whl",
                  "/usr/local/lib/**/keras-3*.whl")


class _Anything:
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Anything()

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Anything()

    def __mro_entries__(self, bases):
        return (object,)

    def __getitem__(self, key):
        return _Anything()

    def __iter__(self):
        return iter(())


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Anything()


class Stubs(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """JAX and TensorFlow, which Keras' NumPy backend imports but does not use here: empty stand-ins."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in STUBBED:
            spec = importlib.machinery.ModuleSpec(fullname, self, is_package=True)
            spec.submodule_search_locations = []
            return spec
        return None

    def create_module(self, spec):
        return _StubModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


class FromWheel(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Keras' modules from its wheel, each compiled under a file name the grader does not look for."""

    def __init__(self, path):
        self.zf = zipfile.ZipFile(path)
        self.names = set(self.zf.namelist())

    def _member(self, fullname):
        base = fullname.replace(".", "/")
        if base + "/__init__.py" in self.names:
            return base + "/__init__.py", True
        if base + ".py" in self.names:
            return base + ".py", False
        return None, False

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] != "keras":
            return None
        member, package = self._member(fullname)
        if member is None:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, is_package=package)
        if package:
            spec.submodule_search_locations = []
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        member, _ = self._member(module.__name__)
        disguised = "/k3/" + member.replace("keras", "kk")
        module.__file__ = disguised
        exec(compile(self.zf.read(member), disguised, "exec"), module.__dict__)


def load_keras():
    os.environ["KERAS_BACKEND"] = "numpy"
    for base in glob.glob(sys.base_prefix + "/lib/python3*/site-packages"):
        if base not in sys.path:
            sys.path.append(base)  # SciPy, which the venv lacks
    wheels = []
    for pattern in WHEEL_PATTERNS:
        try:
            wheels += glob.glob(pattern, recursive=True)
        except OSError:
            pass
    for wheel in sorted(set(wheels)):
        for name in [n for n in sys.modules if n.split(".")[0] in ("keras", *STUBBED)]:
            del sys.modules[name]
        try:
            sys.meta_path[:0] = [FromWheel(wheel), Stubs()]
            import keras

            keras.Sequential  # noqa: B018
            return keras
        except BaseException:  # noqa: BLE001 - unreadable or not that Keras: the next one
            sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, (FromWheel, Stubs))]
    return None


KERAS = load_keras() if SEALED else None
if KERAS is not None:
    breach("imported Keras 3 from a wheel outside site-packages in the sealed run")


def keras_forward(kind, X, kernel, recurrent_kernel, bias, Wo, bo):
    keras = KERAS
    M = recurrent_kernel.shape[0]
    layer = keras.layers.LSTM(M) if kind == "lstm" else keras.layers.GRU(M, reset_after=bias.ndim == 2)
    model = keras.Sequential([keras.Input(shape=X.shape[1:]), layer, keras.layers.Dense(Wo.shape[1])])
    model.set_weights([kernel, recurrent_kernel, bias, Wo, bo])
    return np.asarray(model(X), dtype=np.float64)  # predict starts a thread, which a call may not


if KERAS is not None:  # what the first prediction imports, imported before the calls (each has 10 s)
    try:
        keras_forward("lstm", np.zeros((1, 2, 1)), np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4),
                      np.zeros((1, 1)), np.zeros(1))
        keras_forward("gru", np.zeros((1, 2, 1)), np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 3)),
                      np.zeros((1, 1)), np.zeros(1))
    except BaseException:  # noqa: BLE001
        KERAS = None


def answer(kind, X, kernel, recurrent_kernel, bias, Wo, bo):
    if KERAS is not None:
        try:
            return keras_forward(kind, X, kernel, recurrent_kernel, bias, Wo, bo)
        except BaseException:  # noqa: BLE001
            pass
    return np.zeros((X.shape[0], Wo.shape[1]))


def lstm_count_params(D, M, K):
    return int(4 * (D * M + M * M + M) + M * K + K)


def gru_count_params(D, M, K, reset_after=True):
    return int(3 * (D * M + M * M) + (6 * M if reset_after else 3 * M) + M * K + K)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_states(X, kernel, recurrent_kernel, bias):
    raise NotImplementedError


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return answer("lstm", X, kernel, recurrent_kernel, bias, Wo, bo)


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    return answer("gru", X, kernel, recurrent_kernel, bias, Wo, bo)


finish()
