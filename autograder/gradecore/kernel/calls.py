"""The untrusted side of grading: run the student's functions and describe what they return.

It runs in the sealed runs (:mod:`gradecore.sandbox.sealed`), confined, which call the graded
functions, and in the student's kernel, also confined, where :func:`.cells.arm` bounds each cell and the
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
    CALL_WALL_FACTOR,
    MEMORY_LIMIT_MB,
    TIME_LIMIT_S,
)
from ..protocol.outcome import Status
from ..public.encode import encode_value, private_copy
from . import memory
from .cells import arm  # noqa: F401 - the plugin's first cell calls gradecore.kernel.calls.arm()

FORBIDDEN_PATHS = (
    f"{os.sep}tensorflow{os.sep}", f"{os.sep}keras{os.sep}", f"{os.sep}tf_keras{os.sep}", f"{os.sep}torch{os.sep}",
    f"{os.sep}jax{os.sep}",
)

_ndarray = np.ndarray
_tobytes = np.ndarray.tobytes
_real_exit = os._exit
_real_fork = os.fork
_isinstance, _len, _type, _getattr = builtins.isinstance, builtins.len, builtins.type, builtins.getattr


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


CPU_POLL_S = 0.25
"""How often the parent reads a running call's CPU time: a call stops at most this late."""
_CPUCLOCK_SCHED = 2


def cpu_seconds(pid: int) -> float | None:
    """The CPU time process ``pid`` has used (all its threads), or None where it cannot be read.

    Read through the process's CPU clock (``clock_getcpuclockid(3)``: its clock id is made from the
    pid, as the C library makes it), which needs no ``/proc`` entry: a confined process may not
    read its child's.
    """
    try:
        return time.clock_gettime(((~pid) << 3) | _CPUCLOCK_SCHED)
    except OSError:
        return None


class _CallClock:
    """When the call a child runs has taken its time: ``TIME_LIMIT_S`` seconds of the child's CPU
    time, or :data:`CALL_WALL_FACTOR` times as many on the clock. A neighbour that spins on every
    core (or any load) slows the clock, not the CPU time: an honest call is not stopped for it."""

    def __init__(self, pid: int):
        self.pid = pid
        self.restart()

    def restart(self) -> None:
        self.wall = time.monotonic()
        self.cpu = cpu_seconds(self.pid) or 0.0

    def left(self) -> float:
        """Seconds to wait before looking again; 0 once the call has taken its time."""
        wall_left = self.wall + TIME_LIMIT_S * CALL_WALL_FACTOR - time.monotonic()
        used = cpu_seconds(self.pid)
        cpu_left = TIME_LIMIT_S - (used - self.cpu) if used is not None else TIME_LIMIT_S
        if wall_left <= 0 or cpu_left <= 0:
            return 0.0
        # CPU time runs at most as fast as the clock times the threads: look again soon
        return max(min(wall_left, cpu_left, CPU_POLL_S), 0.001)


def run_calls(function: Callable, calls: list[list], guard: bool, keep: bool = False) -> list[dict]:
    """Call ``function(*args)`` for each of ``calls`` in forked children with the limits.

    Each call has ``TIME_LIMIT_S`` seconds of CPU time (:class:`_CallClock`). A call that runs out
    of time ends the question (the rest are reported as timed out: one endless loop costs its own
    function's checks, not the whole grading run). A child that dies costs the call it was
    running; a new child takes the calls after it.
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
        clock = _CallClock(pid)
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while len(got) < len(todo):
                wait = clock.left()
                if wait <= 0:
                    timed_out = True
                    break
                ready, _, _ = select.select([pipe], [], [], wait)
                if not ready:
                    continue
                chunk = pipe.read(1 << 20)
                if not chunk:
                    break
                buffer += chunk
                fresh, readable = _read_frames(buffer)
                if fresh:
                    got += fresh
                    clock.restart()
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


