"""A sealed run as the trusted side sees it: what one is, its process, and its answers.

The sandbox of a grading (:class:`gradecore.host.grading_sandbox.Sandbox`) starts each run and
reads it; here are the pieces: :class:`SealedRun` (what to run), :class:`Started` (runs under way),
the messages read within deadlines and never past :data:`MAX_ANSWER_BYTES`, never anything but data
(:class:`_FrameReader`), and a run started afresh (:class:`_Fresh`; one forked from the fork
server is :class:`gradecore.host.forkserver_client.Forked`). The run's own side is
:mod:`gradecore.sandbox.sealed`.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..protocol import frames, wire
from ..protocol.limits import CALL_WALL_FACTOR, TIME_LIMIT_S

MAX_ANSWER_BYTES = 256 * 2**20
"""The largest message a sealed run may send, headers included; a longer one is refused unread."""
MAX_RUNS = 8
"""Sealed runs of one submission at most, each stopping one more statement that ended the one before."""
START_S = 300
"""Seconds a sealed run may take to confine itself and say so (one forked from the template waits
for its import of TensorFlow, minutes on a loaded machine)."""


def answer_deadline(questions: dict[str, dict], library: bool) -> float:
    """Seconds a sealed run may take for each question's answer: every call may take its time
    limit on the clock (:data:`~gradecore.protocol.limits.CALL_WALL_FACTOR` times its CPU-time
    limit), with room for starting the child that makes them (and building the library's models)."""
    calls = max((len(r.get("calls", ())) for r in questions.values()), default=0)
    return TIME_LIMIT_S * (2 + CALL_WALL_FACTOR * calls) + (60 if library else 30)


@dataclass
class SealedRun:
    """One sealed run to start: the submission's ``cells``, and ``calls_of()``, which gives its calls
    once its code is defined (it may wait for the judge meanwhile)."""

    cells: list[str]
    calls_of: Callable[[], dict[str, dict]]
    deadline_s: Optional[float] = None
    submission_dir: Optional[str] = None
    library: bool = False


class Started:
    """Sealed runs under way (:func:`Sandbox.start_sealed`)."""

    def __init__(self, thread: threading.Thread, results: list[dict]):
        self._thread, self._results = thread, results

    def results(self) -> list[dict]:
        """Each run's result, in order, once all have ended and been swept away."""
        self._thread.join()
        return self._results


class _FrameReader:
    """Messages (:mod:`gradecore.protocol.wire`) from a sandboxed process, each read within a deadline;
    never more than :data:`MAX_ANSWER_BYTES`, never anything but data."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()
        self.parser = frames.Parser(MAX_ANSWER_BYTES)

    def read(self, timeout_s: float) -> Any:
        deadline = time.monotonic() + timeout_s
        while True:
            found = self.parser.parse(self.buffer)
            if found is not None:
                parts, used = found
                del self.buffer[:used]
                return wire.decode(parts)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                raise EOFError
            self.buffer += chunk


class _Fresh:
    """A sealed run started afresh (``python -I``): its pipes, and the means to end it."""

    def __init__(self, proc: subprocess.Popen):
        self.proc, self.stdin, self.stdout = proc, proc.stdin, proc.stdout
        self.pid = proc.pid

    def killed_peak_mb(self, wait_s: float = 2.0) -> Optional[float]:
        """Where its pipe closed before the grader ended it: its peak memory (MiB, the largest
        resident set of it and of the children it reaped, ``ru_maxrss``) if it died of ``SIGKILL``
        (the OOM killer's signal, which the grader had not sent yet), else None. Reaps it."""
        deadline = time.monotonic() + wait_s
        while True:
            try:
                pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid:
                self.proc.returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
                    return usage.ru_maxrss / 1024
                return None
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)

    def end(self) -> None:
        """Kill its process group, then the process itself."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.proc.returncode is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
            self.proc.wait()
        for stream in (self.stdin, self.stdout):
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):
                pass
