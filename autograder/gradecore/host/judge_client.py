"""The trusted side's line to its judge: a child process on two pipes that no one else holds.

The judge's standard input and output are the channel (no socket, no token in the environment):
the student's processes, confined and started later, inherit neither. Each request waits for its
answer as long as the judge sends heartbeats (:mod:`gradecore.protocol.progress`: it, or its truth
worker, is working), up to an overall limit; a judge that sends nothing for ``JUDGE_QUIET_S``
seconds is silent, the grading machine's fault, and the caller says so.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from typing import Any, Optional

from ..protocol import frames, progress, settings, wire
from .launch import start_stdio_judge


def quiet_s() -> float:
    """Seconds without a heartbeat after which the judge is silent (``JUDGE_QUIET_S``)."""
    return float(settings.value("JUDGE_QUIET_S"))


def wait_limit_s() -> float:
    """Seconds one request may take at most, heartbeats or not (``JUDGE_WAIT_LIMIT_S``)."""
    return float(settings.value("JUDGE_WAIT_LIMIT_S"))


def silence() -> str:
    """What a silent judge did not do, for the fault's message."""
    return f"no sign of progress for {quiet_s():g} s, or no answer within {wait_limit_s():g} s"


class JudgeSilent(Exception):
    """The judge runs but sent nothing for too long, or gave no answer within the overall limit."""


class JudgeGone(Exception):
    """The judge's process ended."""


class JudgeClient:
    """One judge process of one grading, and the requests made of it."""

    def __init__(self, assignment: str, root: str, seed: Optional[int] = None, fresh: bool = True,
                 template: Optional[str] = None):
        self.proc: subprocess.Popen = start_stdio_judge(assignment, root, seed, fresh, template)
        self.buffer = bytearray()

    @classmethod
    def of_process(cls, proc: subprocess.Popen) -> "JudgeClient":
        """The client of a judge already started on pipes (its standard input and output)."""
        client = cls.__new__(cls)
        client.proc, client.buffer = proc, bytearray()
        return client

    @property
    def pid(self) -> int:
        return self.proc.pid

    def request(self, message: dict, quiet: Optional[float] = None, limit: Optional[float] = None) -> Any:
        """The judge's answer to ``message``, waited for while heartbeats come.

        Args:
            message: the request.
            quiet: seconds without a heartbeat (or the answer) that make the judge silent
                (default ``JUDGE_QUIET_S``).
            limit: seconds the answer may take at most, heartbeats or not (default
                ``JUDGE_WAIT_LIMIT_S``).

        Raises:
            JudgeGone: the judge is not running (it failed to start, or was killed).
            JudgeSilent: it runs, and sent nothing for ``quiet`` seconds, or gave no answer in ``limit``.
        """
        quiet = quiet_s() if quiet is None else quiet
        limit = wait_limit_s() if limit is None else limit
        try:
            wire.send(self.proc.stdin, message)
        except (OSError, ValueError) as e:
            raise JudgeGone(str(e)) from None
        now = time.monotonic()
        deadline, heard = now + limit, now
        fd = self.proc.stdout.fileno()
        while True:
            found = frames.parse(self.buffer)
            if found is not None:
                parts, used = found
                del self.buffer[:used]
                if progress.is_heartbeat(parts):
                    heard = time.monotonic()
                    continue
                return wire.decode(parts)
            now = time.monotonic()
            if now >= deadline:
                raise JudgeSilent(f"no answer in {limit:g} s")
            if now - heard >= quiet:
                raise JudgeSilent(f"no sign of progress in {quiet:g} s")
            left = min(deadline, heard + quiet) - now
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
