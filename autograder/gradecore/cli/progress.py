"""The batch's progress on stderr: done/total and the time left.

On a terminal, rich's live progress bar, redrawn in place. Anywhere else (CI, a cluster's job
log, a pipe) one plain line per event, with no escape codes, whatever the environment asks of
rich (``FORCE_COLOR``, ``TTY_COMPATIBLE``): rich's own display, off a terminal, would say nothing
until the batch ends.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, ProgressColumn
from rich.progress import Progress as LiveBar
from rich.table import Column
from rich.text import Text

from ..protocol.text import visible

BAR_WIDTH = 24
LABEL_CHARS = 500
"""The longest an event's label is written."""


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


class _TimeLeft(ProgressColumn):
    """The bar's column for :meth:`Progress.left`: this run's pace, not rich's recent speed."""

    def __init__(self, progress: Progress):
        super().__init__(table_column=Column(no_wrap=True))
        self.progress = progress

    def render(self, task) -> Text:
        return Text(self.progress.left())


class _Label(ProgressColumn):
    """The last event (a submission's name and grade), as it is (no markup), on one line: the one
    column that gives way, cut to the terminal's width."""

    def render(self, task) -> Text:
        return Text(task.description, no_wrap=True, overflow="ellipsis")


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
        self.lock = threading.Lock()
        self.bar: LiveBar | None = None
        if self.tty:
            console = Console(file=self.stream, force_terminal=True, force_interactive=True, highlight=False)
            self.bar = LiveBar(
                BarColumn(bar_width=BAR_WIDTH, table_column=Column(no_wrap=True)),
                MofNCompleteColumn(table_column=Column(no_wrap=True)), _TimeLeft(self), _Label(),
                # sys.stdout and sys.stderr stay as they are: the batch's other output is not the bar's
                console=console, get_time=clock, redirect_stdout=False, redirect_stderr=False,
            )
            self.task = self.bar.add_task("", total=total)

    @property
    def done(self) -> int:
        return self.skipped + self.graded

    def eta(self) -> float | None:
        """Seconds left at this run's pace, or None before the first submission finishes."""
        if self.graded == 0:
            return None
        pace = (self.clock() - self.started) / self.graded
        return pace * (self.total - self.done)

    def left(self) -> str:
        """``~3m00s left``, ``estimating time left``, or, at the end, ``done in 1m02s``."""
        if self.done == self.total:
            return f"done in {duration(self.clock() - self.started)}"
        eta = self.eta()
        return "estimating time left" if eta is None else f"~{duration(eta)} left"

    def start(self, label: str = "") -> None:
        if self.bar is not None:
            self.bar.start()
        self._emit(label)

    def skip(self, count: int) -> None:
        with self.lock:
            self.skipped += count
        if count:
            self._emit(f"{count} already graded (use --regrade to grade them again)")

    def advance(self, label: str) -> None:
        with self.lock:
            self.graded += 1
        self._emit(label)

    def line(self, label: str = "") -> str:
        """The plain line written off a terminal: ``[####----] 4/10  ~3m00s left  LABEL``."""
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        text = f"[{bar}] {self.done}/{self.total}  {self.left()}"
        return f"{text}  {label}" if label else text

    def _emit(self, label: str) -> None:
        label = visible(label, LABEL_CHARS)  # a submission's name: printable already, held to it at the terminal
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, description=label, refresh=True)
            return
        with self.lock:
            self.stream.write(self.line(label) + "\n")
            self.stream.flush()

    def close(self) -> None:
        """End the display (on a terminal, the bar stays as it last was); twice is as once."""
        if self.bar is not None:
            self.bar.stop()
