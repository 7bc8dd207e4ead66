"""The untrusted side of grading: run the student's functions and describe what they return.

It runs in the sealed runs (:mod:`gradecore.sandbox.sealed`), confined, which call the graded
functions, and in the student's kernel, also confined, where :func:`arm` bounds each cell and the
output (the kernel calls no graded function). Nothing here decides a grade or talks to the judge: each call
runs in a forked child process with a time and a memory limit, and only the raw return value is
handed back, as data, to the trusted side.
"""

from __future__ import annotations

import builtins
import os
import resource
import select
import signal
import sys
import threading
import time
from typing import Any, Callable

import numpy as np

from ..protocol import frames, wire
from ..protocol.limits import (
    CELL_TIME_LIMIT_S,
    KERNEL_MEMORY_LIMIT_MB,
    MEMORY_LIMIT_MB,
    OUTPUT_LIMIT_CHARS,
    OUTPUT_TRUNCATED,
    TIME_LIMIT_S,
    WARM_PRELOADED_VARIABLE,
)
from ..protocol.outcome import Status
from ..public.encode import encode_value, private_copy
from . import memory

FORBIDDEN_PATHS = (
    f"{os.sep}tensorflow{os.sep}", f"{os.sep}keras{os.sep}", f"{os.sep}tf_keras{os.sep}", f"{os.sep}torch{os.sep}",
    f"{os.sep}jax{os.sep}",
)

_ndarray = np.ndarray
_tobytes = np.ndarray.tobytes
_real_exit = os._exit
_real_fork = os.fork
_isinstance, _len, _type, _getattr = builtins.isinstance, builtins.len, builtins.type, builtins.getattr

WATCHED_NAMESPACES = ("numpy", "numpy.linalg", "numpy.testing", "builtins")
"""Namespaces whose rebinding is reported: a wrong answer cannot pass this way (the judge never
uses the kernel's NumPy), but the student is told that the submission changes them."""

WATCHED_BUILTINS = (
    "abs", "all", "any", "bool", "callable", "dict", "float", "getattr", "hasattr", "id", "int",
    "isinstance", "issubclass", "iter", "len", "list", "max", "min", "next", "open", "print",
    "range", "repr", "round", "set", "sorted", "str", "sum", "tuple", "type", "zip",
)
"""The builtins the grader's kernel side and otter's checks use (IPython changes others)."""

_snapshot: dict[str, dict[str, Any]] = {}


def take_snapshot() -> None:
    import numpy.linalg  # noqa: F401
    import numpy.testing  # noqa: F401

    for name in WATCHED_NAMESPACES:
        namespace = vars(sys.modules[name])
        keys = WATCHED_BUILTINS if name == "builtins" else list(namespace)
        _snapshot[name] = {k: namespace[k] for k in keys}


def rebound_names() -> list[str]:
    """Public names of the watched namespaces that now point elsewhere than when armed."""
    changed = []
    for name, objects in _snapshot.items():
        module = sys.modules.get(name)
        current = vars(module) if module is not None else {}
        for key, original in objects.items():
            if key.startswith("_"):
                continue
            if key not in current or current[key] is not original:
                changed.append(f"{name}.{key}")
    return sorted(changed)


FORBIDDEN_MODULES = ("tensorflow", "keras", "tf_keras", "torch", "jax")

FORBIDDEN_EVENTS = {
    "sys.setprofile": "switches off the grader's check for TensorFlow calls",
    "sys.settrace": "switches off the grader's check for TensorFlow calls",
    "subprocess.Popen": "starts another process",
    "os.system": "starts another process",
    "os.exec": "starts another process",
    "os.posix_spawn": "starts another process",
    "os.fork": "starts another process",
}
"""Audit events that a forward function may not raise (audit hooks cannot be removed)."""


class _Forbidden(BaseException):
    """Raised into the student's call at the first forbidden call: TensorFlow is not fork-safe,
    and would hang in the child rather than return."""


def _tensorflow_guard(found: list) -> Callable:
    def profile(frame, event, arg):
        if found:
            return
        if event == "call":
            filename = frame.f_code.co_filename
            if any(part in filename for part in FORBIDDEN_PATHS):
                found.append(filename)
                raise _Forbidden(filename)
        elif event == "c_call":
            module = _getattr(arg, "__module__", None) or ""
            if _isinstance(module, str) and module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(module)
                raise _Forbidden(module)

    return profile


def _audit_guard(found: list, active: list) -> Callable:
    def hook(event, args):
        if active and not found and event in FORBIDDEN_EVENTS:
            found.append(event)
            raise _Forbidden(event)

    return hook


_call_flag = [False]


def set_call_flag(flag: list) -> None:
    """A list whose first item is True while a graded call runs (the sealed run's stand-ins of the
    forbidden libraries raise only then)."""
    global _call_flag
    _call_flag = flag


def _contents(arg: Any) -> Any:
    """What an argument holds (its arrays' bytes, also inside lists and tuples), to tell after a
    call whether the call changed it."""
    if _isinstance(arg, _ndarray):
        return (arg.shape, arg.dtype.str, _tobytes(arg))
    if _isinstance(arg, (list, tuple)):
        return [_contents(a) for a in arg]
    return None


def _one_call(function: Callable, args: list, guard: bool, active: list, tampered: list, keep: bool = False) -> dict:
    """Call the student's function once, in the child, and describe how it went; with ``keep``,
    a call that changed its arguments did not answer."""
    found: list = []
    tampered.clear()
    before = [_contents(a) for a in args] if keep else None
    try:
        if guard:
            threading.setprofile(_tensorflow_guard(found))
            sys.setprofile(_tensorflow_guard(found))
            active.append(True)
        _call_flag[0] = True
        try:
            value = function(*args)
        except _Forbidden as e:
            if not (found or tampered):
                found.append(str(e))
            value = None
        except BaseException:
            if not (found or tampered):
                raise
            value = None
        finally:
            _call_flag[0] = False
            active.clear()
            sys.setprofile(None)
            threading.setprofile(None)
        if found:
            return {
                "status": Status.FORBIDDEN,
                "detail": "calls TensorFlow or Keras: this exercise asks for the computation in NumPy.",
            }
        if tampered:
            return {
                "status": Status.FORBIDDEN,
                "detail": f"{FORBIDDEN_EVENTS[tampered[0]]} ({tampered[0]}): this exercise asks for "
                "the computation in NumPy, in the function itself.",
            }
        if keep and [_contents(a) for a in args] != before:
            return {"status": Status.CHANGED_ARGUMENTS}
        return {"status": Status.RETURNED, "value": encode_value(value)}
    except NotImplementedError:
        return {"status": Status.NOT_IMPLEMENTED}
    except MemoryError:
        return {"status": Status.MEMORY, "detail": f"{MEMORY_LIMIT_MB} MiB"}
    except SystemExit as e:
        return {"status": Status.EXITED, "detail": f"SystemExit({e.code!r})"}
    except BaseException as e:  # the student's exception, reported by type and message
        return {"status": Status.RAISED, "detail": f"{type(e).__name__}: {str(e)[:200]}"}


def _child(function: Callable, calls: list[list], guard: bool, write_fd: int, limit: int, keep: bool = False) -> None:
    """Run the calls one after the other in the forked child, writing each outcome as it ends;
    ``limit`` is the child's address space.

    Never returns. One child serves all calls of a question: a fork of a kernel that holds
    TensorFlow costs about 20 ms, a call of a correct function well under one.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        active: list = []
        tampered: list = []
        if guard:
            sys.addaudithook(_audit_guard(tampered, active))
        with os.fdopen(write_fd, "wb") as out:
            for args in calls:
                outcome = _one_call(function, args, guard, active, tampered, keep)
                wire.send(out, outcome)
                if outcome["status"] == Status.NOT_IMPLEMENTED:
                    break
    except BaseException:
        pass
    _real_exit(0)


_UNREADABLE = {"status": Status.RAISED, "detail": "an answer the grader could not read"}


def _read_frames(buffer: bytearray) -> tuple[list[dict], bool]:
    """Take every complete outcome off the front of ``buffer``; and whether the pipe can be read
    on: an outcome longer than the wire's limit is one the grader could not read, refused at its
    header, and what follows it is not read."""
    outcomes = []
    while True:
        try:
            found = frames.parse(buffer)
        except ValueError:
            return outcomes + [dict(_UNREADABLE)], False
        if found is None:
            return outcomes, True
        parts, used = found
        del buffer[:used]
        try:
            outcomes.append(wire.decode(parts))
        except Exception:
            outcomes.append(dict(_UNREADABLE))


def _ended(status: int) -> dict:
    """The outcome of a call during which the child died without answering."""
    if os.WIFSIGNALED(status):
        return {"status": Status.MEMORY, "detail": f"{MEMORY_LIMIT_MB} MiB; the process was killed by signal {os.WTERMSIG(status)}"}
    return {"status": Status.EXITED, "detail": f"exit code {os.WEXITSTATUS(status)}"}


def run_calls(function: Callable, calls: list[list], guard: bool, keep: bool = False) -> list[dict]:
    """Call ``function(*args)`` for each of ``calls`` in forked children with the limits.

    Each call has ``TIME_LIMIT_S``. A call that runs out of time ends the question (the rest
    are reported as timed out: one endless loop costs its own function's checks, not the
    whole grading run). A child that dies costs the call it was running; a new child takes
    the calls after it.
    """
    outcomes: list[dict] = []
    while len(outcomes) < len(calls):
        todo = calls[len(outcomes):]
        read_fd, write_fd = os.pipe()
        # read before the fork: a confined child may not read its own /proc entry
        limit = memory.address_space() + MEMORY_LIMIT_MB * 2**20
        pid = _real_fork()
        if pid == 0:
            os.close(read_fd)
            _child(function, todo, guard, write_fd, limit, keep)
        os.close(write_fd)
        got: list[dict] = []
        buffer, timed_out, cut = bytearray(), False, False
        deadline = time.monotonic() + TIME_LIMIT_S
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while len(got) < len(todo):
                ready, _, _ = select.select([pipe], [], [], max(deadline - time.monotonic(), 0))
                if not ready:
                    timed_out = True
                    break
                chunk = pipe.read(1 << 20)
                if not chunk:
                    break
                buffer += chunk
                fresh, readable = _read_frames(buffer)
                if fresh:
                    got += fresh
                    deadline = time.monotonic() + TIME_LIMIT_S
                    if fresh[-1]["status"] == Status.NOT_IMPLEMENTED:
                        break
                if not readable:  # the calls after the unreadable one run in a new child
                    cut = True
                    break
        if timed_out or cut or len(got) < len(todo):
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        outcomes += got
        if got and got[-1]["status"] == Status.NOT_IMPLEMENTED:
            return outcomes + [got[-1]] * (len(calls) - len(outcomes))
        if timed_out:
            timeout = {"status": Status.TIMEOUT, "detail": f"{TIME_LIMIT_S:g}"}
            return outcomes + [timeout] * (len(calls) - len(outcomes))
        if len(got) < len(todo) and not cut:
            outcomes.append(_ended(status))
    return outcomes



def needs_library(arg: Any) -> bool:
    """Whether a hidden call's argument is built by the library (``{"build": NAME, "with": {...}}``,
    a Keras model) rather than handed over as data."""
    return isinstance(arg, dict) and set(arg) == {"build", "with"}


def _materialise(arg: Any, builders: Any) -> Any:
    """An argument as the student's function takes it: built where it cannot travel as data (a
    Keras model, by the assignment's ``BUILDERS``), a private copy otherwise."""
    if needs_library(arg):
        if builders is None:
            raise RuntimeError(f"no builder for {arg['build']!r} here")
        return builders.BUILDERS[arg["build"]](**arg["with"])
    return private_copy(arg)


def outcomes_with(function: Any, reply: dict, builders: Any = None) -> list[dict]:
    """Run the hidden calls of one question, as the judge's ``calls`` reply gives them."""
    calls = reply["calls"]
    if not callable(function):
        return [{"status": Status.MISSING} for _ in calls]
    prepared = [[_materialise(a, builders) for a in args] for args in calls]
    return run_calls(function, prepared, bool(reply.get("numpy_only")), bool(reply.get("keeps_arguments")))


_skipped: list = []


def skipped(where: str, command: str) -> None:
    """What a shell escape or environment magic of the submission became (the plugin rewrote it):
    it runs nothing. The sealed run reports where one was reached; the plugin writes the note."""
    _skipped.append([str(where), str(command)])


def reached_skips() -> list:
    return list(_skipped)


def _refuse_exit(code: int = 0) -> None:
    raise SystemExit(f"os._exit({code}) is not allowed in a graded submission")


class TimeLimitExceeded(Exception):
    """Raised in the kernel when a cell or a public check runs past ``CELL_TIME_LIMIT_S``."""


EXPORT_CELL_START = "from otter.execute import Checker\n"
"""How otter's last cell (which runs every remaining check) begins: it gets no cell timer,
because each check inside it has its own."""


def _on_alarm(signum, frame):
    # An import stopped halfway (a slow `import tensorflow` in a cell past its limit) would leave
    # the module broken for the hidden checks, which import Keras too: wait for it to finish.
    outer = frame
    while outer is not None:
        if outer.f_code.co_filename.startswith("<frozen importlib"):
            signal.setitimer(signal.ITIMER_REAL, 1.0, signal.getitimer(signal.ITIMER_REAL)[1])
            return
        outer = outer.f_back
    raise TimeLimitExceeded(
        f"stopped after {CELL_TIME_LIMIT_S:g} seconds (the grader's limit per cell): is there an endless loop?"
    )


def _pre_run_cell(info) -> None:
    _output_state["cell"] = 0
    if not (getattr(info, "raw_cell", "") or "").startswith(EXPORT_CELL_START):
        # A second alarm each second after the first, for code that catches the first one.
        signal.setitimer(signal.ITIMER_REAL, CELL_TIME_LIMIT_S, 1.0)


def _post_run_cell(result) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


def _bound_public_checks() -> None:
    """Give each public check (which calls the student's function in the kernel) the cell limit."""
    from otter.test_files.exception_test import test_case

    call_func = test_case.call_func

    def bounded(self, global_environment):
        if self.hidden:
            return call_func(self, global_environment)
        outer = signal.setitimer(signal.ITIMER_REAL, CELL_TIME_LIMIT_S)
        try:
            return call_func(self, global_environment)
        finally:
            if outer[0] > 0:
                signal.setitimer(signal.ITIMER_REAL, *outer)
            else:
                signal.setitimer(signal.ITIMER_REAL, 0)

    test_case.call_func = bounded


_output_state = {"total": 0, "cell": 0, "truncated": False}


class _CappedStream:
    """A kernel output stream that drops what comes after ``OUTPUT_LIMIT_CHARS`` characters."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if _output_state["truncated"]:
            return len(text)
        room = OUTPUT_LIMIT_CHARS - _output_state["total"]
        if len(text) > room:
            _output_state["truncated"] = True
            self._stream.write(text[: max(room, 0)] + f"\n{OUTPUT_TRUNCATED}\n")
            return len(text)
        _output_state["total"] += len(text)
        return self._stream.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _limit_kernel_memory() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    # a kernel forked from a warm template already holds TensorFlow: count it as a cold kernel would
    preloaded = int(os.environ.get(WARM_PRELOADED_VARIABLE, "0") or 0)
    soft = memory.address_space() - preloaded + KERNEL_MEMORY_LIMIT_MB * 2**20
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def arm() -> None:
    """Prepare the kernel before the student's code runs (the plugin's first cell).

    Notes the state of NumPy's namespaces (to report rebinding), keeps ``os._exit`` from killing
    the kernel (the library's questions still run in it), bounds each cell's time, the kernel's
    memory and the printed output.
    """
    take_snapshot()
    os._exit = _refuse_exit
    _limit_kernel_memory()
    sys.stdout, sys.stderr = _CappedStream(sys.stdout), _CappedStream(sys.stderr)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        signal.signal(signal.SIGALRM, _on_alarm)
        shell.events.register("pre_run_cell", _pre_run_cell)
        shell.events.register("post_run_cell", _post_run_cell)
        _bound_public_checks()
