"""Kernel side of the hidden checks: runs the student's functions and reports what they return.

This module is imported inside the student's kernel, where otter runs hidden tests. Nothing
here decides a grade: each call of a student function runs in a forked child process with a
time and a memory limit, and only the raw return value goes back to the judge, which compares
it with Keras in a process the student's code never touched.
"""

from __future__ import annotations

import os
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Optional

import numpy as np

from . import wire

TIME_LIMIT_S = float(os.environ.get("RNN_SHAPES_TIME_LIMIT_S", 10))
"""Seconds one call of a student function may take; the reference needs under a millisecond."""

MEMORY_LIMIT_MB = int(os.environ.get("RNN_SHAPES_MEMORY_LIMIT_MB", 1024))
"""Extra address space one call may take beyond what the kernel already holds."""

JUDGE_WAIT_S = 300
"""How long to wait for the judge to finish building its Keras models."""

FORWARD_FUNCTIONS = ("manual_forward", "batched_forward", "sequence_forward")
"""The functions that must compute with NumPy: calling TensorFlow or Keras there earns nothing."""

FORBIDDEN_PATHS = (f"{os.sep}tensorflow{os.sep}", f"{os.sep}keras{os.sep}", f"{os.sep}torch{os.sep}", f"{os.sep}jax{os.sep}")

_ndarray = np.ndarray
_real_exit = os._exit
_real_fork = os.fork


class _Client:
    """One connection to the judge."""

    def __init__(self):
        path = os.environ.get("RNN_SHAPES_JUDGE")
        self.process = None
        if path:
            deadline = time.monotonic() + JUDGE_WAIT_S
            while not os.path.exists(path):
                if time.monotonic() > deadline:
                    raise RuntimeError("the grader's judge did not start")
                time.sleep(0.05)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            self.rfile, self.wfile = sock.makefile("rb"), sock.makefile("wb")
        else:
            package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            env = dict(os.environ, PYTHONPATH=package_root)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "rnn_shapes_grader.judge", "--stdio"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=package_root,
            )
            self.rfile, self.wfile = self.process.stdout, self.process.stdin

    def request(self, message: dict) -> Any:
        wire.send(self.wfile, message)
        reply = wire.recv(self.rfile)
        if isinstance(reply, dict) and "error" in reply:
            raise RuntimeError(f"the grader's judge refused a request: {reply['error']}")
        return reply


_client: Optional[_Client] = None
_lock = threading.Lock()


def client() -> _Client:
    global _client
    with _lock:
        if _client is None:
            _client = _Client()
        return _client


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "numpy") else f"{module}.{name}"


def encode_value(value: Any, depth: int = 0) -> dict:
    """Describe a returned value as data only: arrays lose any subclass, objects their methods."""
    if isinstance(value, _ndarray):
        base = _ndarray.copy(_ndarray.view(value, _ndarray))
        if base.dtype.kind not in "biuf":
            return {"kind": "other", "type": f"array of dtype {base.dtype}"}
        return {"kind": "ndarray", "type": _type_name(value), "value": base}
    if isinstance(value, (bool, np.bool_)):
        return {"kind": "bool", "type": _type_name(value), "value": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"kind": "int", "type": _type_name(value), "value": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"kind": "float", "type": _type_name(value), "value": float(value)}
    if isinstance(value, (list, tuple)) and depth < 4 and len(value) <= 10_000:
        kind = "list" if isinstance(value, list) else "tuple"
        return {"kind": kind, "type": _type_name(value), "value": [encode_value(v, depth + 1) for v in value]}
    return {"kind": "other", "type": _type_name(value)}


def _tensorflow_guard(found: list) -> Callable:
    def profile(frame, event, arg):
        if event == "call" and not found:
            filename = frame.f_code.co_filename
            if any(part in filename for part in FORBIDDEN_PATHS):
                found.append(filename)

    return profile


def _child(function: Callable, args: list, guard: bool, write_fd: int) -> None:
    """Run one call in the forked child and write its outcome; never returns."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")
        used = resource.getrusage(resource.RUSAGE_SELF)  # noqa: F841 (touch before limiting)
        with open(f"/proc/{os.getpid()}/statm") as f:
            current = int(f.read().split()[0]) * resource.getpagesize()
        limit = current + MEMORY_LIMIT_MB * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        found: list = []
        if guard:
            sys.setprofile(_tensorflow_guard(found))
            threading.setprofile(_tensorflow_guard(found))
        try:
            value = function(*args)
        finally:
            sys.setprofile(None)
        if found:
            outcome = {
                "status": "forbidden",
                "detail": "calls TensorFlow or Keras: this exercise asks for the computation in NumPy.",
            }
        else:
            outcome = {"status": "returned", "value": encode_value(value)}
    except NotImplementedError:
        outcome = {"status": "not_implemented"}
    except MemoryError:
        outcome = {"status": "memory", "detail": f"{MEMORY_LIMIT_MB} MiB"}
    except SystemExit as e:
        outcome = {"status": "exited", "detail": f"SystemExit({e.code!r})"}
    except BaseException as e:  # the student's exception, reported by type and message
        outcome = {"status": "raised", "detail": f"{type(e).__name__}: {str(e)[:200]}"}
    try:
        with os.fdopen(write_fd, "wb") as out:
            wire.send(out, outcome)
    except BaseException:
        pass
    _real_exit(0)


def run_call(function: Callable, args: list, guard: bool) -> dict:
    """Call ``function(*args)`` in a forked child with the time and memory limits."""
    read_fd, write_fd = os.pipe()
    pid = _real_fork()
    if pid == 0:
        os.close(read_fd)
        _child(function, args, guard, write_fd)
    os.close(write_fd)
    chunks, deadline, timed_out = [], time.monotonic() + TIME_LIMIT_S, False
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([pipe], [], [], max(left, 0))
            if not ready:
                timed_out = True
                break
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return {"status": "timeout", "detail": f"{TIME_LIMIT_S:g}"}
    data = b"".join(chunks)
    if not data:
        if os.WIFSIGNALED(status):
            return {"status": "memory", "detail": f"{MEMORY_LIMIT_MB} MiB; the process was killed by signal {os.WTERMSIG(status)}"}
        return {"status": "exited", "detail": f"exit code {os.WEXITSTATUS(status)}"}
    import io

    try:
        return wire.recv(io.BytesIO(data))
    except Exception:
        return {"status": "raised", "detail": "an answer the grader could not read"}


def _materialise(arg: Any) -> Any:
    if isinstance(arg, dict) and "model" in arg:
        from . import reference

        spec = arg["model"]
        return reference.build_model(spec["T"], spec["D"], spec["M"], spec["K"], spec["weights"])
    if isinstance(arg, _ndarray):
        return arg.copy()
    return arg


def outcomes_for(question: str, function: Any) -> list[dict]:
    """Run every hidden call of ``question`` and collect the outcomes."""
    calls = client().request({"op": "calls", "question": question})["calls"]
    if not callable(function):
        return [{"status": "missing"} for _ in calls]
    outcomes = []
    for args in calls:
        outcome = run_call(function, [_materialise(a) for a in args], question in FORWARD_FUNCTIONS)
        outcomes.append(outcome)
        if outcome["status"] in ("timeout", "not_implemented"):
            # One endless loop costs its own function's checks, not the whole grading run.
            outcomes += [outcome] * (len(calls) - len(outcomes))
            break
    return outcomes


def check(question: str, env: dict) -> None:
    """Hidden test body: raise AssertionError with the judge's feedback unless it passed."""
    verdict = client().request(
        {"op": "judge", "question": question, "outcomes": outcomes_for(question, env.get(question))}
    )
    if not verdict["passed"]:
        raise AssertionError(verdict["message"])


def _refuse_exit(code: int = 0) -> None:
    raise SystemExit(f"os._exit({code}) is not allowed in a graded submission")


def arm() -> None:
    """Prepare the kernel before the student's code runs (the plugin's first cell).

    Keeps ``os._exit`` from killing the kernel (the hidden checks still need it) and connects to
    the judge now, so that its start-up overlaps with the notebook.
    """
    os._exit = _refuse_exit
    threading.Thread(target=client, daemon=True).start()
