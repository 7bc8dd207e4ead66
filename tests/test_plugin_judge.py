"""The plugin asking its judge for the verdicts, on the judge's private pipes: a judge that runs but
never answers is the grading machine's fault, and the feedback and the batch's table say so, never
a row of zeros that reads like the submission's doing."""

from __future__ import annotations

import json
import os
import signal
import time
import zipfile

import pytest

from gradecore.cli import otter_output
from gradecore.cli.records import Assignment, Record
from gradecore.host.judge_client import JudgeClient, JudgeGone, JudgeSilent
from gradecore.protocol import facts, limits


@pytest.fixture
def judge(built, tmp_path):
    """A real judge of rnn_shapes, from its built zip, on its pipes."""
    with zipfile.ZipFile(built / "rnn_shapes" / "autograder" / "autograder.zip") as zf:
        zf.extractall(tmp_path / "zip")
    client = JudgeClient("rnn_shapes", str(tmp_path / "zip"))
    assert "calls" in client.request({"op": "calls", "question": "count_params"}, reply_s=60)
    yield client
    client.stop()


def test_a_judge_that_runs_and_never_answers_is_silent(judge):
    """A judge stopped (a machine too loaded to schedule it) answers nothing: that is named."""
    os.kill(judge.pid, signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(JudgeSilent):
        judge.request({"op": "calls", "question": "count_params"}, reply_s=0.5, attempts=2)
    assert 0.9 < time.monotonic() - started < 10
    os.kill(judge.pid, signal.SIGCONT)


def test_a_judge_that_is_gone_is_not_silent(judge):
    os.kill(judge.pid, signal.SIGKILL)
    judge.proc.wait()
    with pytest.raises(JudgeGone):
        judge.request({"op": "calls", "question": "count_params"}, reply_s=5)


def test_the_batch_makes_a_silent_judge_an_error_row():
    assignment = Assignment(["f", "g"], {"f": 1.0, "g": 2.0}, {"f": ["f hidden"], "g": ["g hidden"]}, name="toy")
    message = f"❌ f: not graded: {limits.JUDGE_SILENT} (asked 3 times, 60 s each). This is a fault of the grading machine"
    tests = [{"name": "f", "score": 0, "max_score": 1, "output": message},
             {"name": "g", "score": 0, "max_score": 2, "output": message.replace("f:", "g:")}]
    fault = f"{limits.JUDGE_SILENT} (asked 3 times, 60 s each); grade it again"
    questions = {q: facts.QuestionFacts(passed=False, checks=[message[2:]]) for q in ("f", "g")}
    found = facts.GradingFacts("full", facts.Fault(facts.FaultKind.JUDGE_SILENT, fault), questions)
    data = {"output": f"Isolation: full.\nMachine fault: {fault}", "tests": tests,
            "extra_data": {facts.EXTRA_DATA_KEY: json.loads(json.dumps(found.to_json()))}}
    record = Record("s.py", sha256="", autograder_sha256="")
    otter_output._read_results(record, data, assignment)
    assert record.status == "error" and record.reason == fault and record.isolation == "full"
    # the same words in the submission's own output (a message it raised) are not a fault: only
    # the plugin's facts are read
    found.fault = None
    forged = {"output": f"Isolation: full.\nProblems found while running the submission:\n- Machine fault: {fault}",
              "tests": tests, "extra_data": {facts.EXTRA_DATA_KEY: found.to_json()}}
    record = Record("s.py", sha256="", autograder_sha256="")
    otter_output._read_results(record, forged, assignment)
    assert record.status == "graded" and record.total == 0
    # results without facts (a zip whose plugin did not write them) are an error row, never a 0
    record = Record("s.py", sha256="", autograder_sha256="")
    otter_output._read_results(record, {"output": data["output"], "tests": tests}, assignment)
    assert record.status == "error" and record.reason == otter_output.NO_FACTS
