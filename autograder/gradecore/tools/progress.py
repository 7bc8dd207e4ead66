"""A progress bar on stderr: done/total and the time left; plain lines when stderr is not a terminal."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

BAR_WIDTH = 24


def duration(seconds: float) -> str:
    """``75`` -> ``1m15s``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """Counts finished submissions and estimates the time left from this run's throughput.

    Submissions skipped because they were already graded count as done but not in the rate.
    """

    def __init__(self, total: int, stream: TextIO | None = None, clock=time.monotonic):
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock = clock
        self.started = clock()
        self.skipped = 0
        self.graded = 0

    @property
    def done(self) -> int:
        return self.skipped + self.graded

    def eta(self) -> float | None:
        """Seconds left at this run's pace, or None before the first submission finishes."""
        if self.graded == 0:
            return None
        pace = (self.clock() - self.started) / self.graded
        return pace * (self.total - self.done)

    def start(self, label: str = "") -> None:
        self._emit(label)

    def skip(self, count: int) -> None:
        self.skipped += count
        if count:
            self._emit(f"{count} already graded (use --regrade to grade them again)")

    def advance(self, label: str) -> None:
        self.graded += 1
        self._emit(label)

    def line(self, label: str = "") -> str:
        eta = self.eta()
        left = "estimating time left" if eta is None else f"~{duration(eta)} left"
        if self.done == self.total:
            left = f"done in {duration(self.clock() - self.started)}"
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        text = f"[{bar}] {self.done}/{self.total}  {left}"
        return f"{text}  {label}" if label else text

    def _emit(self, label: str) -> None:
        if self.tty:
            columns = shutil.get_terminal_size((120, 24)).columns - 1
            self.stream.write("\r\x1b[K" + self.line(label)[:columns])
        else:
            self.stream.write(self.line(label) + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
