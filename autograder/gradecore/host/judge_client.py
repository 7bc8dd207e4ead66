"""The trusted side's line to its judge: a child process on two pipes that no one else holds.

The judge's standard input and output are the channel (no socket, no token in the environment):
the student's processes, confined and started later, inherit neither. Each request waits for its
answer within a deadline; a judge that runs but does not answer is the grading machine's fault,
and the caller says so.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from typing import Any, Optional

from ..protocol import wire
from .launch import start_stdio_judge

REPLY_S = 60
"""Seconds one request may take (the judge answers in milliseconds; a loaded machine is slower)."""
ATTEMPTS = 3
"""How many times the first request waits for a judge that runs but has not answered yet."""


class JudgeSilent(Exception):
    """The judge runs but did not answer in time."""


class JudgeGone(Exception):
    """The judge's process ended."""


class JudgeClient:
    """One judge process of one grading, and the requests made of it."""

    def __init__(self, assignment: str, root: str, seed: Optional[int] = None, fresh: bool = True,
                 template: Optional[str] = None):
        self.proc: subprocess.Popen = start_stdio_judge(assignment, root, seed, fresh, template)
        self.buffer = bytearray()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def request(self, message: dict, reply_s: float = REPLY_S, attempts: int = 1) -> Any:
        """The judge's answer to ``message``.

        Raises:
            JudgeGone: the judge is not running (it failed to start, or was killed).
            JudgeSilent: it runs, and gave no answer within ``attempts`` times ``reply_s`` seconds.
        """
        try:
            wire.send(self.proc.stdin, message)
        except (OSError, ValueError) as e:
            raise JudgeGone(str(e)) from None
        deadline = time.monotonic() + reply_s * attempts
        fd = self.proc.stdout.fileno()
        while True:
            parsed = wire.parse(self.buffer)
            if parsed is not None:
                reply, used = parsed
                del self.buffer[:used]
                return reply
            left = deadline - time.monotonic()
            if left <= 0:
                raise JudgeSilent(f"no answer in {reply_s * attempts:g} s")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise JudgeGone("the judge closed its output")
            self.buffer += chunk

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
