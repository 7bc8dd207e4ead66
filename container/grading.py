"""Grade one submission in a container as Gradescope does, or with ``otter run`` for reference.

In the container: the submission is copied to ``/autograder/submission/``, a
``submission_metadata.json`` to ``/autograder/``, then the image's ``/autograder/run_autograder``
runs with no network (and, if asked, Gradescope's limits on memory and CPU). While it runs, the
container's memory cgroup (v1) is sampled for the peak ``total_rss``; ``results.json`` is copied
out at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from gradecore.protocol.facts import EXTRA_DATA_KEY, GradingFacts

OTTER = Path(sys.executable).with_name("otter")
CGROUP_MEMORY = Path("/sys/fs/cgroup/memory/docker")
CGROUP_CPUACCT = Path("/sys/fs/cgroup/cpuacct/docker")
SAMPLE_S = 0.1

GRADESCOPE_LIMITS = ["--memory", "768m", "--memory-swap", "768m", "--cpus", "1"]
"""Gradescope's default autograder resources: 768 MB of memory, no swap beyond it, one CPU."""

GRADESCOPE_METADATA = {
    "id": 123456789,
    "created_at": "2026-11-23T09:00:00.000000-08:00",
    "assignment": {
        "id": 4242,
        "title": "RNN shapes",
        "due_date": "2026-12-01T23:59:00.000000-08:00",
        "late_due_date": None,
        "release_date": "2026-11-20T00:00:00.000000-08:00",
        "group_submission": False,
        "group_size": None,
        "total_points": "9.0",
        "course_id": 777,
        "outline": [],
    },
    "submission_method": "upload",
    "users": [{"email": "student@example.edu", "id": 1111, "name": "A. Student", "assignments": []}],
    "previous_submissions": [],
}
"""A submission_metadata.json shaped as Gradescope's documentation shows it."""


@dataclass
class Outcome:
    """What one grading gave."""

    scores: dict[str, float]
    """Points per test name from ``results.json`` (empty when there is none)."""
    seconds: float
    """Wall-clock time from start to exit (container) or of the ``otter run`` process."""
    status: str
    """``graded``, ``no results`` (no results.json), ``timeout`` or ``oom`` (the cgroup killed a process)."""
    peak_rss_mib: Optional[float] = None
    """Highest ``total_rss`` of the container's memory cgroup seen while it ran."""
    max_usage_mib: Optional[float] = None
    """``memory.max_usage_in_bytes`` (rss and page cache) at the last sample."""
    oom_kills: int = 0
    """Processes the cgroup's OOM killer ended (``memory.oom_control`` oom_kill)."""
    cpu_s: Optional[float] = None
    """CPU seconds the container's processes used (``cpuacct.usage`` at the last sample): on a
    loaded machine a steadier figure than the wall clock."""
    exit_code: Optional[int] = None
    raw: dict = field(default_factory=dict)
    """The whole ``results.json``."""
    log_tail: str = ""

    @property
    def total(self) -> float:
        return sum(self.scores.values())


def mib(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.0f}"


def scores_of(results: dict) -> dict[str, float]:
    return {t["name"]: float(t["score"]) for t in results.get("tests", []) if t.get("score") is not None}


def otter_run(zip_path: Path, submission: Path, timeout: float, env: Optional[dict[str, str]] = None) -> Outcome:
    """``otter run -a ZIP SUBMISSION``, here, in a fresh folder, with ``env`` added to the environment."""
    with tempfile.TemporaryDirectory(prefix="otter-run-") as tmp:
        start = time.monotonic()
        try:
            proc = subprocess.run([str(OTTER), "run", "-a", str(zip_path), "-o", tmp, str(submission)],
                                  capture_output=True, text=True, timeout=timeout, env=dict(os.environ, **(env or {})))
        except subprocess.TimeoutExpired:
            return Outcome({}, time.monotonic() - start, "timeout")
        seconds = time.monotonic() - start
        results = Path(tmp) / "results.json"
        if not results.exists():
            return Outcome({}, seconds, "no results", exit_code=proc.returncode,
                           log_tail=(proc.stdout + proc.stderr)[-2000:])
        raw = json.loads(results.read_text())
        return Outcome(scores_of(raw), seconds, "graded", exit_code=proc.returncode, raw=raw,
                       log_tail=(proc.stdout + proc.stderr)[-3000:])


def facts_of(outcome: Outcome) -> Optional[GradingFacts]:
    """What the grader recorded of the grading in ``results.json`` (its isolation line, a fault of
    the machine); None where it has none."""
    extra = outcome.raw.get("extra_data")
    return GradingFacts.from_json(extra.get(EXTRA_DATA_KEY)) if isinstance(extra, dict) else None


def isolation_of(outcome: Outcome) -> str:
    """The grading's isolation line (which mechanisms were on, whether cases were fresh); empty
    where ``results.json`` has none."""
    found = facts_of(outcome)
    return found.isolation if found else ""


def fault_of(outcome: Outcome) -> str:
    """``kind: text`` of the fault of the machine the grading recorded (a process killed for
    memory, a judge that did not answer: its questions read 0 on Gradescope); empty if none."""
    found = facts_of(outcome)
    return f"{found.fault.kind}: {found.fault.text}" if found and found.fault else ""


def docker(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, **kw)


class _Sampler(threading.Thread):
    """Reads the container's memory cgroup until it disappears (the container exited)."""

    def __init__(self, container_id: str):
        super().__init__(daemon=True)
        self.dir = CGROUP_MEMORY / container_id
        self.cpu_file = CGROUP_CPUACCT / container_id / "cpuacct.usage"
        self.cpu_ns = 0
        self.peak_rss = 0
        self.max_usage = 0
        self.oom_kills = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                stat = dict(line.split() for line in (self.dir / "memory.stat").read_text().splitlines())
                self.peak_rss = max(self.peak_rss, int(stat["total_rss"]))
                self.max_usage = int((self.dir / "memory.max_usage_in_bytes").read_text())
                oom = dict(line.split() for line in (self.dir / "memory.oom_control").read_text().splitlines())
                self.oom_kills = int(oom.get("oom_kill", 0))
                self.cpu_ns = int(self.cpu_file.read_text())
            except (FileNotFoundError, ProcessLookupError, ValueError, OSError):
                pass
            self.stop.wait(SAMPLE_S)


def in_container(image: str, submission: Path, metadata: Optional[dict], timeout: float,
                 limits: list[str] = (), name: Optional[str] = None, network: str = "none",
                 before_start: Optional[Callable[[str], None]] = None,
                 after_exit: Optional[Callable[[str], None]] = None,
                 env: Optional[dict[str, str]] = None) -> Outcome:
    """Grade ``submission`` in a fresh container of ``image`` with no network.

    Args:
        image: a grading image (``images.build_grading``).
        submission: the file, named as the student named it.
        metadata: the content of ``submission_metadata.json``; None writes an empty file, as
            ``otter grade``'s image does.
        timeout: seconds before the container is killed.
        limits: extra ``docker create`` options, e.g. ``GRADESCOPE_LIMITS``.
        name: the file name inside the container (default: the submission's own).
        network: ``--network``: ``none``, or ``container:ID`` to share the loopback of another
            container that has none (a listener the submission may try to reach).
        before_start: called with the container's id once the submission is in place.
        after_exit: called with the container's id after it exited, before it is removed.
        env: variables set in the container (``docker create -e``), e.g. a ``GRADECORE_`` setting.

    Returns:
        The outcome, with the peak memory of the container's cgroup.
    """
    variables = [f"--env={name}={value}" for name, value in (env or {}).items()]
    created = docker("create", "--network", network, *limits, *variables, image, "/autograder/run_autograder")
    cid = created.stdout.strip()
    try:
        with tempfile.TemporaryDirectory(prefix="rnn-shapes-grade-") as tmp:
            meta = Path(tmp) / "submission_metadata.json"
            meta.write_text("" if metadata is None else json.dumps(metadata))
            docker("cp", str(submission), f"{cid}:/autograder/submission/{name or submission.name}")
            docker("cp", str(meta), f"{cid}:/autograder/submission_metadata.json")
            if before_start:
                before_start(cid)
            sampler = _Sampler(cid)
            start = time.monotonic()
            docker("start", cid)
            sampler.start()
            status = "graded"
            try:
                waited = docker("wait", cid, timeout=timeout)
                exit_code = int(waited.stdout.strip() or -1)
            except subprocess.TimeoutExpired:
                docker("kill", cid, check=False)
                status, exit_code = "timeout", None
            seconds = time.monotonic() - start
            sampler.stop.set()
            sampler.join()
            state = json.loads(docker("inspect", "-f", "{{json .State}}", cid).stdout)
            logs = docker("logs", cid, check=False)
            log_tail = (logs.stdout + logs.stderr)[-3000:]
            results = Path(tmp) / "results.json"
            got = docker("cp", f"{cid}:/autograder/results/results.json", str(results), check=False)
            raw = json.loads(results.read_text()) if got.returncode == 0 and results.exists() else {}
            if after_exit:
                after_exit(cid)
            if sampler.oom_kills or state.get("OOMKilled"):
                status = "oom" if status == "graded" else status
            if not raw and status == "graded":
                status = "no results"
            return Outcome(scores_of(raw), seconds, status, sampler.peak_rss / 2**20, sampler.max_usage / 2**20,
                           sampler.oom_kills, sampler.cpu_ns / 1e9, exit_code, raw, log_tail)
    finally:
        docker("rm", "-f", cid, check=False)
