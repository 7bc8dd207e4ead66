"""``rnn-shapes grade --scheduler``: a real ``dask scheduler`` and two ``dask worker`` processes
on this machine give the rows of local grading; a worker killed mid-grading loses nothing and
duplicates nothing; a submission whose grading takes its worker down every time is an error row.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gradecore.host import procs
from tests.support import LocalDask

from .class_folder import TOOL, outputs, read_table, run_tool

ALLOWED_FAILURES = 1
"""The scheduler's ``distributed.scheduler.allowed-failures`` here: a task is tried twice."""
NEVER_ENDS = "import time\ntime.sleep(10**6)\n"
"""A submission that grades until something ends it: here, the test, killing its worker."""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    pytest.importorskip("distributed")
    dask = LocalDask(tmp_path_factory.mktemp("dask"), workers=2, threads=1,
                     scheduler_env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(ALLOWED_FAILURES)})
    yield dask
    dask.stop()


def test_dask_is_imported_only_by_a_run_on_a_cluster():
    code = ("import sys; import gradecore.cli.main, gradecore.cli.batch, gradecore.cli.cluster; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "[]"


def test_an_unreachable_scheduler_is_one_line_and_an_exit_code(tmp_path, autograder_zip):
    pytest.importorskip("distributed")
    (tmp_path / "a.py").write_text("x = 1\n")
    env = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    for address, says in [("tcp://127.0.0.1:9", "Timed out trying to connect"), ("tcp://127.0.0.1", "missing port")]:
        proc = run_tool(tmp_path / "a.py", "--scheduler", address, "--out", tmp_path / "out",
                        "--autograder", autograder_zip, env=env, timeout=120)
        assert proc.returncode == 3, proc.stderr
        assert f"cannot reach the Dask scheduler at {address}" in proc.stderr and says in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "out" / "results").exists()


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the workers' gradings in /proc")
def test_the_class_on_dask_workers_gives_the_rows_of_local_grading_though_a_worker_dies(
    cluster, klass, tool_run, autograder_zip, tmp_path
):
    """The worker grading carol is killed once, mid-grading: carol is graded again, one row,
    and every output equals local grading's; a second run skips all 12."""
    local, _ = tool_run
    out = tmp_path / "out"
    args = [klass, "--scheduler", cluster.address, "--out", out, "--autograder", autograder_zip]
    tool = subprocess.Popen([str(TOOL), "grade", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    kills = _kill_workers_grading(cluster, tool, {"carol": 1})
    _, stderr = tool.communicate(timeout=60)
    assert tool.returncode == 0, stderr[-3000:]
    assert kills == {"carol": 1}
    assert outputs(out) == outputs(local)
    assert (out / "report.html").exists() and "12/12" in stderr
    again = run_tool(*args, timeout=600)
    assert again.returncode == 0 and "12 already graded" in again.stderr, again.stderr[-2000:]


def _kill_workers_grading(cluster: LocalDask, tool: subprocess.Popen, times: dict[str, int]) -> dict[str, int]:
    """Until ``tool`` ends, SIGKILL the worker process grading a submission whose path has a word of
    ``times``, as soon as its student code runs, at most that many times; return the kills."""
    kills = dict.fromkeys(times, 0)
    deadline = time.monotonic() + 900
    while tool.poll() is None and time.monotonic() < deadline:
        for worker in cluster.worker_processes():
            for word in times:
                if kills[word] < times[word] and _grading(worker, word):
                    os.kill(worker, signal.SIGKILL)
                    kills[word] += 1
        time.sleep(0.2)
    return kills


def _grading(worker: int, file_name: str) -> bool:
    """Whether ``worker`` grades ``file_name`` and its student code runs (a sealed run or a kernel)."""
    otter = student = False
    for pid in procs.descendants(worker):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        otter |= b"otter" in command and file_name.encode() in command
        student |= b"gradecore.sandbox.sealed" in command or b"ipykernel" in command
    return otter and student


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the workers' gradings in /proc")
def test_a_submission_whose_grading_kills_its_worker_is_an_error_row_and_costs_no_one_else(
    cluster, klass, tool_run, autograder_zip, tmp_path
):
    """The worker grading the killer is killed each time (a sealed submission cannot kill it
    itself, so the test does it, as an OOM kill of the worker would): after ``ALLOWED_FAILURES + 1``
    tries it is an error row that says why; dave, graded beside it, keeps his local row."""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(klass / "s1/dave/rnn_shapes.ipynb", folder / "dave.ipynb")
    (folder / "killer.py").write_text(NEVER_ENDS)
    out = tmp_path / "out"
    tool = subprocess.Popen([str(TOOL), "grade", str(folder), "--scheduler", cluster.address, "--out", str(out),
                             "--autograder", str(autograder_zip), "--no-report"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kills = _kill_workers_grading(cluster, tool, {"killer.py": ALLOWED_FAILURES + 5})
    _, stderr = tool.communicate(timeout=60)
    assert tool.returncode == 0, stderr[-3000:]
    assert kills == {"killer.py": ALLOWED_FAILURES + 1}

    rows = {Path(r["submission"]).name: r for r in read_table(out / "grades.csv")}
    assert sorted(rows) == ["dave.ipynb", "killer.py"]
    assert len(list((out / "results").glob("*.json"))) == 2
    local = {r["submission"]: r for r in read_table(tool_run[0] / "grades.csv")}
    assert rows["dave.ipynb"] == dict(local[str(klass / "s1/dave/rnn_shapes.ipynb")],
                                      submission=rows["dave.ipynb"]["submission"])
    killer = rows["killer.py"]
    assert (killer["status"], killer["total"]) == ("error", "")  # blank, never 0
    assert f"the Dask worker grading it died {ALLOWED_FAILURES + 1} times" in killer["reason"]
    # The killed workers' gradings died with them (otter run, its kernel, the sealed runs).
    time.sleep(2)
    left = [pid for pid in procs.descendants(1) if procs.alive(pid) and b"killer.py" in _command(pid)]
    assert not left, left


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the workers' gradings in /proc")
def test_ctrl_c_cancels_the_tasks_and_ends_the_gradings_on_the_workers(cluster, autograder_zip, tmp_path):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "sleepy.py").write_text(NEVER_ENDS)
    tool = subprocess.Popen([str(TOOL), "grade", str(tmp_path / "class"), "--scheduler", cluster.address,
                             "--out", str(tmp_path / "out"), "--autograder", str(autograder_zip)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not any(_grading(w, "sleepy.py") for w in cluster.worker_processes()) and time.monotonic() < deadline:
        assert tool.poll() is None, tool.communicate()
        time.sleep(0.2)
    tool.send_signal(signal.SIGINT)
    _, stderr = tool.communicate(timeout=60)
    assert tool.returncode == 128 + signal.SIGINT, stderr[-2000:]
    assert "Run the same command again" in stderr
    deadline = time.monotonic() + 30
    while any(b"sleepy.py" in _command(pid) for pid in procs.descendants(1) if procs.alive(pid)):
        assert time.monotonic() < deadline, "the worker's grading outlived the cancelled task"
        time.sleep(0.5)
    assert read_table(tmp_path / "out" / "grades.csv") == []


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
