"""The sealed run: a fresh, confined process that defines the submission's functions and calls them.

The trusted side (the otter plugin) starts it with ``python -I`` (never forked from the student's
kernel), and it confines itself (:mod:`.confine`) before it reads any student code. Then, over its
standard input and output (the only channels it has):

1. it receives the submission's code, as the trusted side read it from the file (shell escapes
   already replaced), and runs it statement by statement, so that each function is the one the
   finished notebook defines, whatever the order of its cells;
2. it receives the hidden calls of each question and runs them in a forked child per question,
   with a time and a memory limit per call;
3. it sends back only the returned values, as data (:mod:`gradecore.public.encode`).

TensorFlow, Keras, PyTorch and JAX are out of reach: Landlock gives the process no access to their
files, and an import of them gets a stand-in module that works at top level (a notebook that builds
a Keras model still defines its functions) and makes any graded call that uses it "forbidden".
Nothing it prints is read.

With ``--library`` (the plugin's fallback for the calls whose argument is a Keras model, where
the kernel died before its last cell), the libraries are loaded as the kernel loads them: those
questions hand the function the very model whose values it must return, nothing secret.
"""

from __future__ import annotations

import ast
import builtins
import os
import signal
import sys
import types
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec

FORBIDDEN = ("tensorflow", "keras", "tf_keras", "torch", "jax", "jaxlib")
"""Libraries a NumPy-only question may not use: the sealed run cannot load them."""

_in_call = [False]
_touched = [False]
"""Set when a stand-in is used: a statement that fails then failed for want of the library, which
the kernel has, and the sealed run goes on to the next statement as the kernel's cell would."""


class LibraryNotLoaded(BaseException):
    """Raised where a graded call uses a stand-in of a forbidden library."""


def _used(name: str):
    _touched[0] = True
    if _in_call[0]:
        from gradecore.kernel.calls import _Forbidden

        raise _Forbidden(name)
    return _Stand(name)


class _Stand:
    """What a forbidden library's names are in the sealed run: anything at top level, never a value
    inside a graded call."""

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return _used(f"{self._name}.{attr}")

    def __setattr__(self, attr, value):
        pass

    def __call__(self, *args, **kwargs):
        return _used(self._name)

    def __getitem__(self, key):
        return _used(self._name)

    def __iter__(self):
        _used(self._name)
        return iter(())

    def __len__(self):
        _used(self._name)
        return 0

    def __bool__(self):
        _used(self._name)
        return False

    def __array__(self, *args, **kwargs):
        from gradecore.kernel.calls import _Forbidden

        _touched[0] = True
        raise _Forbidden(self._name)

    def __repr__(self):
        return f"<{self._name}: not loaded in the grader's sealed run>"

    def __enter__(self):
        return _used(self._name)

    def __exit__(self, *exc):
        return False

    for _op in ("add", "sub", "mul", "truediv", "floordiv", "matmul", "pow", "mod", "neg", "pos", "abs",
                "lt", "le", "gt", "ge", "radd", "rsub", "rmul", "rtruediv", "rmatmul"):
        locals()[f"__{_op}__"] = lambda self, *a, **k: _used(self._name)
    del _op


class _StandModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return _used(f"{self.__name__}.{attr}")


STOOD_IN = (*FORBIDDEN, "otter")
"""Imported as stand-ins: the forbidden libraries, and otter, whose notebook cells (checks, export)
define no graded function and would only cost the sealed run its import."""


class _Blocker(MetaPathFinder, Loader):
    """Imports of the forbidden libraries get stand-ins (their files are out of reach anyway)."""

    def __init__(self, names: tuple[str, ...] = STOOD_IN):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            return ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StandModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


class _Shell:
    """``get_ipython()`` in the sealed run: the cell magics whose body is Python (``%%capture``,
    ``%%time``) run it; every other magic the plugin did not replace does nothing."""

    PYTHON_BODY = ("capture", "time", "timeit", "prun")

    def __init__(self, namespace: dict):
        self.namespace = namespace

    def run_cell_magic(self, magic, line="", cell=""):
        if magic in self.PYTHON_BODY and isinstance(cell, str):
            from IPython.core.inputtransformer2 import TransformerManager

            exec(compile(TransformerManager().transform_cell(cell), "<cell magic>", "exec"), self.namespace)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class StatementTimeout(BaseException):
    pass


_import_grace: list = []
"""The run's grace for imports (:class:`gradecore.protocol.limits.ImportGrace`), made by :func:`run_code`."""


def _alarm(signum, frame):
    # An import stopped halfway (TensorFlow's, in the library's run) would leave the module
    # broken: let it finish, as the kernel's cell timer does, within the run's grace for imports.
    step = _import_grace[0].extend(frame) if _import_grace else 0.0
    if step > 0:
        signal.setitimer(signal.ITIMER_REAL, step)
        return
    raise StatementTimeout


TOP_LEVEL_BUDGET = 2
"""The top-level statements together may run ``TOP_LEVEL_BUDGET`` times the limit of one; after
that each gets a second, enough to define a function."""


def run_code(cells: list[str], time_limit: float, stops: frozenset = frozenset(), progress=None) -> dict:
    """Run the submission's cells in a fresh ``__main__`` as a notebook runs them; return its namespace.

    A cell stops at its first error (the statements after it in that cell do not run, a script
    is one cell) and the next cell runs, as in the kernel, with one difference: a statement that
    fails for want of a library the sealed run does not load (it used a stand-in) is passed over,
    since in the kernel it would have run. Each statement has ``time_limit`` seconds. A statement
    in ``stops`` (``(cell, statement)``: one that ended an earlier run of this code, as a kernel
    killed there ends) ends the run there, before it runs; before each statement its place is
    given to ``progress``.
    """
    import time

    from gradecore.kernel.calls import _real_exit

    owner = os.getpid()
    budget = time_limit * TOP_LEVEL_BUDGET
    main = types.ModuleType("__main__")
    shell = _Shell(main.__dict__)
    main.__dict__.update({"__builtins__": builtins, "get_ipython": lambda: shell, "display": lambda *a, **k: None})
    sys.modules["__main__"] = main
    from gradecore.protocol.limits import ImportGrace

    _import_grace[:] = [ImportGrace()]
    signal.signal(signal.SIGALRM, _alarm)
    for number, source in enumerate(cells, start=1):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for index, node in enumerate(tree.body):
            if (number, index) in stops:
                return main.__dict__
            if progress is not None:
                progress((number, index))
            module = ast.Module(body=[node], type_ignores=[])
            _touched[0] = False
            try:
                code = compile(module, f"<cell {number}>", "exec")
                started = time.monotonic()
                signal.setitimer(signal.ITIMER_REAL, min(time_limit, max(1.0, budget)))
                try:
                    exec(code, main.__dict__)
                finally:
                    if os.getpid() != owner:  # a process the statement forked ends here, silently
                        _real_exit(0)
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    budget -= time.monotonic() - started
            except BaseException:  # noqa: BLE001 - the student's statement, reported by the kernel's run
                if _touched[0]:
                    continue
                break
    return main.__dict__


def main() -> None:
    """``python -I -c '...' POLICY_JSON``: confine, then serve the trusted side on stdin/stdout."""
    import json

    from gradecore.sandbox import confine

    protocol_in = os.fdopen(os.dup(0), "rb")
    protocol_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    policy = confine.Policy.from_json(json.loads(sys.argv[1]))
    library = len(sys.argv) > 2 and sys.argv[2] == "--library"
    report = confine.apply(policy)
    # otter is a stand-in in the library's run too: a script exported from the notebook runs its
    # setup and check cells at top level, and the real otter would stop the script there.
    sys.meta_path.insert(0, _Blocker(("otter",) if library else STOOD_IN))
    import numpy  # noqa: F401  (before the student's code: its own numpy.py cannot shadow it)

    from gradecore.kernel import calls as kernel
    from gradecore.kernel import cells, rebinding
    from gradecore.protocol import wire
    from gradecore.public.encode import encode_value  # noqa: F401

    wire.send(protocol_out, {"confined": report})
    request = wire.recv(protocol_in)
    stops = frozenset(tuple(place) for place in request.get("stops", []) if isinstance(place, list) and len(place) == 2)
    rebinding.take_snapshot()
    os._exit = cells._refuse_exit  # the run's own end is kernel._real_exit
    own = {name: (module, dict(vars(module))) for name, module in sys.modules.items()
           if name == "gradecore" or name.startswith("gradecore.")}
    namespace = run_code([str(c) for c in request.get("cells", [])], float(request.get("time_limit", 120)), stops,
                         lambda place: wire.send(protocol_out, {"at": list(place)}))
    rebound = rebinding.rebound_names()
    # What the top level changed in the grader's own modules is undone: the calls run the
    # grader's code, and only the graded function is the submission's.
    for name, (module, saved) in own.items():
        vars(module).clear()
        vars(module).update(saved)
        sys.modules[name] = module
    wire.send(protocol_out, {"defined": sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("__")),
                             "rebound": rebound, "skipped": kernel.reached_skips()})
    calls = wire.recv(protocol_in)
    kernel.set_call_flag(_in_call)
    builders = None
    if library and calls.get("builders_file"):
        import importlib.util

        found = importlib.util.spec_from_file_location("_gradecore_builders", calls["builders_file"])
        builders = importlib.util.module_from_spec(found)
        found.loader.exec_module(builders)
    for question, reply in calls.get("questions", {}).items():
        try:
            outcomes = kernel.outcomes_with(namespace.get(question), reply, builders)
        except Exception as e:  # the grader's own fault, reported as such
            wire.send(protocol_out, {"question": question, "fault": f"{type(e).__name__}: {e}"[:300]})
            continue
        wire.send(protocol_out, {"question": question, "outcomes": outcomes})
    wire.send(protocol_out, {"done": True})
    protocol_out.close()
    kernel._real_exit(0)


BOOTSTRAP = "import sys; sys.path.insert(0, sys.argv.pop(1)); from gradecore.sandbox.sealed import main; main()"
"""What ``python -I -c`` runs: the sealed run's code from the folder given first, never from the
caller's path or the submission's folder."""
