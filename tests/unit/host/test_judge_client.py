"""The plugin's wait for its judge (:mod:`gradecore.host.judge_client`) counts progress, not time:
real processes that answer on their pipes with the judge's heartbeats (:mod:`gradecore.protocol.progress`).

A judge that works (its CPU time grows: an import, its truth worker's Keras) is waited for past the
quiet window; one that sends nothing (stopped, deadlocked, never scheduled) is silent after it; and
no answer comes later than the overall limit, heartbeats or not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gradecore.host.judge_client import JudgeClient, JudgeGone, JudgeSilent

CORE_PARENT = str(Path(__file__).resolve().parents[3] / "autograder")

STAND_IN = """
import sys, time
sys.path.insert(0, {core!r})
from gradecore.protocol import progress, wire
beats = progress.Heartbeat(sys.stdout.buffer)
beats.tick_while_working()
print("ready", file=sys.stderr, flush=True)
request = wire.recv(sys.stdin.buffer)
end = time.monotonic() + {seconds}
while time.monotonic() < end:
    if {spins}:
        sum(range(10_000))  # working: its CPU time grows, so its ticker beats
    else:
        time.sleep(0.05)  # waiting on nothing: no heartbeat
beats.send(lambda stream: wire.send(stream, {{"answer": request["op"]}}))
time.sleep(60)
"""


def _judge(seconds: float, spins: bool) -> JudgeClient:
    """A process that speaks the judge's protocol: it answers after ``seconds``, working (its CPU
    time grows) or idle meanwhile. Returned once its ticker runs: the tests' quiet windows (2 s,
    not the grading's ``JUDGE_QUIET_S`` of 60 s) would count the start of its Python, which takes
    longer than that on a loaded machine (load average 20 on 2 cores)."""
    code = textwrap.dedent(STAND_IN).format(core=CORE_PARENT, seconds=seconds, spins=spins)
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stderr.readline() == b"ready\n"
    return JudgeClient.of_process(proc)


@pytest.fixture
def started():
    clients: list[JudgeClient] = []

    def start(seconds: float, spins: bool) -> JudgeClient:
        clients.append(_judge(seconds, spins))
        return clients[-1]

    yield start
    for client in clients:
        client.stop()


def test_a_judge_slower_than_the_quiet_window_but_working_is_waited_for(started):
    judge = started(3.5, spins=True)
    begun = time.monotonic()
    assert judge.request({"op": "truths"}, quiet=2.2, limit=60) == {"answer": "truths"}
    assert time.monotonic() - begun >= 3.4


def test_a_judge_that_sends_nothing_is_silent_after_the_quiet_window(started):
    judge = started(30.0, spins=False)
    begun = time.monotonic()
    with pytest.raises(JudgeSilent, match="no sign of progress in 1.5 s"):
        judge.request({"op": "truths"}, quiet=1.5, limit=60)
    assert 1.4 < time.monotonic() - begun < 10


def test_a_stopped_judge_sends_no_heartbeat(started):
    """A judge the machine does not schedule (stopped here) is silent, its ticker with it."""
    judge = started(30.0, spins=True)
    time.sleep(0.5)
    os.kill(judge.pid, signal.SIGSTOP)
    try:
        with pytest.raises(JudgeSilent, match="no sign of progress"):
            judge.request({"op": "truths"}, quiet=2, limit=60)
    finally:
        os.kill(judge.pid, signal.SIGCONT)


def test_heartbeats_never_extend_the_wait_past_the_overall_limit(started):
    judge = started(30.0, spins=True)
    begun = time.monotonic()
    with pytest.raises(JudgeSilent, match="no answer in 2.5 s"):
        judge.request({"op": "truths"}, quiet=2.2, limit=2.5)
    assert time.monotonic() - begun < 10


def test_a_judge_that_is_gone_is_not_silent(started):
    judge = started(30.0, spins=False)
    judge.proc.kill()
    judge.proc.wait()
    with pytest.raises(JudgeGone):
        judge.request({"op": "truths"}, quiet=2.5, limit=60)
