"""A trusted process's sign of progress on its answer stream: a message of no parts between answers.

The judge and its truth worker may take minutes before their first answer on a loaded machine
(the worker computes the grading's truths with the library). Each says it is still working with a
heartbeat, :data:`gradecore.protocol.frames` message of no parts, on the very stream it answers on,
which only its parent holds (a pipe: never a file or a socket a sandboxed process could reach). Its
reader waits while heartbeats come (:mod:`gradecore.host.judge_client`), and calls a process that
sent none for ``JUDGE_QUIET_S`` seconds silent.

A heartbeat means the process used the CPU in the last second, or computed a truth: a process
stopped, deadlocked or never scheduled sends none. A process that spins without end sends them
forever, which the reader's overall limit (``JUDGE_WAIT_LIMIT_S``) ends.
"""

from __future__ import annotations

import threading
import time
from typing import BinaryIO, Callable

from . import frames

INTERVAL_S = 1.0
"""Seconds between two heartbeats at most: the reader needs none finer, and a pipe that no one
reads while the grading's kernel runs for minutes holds a few kilobytes of them."""
CPU_SIGN_S = 0.005
"""CPU seconds a process must have used since the last look for its ticker to send a heartbeat
(the ticker's own wake-ups use microseconds)."""


def is_heartbeat(parts: list[bytes]) -> bool:
    """Whether a message's ``parts`` (:func:`gradecore.protocol.frames.parse`) are a heartbeat."""
    return not parts


class Heartbeat:
    """Heartbeats on ``stream``, which the process's answers share: :meth:`send` writes an answer
    under the same lock, so that a heartbeat never lands inside one."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.lock = threading.Lock()
        self._last = 0.0

    def send(self, write: Callable[[BinaryIO], None]) -> None:
        """Write an answer with ``write(stream)``, whole, between heartbeats."""
        with self.lock:
            write(self.stream)

    def beat(self) -> None:
        """Say the process made progress (at most once each :data:`INTERVAL_S`)."""
        now = time.monotonic()
        if now - self._last < INTERVAL_S:
            return
        with self.lock:
            self._last = now
            try:
                frames.write(self.stream, [])
            except (OSError, ValueError):
                pass  # the reader is gone: the process ends on its own

    def tick_while_working(self) -> None:
        """Beat each :data:`INTERVAL_S` in which this process used the CPU, from a daemon thread:
        an import of TensorFlow or a long build shows as progress before any answer."""

        def ticker() -> None:
            used = time.process_time()
            while True:
                time.sleep(INTERVAL_S)
                now = time.process_time()
                if now - used >= CPU_SIGN_S:
                    self.beat()
                used = now

        threading.Thread(target=ticker, name="heartbeat", daemon=True).start()
