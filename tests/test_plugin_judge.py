"""The plugin asking its judge for the verdicts: a judge that runs but never answers is the grading
machine's fault, and the feedback and the batch's table say so, never a row of zeros that reads
like the submission's doing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest

from gradecore import limits, plugin
from gradecore.tools import batch
from gradecore.tools.records import Assignment, Record


@pytest.fixture
def silent_judge(tmp_path, monkeypatch):
    """A Unix socket that accepts every connection and never answers; the connections it saw."""
    path = str(tmp_path / "judge.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    seen: list[socket.socket] = []

    def accept():
        while True:
            try:
                seen.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    monkeypatch.setenv(limits.JUDGE_VARIABLE, path)
    monkeypatch.setattr(plugin, "JUDGE_REPLY_S", 0.2)
    yield seen
    server.close()


def _plugin() -> plugin.JudgePlugin:
    grader = object.__new__(plugin.JudgePlugin)
    grader.judge_silent = False
    return grader


def test_a_judge_that_runs_and_never_answers_is_asked_again_then_named(silent_judge, monkeypatch):
    monkeypatch.setenv(limits.JUDGE_PID_VARIABLE, str(os.getpid()))  # alive
    grader = _plugin()
    assert grader._ask_judge("verdicts") is None
    assert grader.judge_silent and len(silent_judge) == plugin.JUDGE_ATTEMPTS


def test_a_judge_that_is_gone_is_not_the_machines_fault(silent_judge, monkeypatch):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    monkeypatch.setenv(limits.JUDGE_PID_VARIABLE, str(gone.pid))  # killed, e.g. by the submission
    grader = _plugin()
    assert grader._ask_judge("verdicts") is None
    assert not grader.judge_silent and len(silent_judge) == 1


def test_the_batch_makes_a_silent_judge_an_error_row():
    assignment = Assignment(["f", "g"], {"f": 1.0, "g": 2.0}, {"f": ["f hidden"], "g": ["g hidden"]}, name="toy")
    message = f"❌ f: not graded: {limits.JUDGE_SILENT} (asked 3 times, 60 s each). This is a fault of the grading machine"
    data = {"tests": [{"name": "f", "score": 0, "max_score": 1, "output": message},
                      {"name": "g", "score": 0, "max_score": 2, "output": message.replace("f:", "g:")}]}
    record = Record("s.py", sha256="", autograder_sha256="")
    batch._read_results(record, data, assignment)
    assert record.status == "error" and record.reason.startswith(f"f: not graded: {limits.JUDGE_SILENT}")
