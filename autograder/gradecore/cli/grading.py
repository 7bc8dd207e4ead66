"""Grading one submission: ``otter run`` with the zip's own code, unpacked once for the batch, in a process
of its own, its kernel forked from the batch's warm template."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from ..host import forkserver_client
from ..kernel import memory
from ..protocol import about, limits, settings
from ..sandbox.prctl import die_with_parent
from .discovery import Submission
from .otter_output import _read_results, error_reason
from .processes import Children, kill_tree
from .records import (
    Assignment,
    Record,
    file_sha256,
)

SUBMISSION_TIMEOUT_S = settings.value("SUBMISSION_TIMEOUT_S")
"""Wall-clock limit for one submission; each student function also has its own limit."""


def read_assignment(autograder: Path) -> Assignment:
    """Questions, points, titles and order from the zip's ``assignment.json``."""
    with zipfile.ZipFile(autograder) as zf:
        found = about.parse(zf.read(about.ASSIGNMENT_FILE))
    if found is None:
        raise ValueError(f"{autograder}: its {about.ASSIGNMENT_FILE} lists no questions")
    questions = found["questions"]
    return Assignment(
        tuple(q["name"] for q in questions),
        {q["name"]: float(q["points"]) for q in questions},
        {q["name"]: [q["title"]] if q.get("title") else [] for q in questions},
        name=found["name"],
        short={q["name"]: q.get("short") or q["name"][:8] for q in questions},
    )


class UnpackedZip:
    """The zip's own grading code, unpacked once for a batch.

    Every process of the batch (each ``otter run``, its plugin, its judge and its kernel)
    imports the core and the assignment's grader from here, never from the installed package:
    a zip built from another commit is graded by that commit's code, as ``otter run`` and
    Gradescope grade it.
    """

    def __init__(self, autograder: Path):
        self.folder = tempfile.mkdtemp(prefix="gradecore-zip-")
        with zipfile.ZipFile(autograder) as zf:
            zf.extractall(self.folder)
        self.assignment = json.loads(Path(self.folder, about.ASSIGNMENT_FILE).read_text())["name"]

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return dict(os.environ, PYTHONPATH=self.folder, **(extra or {}))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _Server:
    """A process the batch starts for all its submissions, listening on a socket in a folder of its own."""

    def __init__(self, code: UnpackedZip, prefix: str, socket_name: str):
        self.code = code
        self.folder = tempfile.mkdtemp(prefix=prefix)
        self.path = os.path.join(self.folder, socket_name)
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def stop(self) -> None:
        with self.lock:
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait()
                self.proc = None
        shutil.rmtree(self.folder, ignore_errors=True)


class WarmKernels(_Server):
    """The batch's template (:mod:`gradecore.host.forkserver`): each ``otter run``, and the kernel it starts,
    is a fresh fork of it, with otter and TensorFlow already imported, instead of a new Python
    that imports them.

    A submission can kill the template (its kernel is the template's child): kernels already
    running go on, launchers that find no template start cold kernels, and the template is
    started again before the next submission.
    """

    def __init__(self, code: UnpackedZip, die_with_parent: bool = False):
        super().__init__(code, "gradecore-warm-", "kernels.sock")
        self.die_with_parent = die_with_parent
        """as :attr:`Children.die_with_parent`, for the template"""
        self.module = self.server_module(code)
        """the template's module in the zip's code (:meth:`server_module`)"""

    @staticmethod
    def server_module(code: UnpackedZip) -> str | None:
        """The template's module in the zip's code: ``gradecore.host.forkserver``, or in a zip built
        before 2026-12-08 ``gradecore.host.template`` (the same server under its old name); None in
        a zip built before it had one."""
        for name in ("forkserver", "template"):
            if os.path.exists(os.path.join(code.folder, "gradecore", "host", f"{name}.py")):
                return f"gradecore.host.{name}"
        return None

    @staticmethod
    def shipped(code: UnpackedZip) -> bool:
        """Whether the zip has the template's code (a zip built before it did grades cold)."""
        return WarmKernels.server_module(code) is not None

    def ensure(self) -> None:
        """Start the template unless it runs, and wait until it listens (its imports go on after)."""
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                return
            if os.path.exists(self.path):
                os.remove(self.path)
            self.proc = subprocess.Popen(
                # not the batch's environment: each fork keeps its template's (forkserver_client.environment)
                [sys.executable, "-P", "-m", self.module, self.path],
                env=forkserver_client.environment(self.code.folder), cwd=self.folder,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                preexec_fn=die_with_parent() if self.die_with_parent else None,
            )
            forkserver_client.wait_listening(self.proc, self.path)

    def env(self) -> dict[str, str]:
        return {limits.WARM_KERNELS_VARIABLE: self.path}


def _scratch(out: str) -> str:
    """The temporary folder of one ``otter run``, inside the grading's own: the zip it unpacks and
    its sandbox's folders go there, and go with it, even where the run is killed (a timeout, Ctrl-C)
    before its own clean-up; they once stayed in ``/tmp``, each up to the disk limit. The sandbox's
    users pass through it (``0o711``: no listing) to their own folders."""
    scratch = os.path.join(out, "tmp")
    os.mkdir(scratch, 0o711)
    os.chmod(scratch, 0o711)
    os.chmod(out, 0o711)
    return scratch


def grade_one(
    submission: Submission,
    autograder: Path,
    assignment: Assignment,
    timeout: float = SUBMISSION_TIMEOUT_S,
    children: Children | None = None,
    code: UnpackedZip | None = None,
    kernels: WarmKernels | None = None,
) -> Record | None:
    """Grade one submission with ``otter run`` in a fresh process; None if interrupted.

    With ``code``, every process imports the zip's own grading code; with ``kernels``, its kernel
    is forked from the batch's warm template. Each grading has a judge of its own, which its
    plugin starts on private pipes.
    """
    children = children or Children()
    if kernels is not None:
        kernels.ensure()
    record = Record(submission.name, sha256=file_sha256(submission.path), autograder_sha256=file_sha256(autograder))
    started = time.monotonic()
    oom_kills = memory.oom_kills()
    with tempfile.TemporaryDirectory(prefix="rnn-shapes-grade-") as out:
        otter = ["-m", kernels.module, "otter"] if kernels is not None else ["-m", "otter"]
        args = [sys.executable, *otter, "run", "-a", str(Path(autograder).resolve()), "-o", out, "--no-logo",
                str(submission.path.resolve())]
        with open(Path(out) / "stdout.txt", "w") as stdout, open(Path(out) / "stderr.txt", "w") as stderr:
            env = code.env() if code else None
            if kernels is not None:
                env = dict(env or os.environ, **kernels.env())
            else:  # cold: no template of the grading's own either
                env = dict(env or os.environ, **{settings.setting("TEMPLATE").variable: "0"})
            env["TMPDIR"] = _scratch(out)
            proc = children.start(args, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, cwd=out, env=env)
            if proc is None:
                return None
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                kill_tree(proc)
                record.status, record.reason = "timeout", f"grading took longer than {timeout:g} s"
            finally:
                kill_tree(proc)
                children.forget(proc)
        if children.stopping:
            return None
        record.seconds = round(time.monotonic() - started, 1)
        results = Path(out) / "results.json"
        if record.status == "graded":
            if results.exists():
                _read_results(record, json.loads(results.read_text()), assignment)
            else:
                record.status = "error"
                record.reason = error_reason((Path(out) / "stderr.txt").read_text(errors="replace"), proc.returncode)
                after = memory.oom_kills()
                if proc.returncode is not None and proc.returncode < 0 and None not in (oom_kills, after) and after > oom_kills:
                    record.reason = f"{limits.OUT_OF_MEMORY}: the system killed otter run; {limits.RAISE_MEMORY}"
    if record.status != "graded":
        record.points, record.total = {}, 0.0
    return record
