"""The batch's progress display: plain lines off a terminal (CI, cluster logs), rich's bar on one."""

from __future__ import annotations

import io
import re
import sys

from gradecore.cli.progress import Progress, duration


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_off_a_terminal_each_event_is_one_plain_line_without_escape_codes(monkeypatch):
    """Whatever the environment asks of rich, a log gets lines of text, one per event."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(4, stream, clock=lambda: now[0])
    progress.start()
    progress.skip(2)
    now[0] = 30.0
    progress.advance("a[1].py: 9/9")
    now[0] = 45.0
    progress.advance("b.py: error")
    progress.close()
    assert stream.getvalue().splitlines() == [
        "[------------------------] 0/4  estimating time left",
        "[############------------] 2/4  estimating time left  2 already graded (use --regrade to grade them again)",
        "[##################------] 3/4  ~30s left  a[1].py: 9/9",
        "[########################] 4/4  done in 45s  b.py: error",
    ]
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()


def test_the_time_left_counts_this_runs_pace_not_the_submissions_skipped():
    now = [0.0]
    progress = Progress(10, io.StringIO(), clock=lambda: now[0])
    progress.skip(2)
    assert progress.eta() is None and progress.left() == "estimating time left"
    now[0] = 60.0
    progress.advance("a.py: 9/9")
    progress.advance("b.py: 7/9")
    assert progress.eta() == 180.0 and progress.line().startswith("[") and "4/10  ~3m00s left" in progress.line()
    assert [duration(s) for s in (59.6, 75, 3725)] == ["1m00s", "1m15s", "1h02m"]


def test_on_a_terminal_the_bar_is_redrawn_in_place_and_leaves_the_standard_streams_alone():
    now = [0.0]
    stream = Terminal()
    stdout, stderr = sys.stdout, sys.stderr
    progress = Progress(10, stream, clock=lambda: now[0])
    progress.start()
    progress.skip(2)
    assert (sys.stdout, sys.stderr) == (stdout, stderr)
    now[0] = 60.0
    progress.advance("[bold]a.py: 9/9")
    progress.advance("x" * 300 + ".py: 7/9")
    progress.close()
    progress.close()
    assert "\r" in stream.getvalue() and stream.getvalue().endswith("\n\x1b[?25h")
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    assert "2 already graded" in shown and " 4/10 ~3m00s left" in shown
    assert "[bold]a.py: 9/9" in shown, "a submission's name is shown as it is, never read as markup"
    last = shown.rstrip("\n").rsplit("\r", 1)[-1]
    assert "…" in last and "x" * 300 not in last, "a line longer than the terminal is cut, not wrapped"
