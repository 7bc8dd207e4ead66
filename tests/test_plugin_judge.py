"""The plugin asking its judge for the verdicts, on the judge's private pipes: a judge that runs but
never answers is the grading machine's fault, and the feedback and the batch's table say so, never
a row of zeros that reads like the submission's doing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from gradecore.cli import otter_output
from gradecore.cli.grading import read_assignment
from gradecore.cli.records import Assignment, Record
from gradecore.host.judge_client import JudgeClient, JudgeGone, JudgeSilent, silence
from gradecore.protocol import facts, limits


@pytest.fixture
def judge(built, tmp_path):
    """A real judge of rnn_shapes, from its built zip, on its pipes."""
    with zipfile.ZipFile(built / "rnn_shapes" / "autograder" / "autograder.zip") as zf:
        zf.extractall(tmp_path / "zip")
    client = JudgeClient("rnn_shapes", str(tmp_path / "zip"))
    assert "calls" in client.request({"op": "calls", "question": "count_params"})
    yield client
    client.stop()


def test_a_judge_that_runs_and_never_answers_is_silent(judge):
    """A judge stopped (a machine too loaded to schedule it) answers nothing: that is named."""
    os.kill(judge.pid, signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(JudgeSilent):
        judge.request({"op": "calls", "question": "count_params"}, quiet=1)
    assert 0.9 < time.monotonic() - started < 10
    os.kill(judge.pid, signal.SIGCONT)


def test_a_judge_that_is_gone_is_not_silent(judge):
    os.kill(judge.pid, signal.SIGKILL)
    judge.proc.wait()
    with pytest.raises(JudgeGone):
        judge.request({"op": "calls", "question": "count_params"}, quiet=5)


def test_the_batch_makes_a_silent_judge_an_error_row():
    assignment = Assignment(["f", "g"], {"f": 1.0, "g": 2.0}, {"f": ["f hidden"], "g": ["g hidden"]}, name="toy")
    message = f"❌ f: not graded: {limits.JUDGE_SILENT} ({silence()}). This is a fault of the grading machine"
    tests = [{"name": "f", "score": 0, "max_score": 1, "output": message},
             {"name": "g", "score": 0, "max_score": 2, "output": message.replace("f:", "g:")}]
    fault = f"{limits.JUDGE_SILENT} ({silence()}); grade it again"
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


# --- a judge whose process ends before the sealed runs' calls (overload, the system) ----------------


def _ancestors(pid: int) -> set[int]:
    found = set()
    while pid > 1 and pid not in found:
        found.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return found


def _grade_killing_judges(built, tmp_path, judges_to_kill: int) -> tuple[dict, list[int]]:
    """``otter run`` of rnn_shapes' reference solution, killing the first ``judges_to_kill`` judge
    processes it starts as soon as each appears (before it can answer), as the system kills one;
    only this grading's, found by their ancestry."""
    submission = tmp_path / "rnn_shapes.py"
    submission.write_text((Path(__file__).resolve().parents[1] / "solutions" / "rnn_shapes" / "solution.py").read_text())
    out = tmp_path / "out"
    out.mkdir()
    otter = Path(sys.executable).with_name("otter")
    proc = subprocess.Popen([str(otter), "run", "-a", str(built / "rnn_shapes" / "autograder" / "autograder.zip"),
                             "-o", str(out), "--no-logo", str(submission)], cwd=out,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed: list[int] = []

    def killer() -> None:
        while proc.poll() is None and len(killed) < judges_to_kill:
            for entry in os.listdir("/proc"):
                if not entry.isdigit() or int(entry) in killed:
                    continue
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as f:
                        command = f.read()
                except OSError:
                    continue
                if b"gradecore.judge.service" in command and proc.pid in _ancestors(int(entry)):
                    os.kill(int(entry), signal.SIGKILL)
                    killed.append(int(entry))
            time.sleep(0.005)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
        thread.join()
    return json.loads((out / "results.json").read_text()), killed


def test_a_judge_that_ends_before_its_calls_is_started_again(built, tmp_path):
    """The first judge killed as it starts: a second judge gives the calls, and the reference
    solution gets every point, with no fault."""
    results, killed = _grade_killing_judges(built, tmp_path, 1)
    assert len(killed) == 1
    found = facts.GradingFacts.from_json(results["extra_data"][facts.EXTRA_DATA_KEY])
    assert found.fault is None, found.fault
    assert all(t["score"] == t["max_score"] for t in results["tests"]), results["tests"]


def test_judges_that_keep_ending_are_a_fault_of_the_machine_never_a_0(built, tmp_path):
    """Every judge killed as it starts (both): each question reads "not graded", a fault of the
    machine, and the batch's row is an error that says so, never a graded 0 (as on a machine under
    load, where a correct submission once read 0 with no word of why)."""
    results, killed = _grade_killing_judges(built, tmp_path, 2)
    assert len(killed) == 2
    found = facts.GradingFacts.from_json(results["extra_data"][facts.EXTRA_DATA_KEY])
    assert found.fault is not None and found.fault.kind == facts.FaultKind.JUDGE_GONE, found
    for test in results["tests"]:
        assert test["score"] == 0 and f"not graded: {limits.JUDGE_GONE}" in test["output"], test
    assignment = read_assignment(built / "rnn_shapes" / "autograder" / "autograder.zip")
    record = Record("rnn_shapes.py", sha256="", autograder_sha256="")
    otter_output._read_results(record, results, assignment)
    assert record.status == "error" and limits.JUDGE_GONE in record.reason, (record.status, record.reason)
