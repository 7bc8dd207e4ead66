"""Grade many submissions with otter's own machinery, in parallel, resumable after an interruption.

Each submission is graded by ``otter run`` with the built autograder zip in a fresh process of
its own, so every score is the one ``otter run`` gives for that file. As each one finishes, its
record, its feedback file and the grades table are written; a re-run skips what is already
graded (same file, same zip) unless asked to regrade.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import about, limits, memory, procs, settings, warm
from ..facts import EXTRA_DATA_KEY, GradingFacts
from .feedback import one_line
from .progress import Progress
from .records import (
    Assignment,
    Record,
    csv_text,
    feedback_text,
    file_names,
    file_sha256,
    load_records,
    write_atomic,
)

SUFFIXES = (".ipynb", ".py")
SKIPPED_NAMES = ("__init__.py", "setup.py", "conftest.py")
SKIPPED_FOLDERS = (".ipynb_checkpoints", "__pycache__", "__MACOSX")
OUTPUT_MARKER = ".rnn-shapes-grades"
"""A file in every output folder, so that grading a parent folder never grades our own output."""
SUBMISSION_TIMEOUT_S = settings.value("SUBMISSION_TIMEOUT_S")
"""Wall-clock limit for one submission; each student function also has its own limit."""
KILL_GRACE_S = 5


@dataclass
class Submission:
    """A file to grade and the name it has in the table."""

    path: Path
    name: str
    """its path as found under the given folders (the ``submission`` column)"""


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


def exported_notebook(file: Path) -> bool:
    """Whether ``file`` is a zip that ``grader.export`` made: one notebook, and no autograder of its own.

    ``otter run`` grades such a zip as it grades the notebook inside.
    """
    try:
        with zipfile.ZipFile(file) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    notebooks = [n for n in names if n.endswith(".ipynb") and "/" not in n]
    return len(notebooks) == 1 and "otter_config.json" not in names


def find_submissions(paths: list[str | Path], exclude: list[Path] = ()) -> list[Submission]:
    """The ``.ipynb`` and ``.py`` files in ``paths``, and the zips the notebook's submit cell makes,
    folders searched recursively, sorted by name.

    Skips notebook checkpoints, caches, ``__init__.py``, hidden folders and output folders of this
    tool (``exclude`` and any folder holding the output marker). A file named twice counts once.
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: dict[Path, Submission] = {}

    def wanted(file: Path) -> bool:
        if file.suffix == ".zip":
            return exported_notebook(file)
        return file.suffix in SUFFIXES and file.name not in SKIPPED_NAMES and file.is_file()

    for given in map(Path, paths):
        if given.is_dir():
            for folder, dirs, files in os.walk(given):
                here = Path(folder)
                dirs[:] = sorted(
                    d for d in dirs
                    if d not in SKIPPED_FOLDERS and not d.startswith(".")
                    and (here / d).resolve() not in excluded and not (here / d / OUTPUT_MARKER).exists()
                )
                for name in sorted(files):
                    file = here / name
                    if wanted(file) and not name.startswith("."):
                        found.setdefault(file.resolve(), Submission(file, str(file)))
        elif wanted(given):
            found.setdefault(given.resolve(), Submission(given, str(given)))
    return sorted(found.values(), key=lambda s: s.name)


class Children:
    """The ``otter run`` processes in flight, so that an interruption can end them and theirs.

    Otter starts a Jupyter kernel in a session of its own, so killing otter's process group
    would leave the kernel running: the whole tree is found in /proc and killed instead.
    """

    def __init__(self, die_with_parent: bool = False):
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()
        self.stopping = False
        self.die_with_parent = die_with_parent
        """SIGKILL each child when the thread that started it dies: on a Dask worker, whose death
        no handler sees, so that a killed worker leaves no grading behind."""

    def start(self, args: list[str], **kwargs) -> subprocess.Popen | None:
        with self.lock:
            if self.stopping:
                return None
            if self.die_with_parent:
                kwargs["preexec_fn"] = die_with_parent()
            proc = subprocess.Popen(args, start_new_session=True, **kwargs)
            self.procs.add(proc)
            return proc

    def forget(self, proc: subprocess.Popen) -> None:
        with self.lock:
            self.procs.discard(proc)

    def stop_all(self) -> None:
        with self.lock:
            self.stopping = True
            procs = list(self.procs)
        for proc in procs:
            kill_tree(proc)


_PR_SET_PDEATHSIG = 1


def die_with_parent():
    """A ``preexec_fn`` that has the kernel SIGKILL the child when the thread that forked it ends
    (the whole process, when it is killed); libc is found before the fork, not in the child."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return arm


def _signal(pids, sig) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and all its descendants, kernels included; freeze them first so none escapes."""
    if proc.poll() is not None:
        return
    frozen: list[int] = []
    for _ in range(5):
        new = [p for p in [proc.pid, *procs.descendants(proc.pid)] if p not in frozen]
        if not new:
            break
        _signal(new, signal.SIGSTOP)
        frozen += new
    _signal(frozen, signal.SIGKILL)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(KILL_GRACE_S)
    except subprocess.TimeoutExpired:
        pass


def error_reason(stderr: str, returncode: int | None) -> str:
    """One line saying why ``otter run`` gave no results: its last exception, else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        match = re.match(r"^(?:[\w.]+\.)?(\w*(?:Error|Exception|Exit|Interrupt)\b.*)$", line)
        if match:
            return match[1][:300]
    if returncode is not None and returncode < 0:
        return f"otter run was killed by signal {-returncode} (out of memory?)"
    return (lines[-1] if lines else f"otter run exited with status {returncode} and no results")[:300]


class ZipCode:
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

    def __init__(self, code: ZipCode, prefix: str, socket_name: str):
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
    """The batch's template (:mod:`gradecore.warm`): each ``otter run``, and the kernel it starts,
    is a fresh fork of it, with otter and TensorFlow already imported, instead of a new Python
    that imports them.

    A submission can kill the template (its kernel is the template's child): kernels already
    running go on, launchers that find no template start cold kernels, and the template is
    started again before the next submission.
    """

    READY_WAIT_S = 10

    def __init__(self, code: ZipCode, die_with_parent: bool = False):
        super().__init__(code, "gradecore-warm-", "kernels.sock")
        self.die_with_parent = die_with_parent
        """as :attr:`Children.die_with_parent`, for the template"""

    @staticmethod
    def shipped(code: ZipCode) -> bool:
        """Whether the zip has the template's code (a zip built before it did grades cold)."""
        return os.path.exists(os.path.join(code.folder, "gradecore", "warm.py"))

    def ensure(self) -> None:
        """Start the template unless it runs, and wait until it listens (its imports go on after)."""
        with self.lock:
            if self.proc is not None and self.proc.poll() is None:
                return
            if os.path.exists(self.path):
                os.remove(self.path)
            self.proc = subprocess.Popen(
                # not the batch's environment: each fork keeps its template's (warm.environment)
                [sys.executable, "-P", "-m", "gradecore.warm", self.path], env=warm.environment(self.code.folder),
                cwd=self.folder,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                preexec_fn=die_with_parent() if self.die_with_parent else None,
            )
            deadline = time.monotonic() + self.READY_WAIT_S
            while not os.path.exists(self.path) and self.proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)

    def env(self) -> dict[str, str]:
        return {limits.WARM_KERNELS_VARIABLE: self.path}



def grade_one(
    submission: Submission,
    autograder: Path,
    assignment: Assignment,
    timeout: float = SUBMISSION_TIMEOUT_S,
    children: Children | None = None,
    code: ZipCode | None = None,
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
        otter = ["-m", "gradecore.warm", "otter"] if kernels is not None else ["-m", "otter"]
        args = [sys.executable, *otter, "run", "-a", str(Path(autograder).resolve()), "-o", out, "--no-logo",
                str(submission.path.resolve())]
        with open(Path(out) / "stdout.txt", "w") as stdout, open(Path(out) / "stderr.txt", "w") as stderr:
            env = code.env() if code else None
            if kernels is not None:
                env = dict(env or os.environ, **kernels.env())
            else:  # cold: no template of the grading's own either
                env = dict(env or os.environ, **{settings.setting("TEMPLATE").variable: "0"})
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


NO_FACTS = "the autograder zip's plugin wrote no grading facts (a zip of an older build?): rebuild it and grade again"
"""Why a grading whose results hold no facts (:mod:`gradecore.facts`) is an error row: without them
a fault of the grading machine could not be told from wrong answers."""


def _read_results(record: Record, data: dict, assignment: Assignment) -> None:
    """Fill ``record`` from otter's ``results.json``: the points from its tests, everything else
    from the grading's facts, which the plugin alone writes (never the submission's text)."""
    extra = data.get("extra_data")
    found = GradingFacts.from_json(extra.get(EXTRA_DATA_KEY)) if isinstance(extra, dict) else None
    for test in data.get("tests", []):
        name = test.get("name")
        if name in assignment.questions:
            record.points[name] = float(test.get("score") or 0)
            record.outputs[name] = test.get("output") or ""
        elif name == "Autograder Error":
            record.status = "error"
            record.reason = error_reason(test.get("output") or "", None)
    record.total = sum(record.points.values())
    if found is not None:
        record.isolation = found.isolation[:300]
        record.facts = {q: asdict(f) for q, f in found.questions.items() if q in assignment.questions}
    if record.status != "graded":
        return
    if found is None:
        record.status, record.reason = "error", NO_FACTS
    elif found.fault is not None:
        # Not a 0 for wrong answers: the grading machine failed (out of memory, a judge that never
        # answered), and the plugin says so.
        record.status = "error"
        record.reason = found.fault.text.strip()[:500]
    else:
        lost = [q for q in assignment.questions if record.points.get(q, 0) < assignment.points[q]]
        record.reason = lost_reason({q: one_line(record.question_facts(q)) for q in lost})


def lost_reason(messages: dict[str, str]) -> str:
    """One line for the table; questions failing the same way share it ("a, b: is not implemented")."""
    groups: dict[str, list[str]] = {}
    for q, message in messages.items():
        for prefix in (f"{q}: ", f"{q} "):
            if message.startswith(prefix):
                message = message[len(prefix):]
                break
        groups.setdefault(message, []).append(q)
    return "; ".join(f"{', '.join(qs)}: {message}" for message, qs in groups.items())[:500]


class Batch:
    """One grading run: what to grade, where its outputs go, and the records so far."""

    def __init__(self, submissions: list[Submission], autograder: Path, out: Path, assignment: Assignment):
        self.submissions = submissions
        self.autograder = autograder
        self.out = Path(out)
        self.assignment = assignment
        self.names = file_names([s.name for s in submissions])
        self.records: dict[str, Record] = {}
        self.lock = threading.Lock()

    def resume(self, regrade: bool) -> list[Submission]:
        """Load what earlier runs graded; return the submissions still to grade."""
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / OUTPUT_MARKER).touch()
        if regrade:
            return list(self.submissions)
        earlier = load_records(self.out / "results")
        zip_hash = file_sha256(self.autograder)
        todo = []
        for sub in self.submissions:
            record = earlier.get(sub.name)
            if record and record.autograder_sha256 == zip_hash and record.sha256 == file_sha256(sub.path):
                self.records[sub.name] = record
            else:
                todo.append(sub)
        return todo

    def save(self, record: Record) -> None:
        """Write the record, its feedback file and the grades table (each whole, by rename)."""
        with self.lock:
            name = self.names[record.submission]
            write_atomic(self.out / "results" / f"{name}.json", record.to_json())
            write_atomic(self.out / "feedback" / f"{name}.txt", feedback_text(record, self.assignment))
            self.records[record.submission] = record
            self.write_table()

    def write_table(self) -> None:
        write_atomic(self.out / "grades.csv", csv_text(list(self.records.values()), self.assignment))

    def write_all(self) -> None:
        """Rebuild every output from the records (a resumed run's skipped rows included)."""
        with self.lock:
            for record in self.records.values():
                name = self.names[record.submission]
                write_atomic(self.out / "feedback" / f"{name}.txt", feedback_text(record, self.assignment))
            self.write_table()

    def rows(self) -> list[Record]:
        return sorted(self.records.values(), key=lambda r: r.submission)


class Interrupted(Exception):
    """The run was stopped by a signal; what finished is saved."""

    def __init__(self, signum: int, batch: Batch):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.batch = batch


def grade_all(
    paths: list[str],
    autograder: Path,
    out: Path,
    jobs: int = 2,
    timeout: float = SUBMISSION_TIMEOUT_S,
    regrade: bool = False,
    progress_stream=None,
    warm: bool = True,
    scheduler: str | None = None,
) -> Batch:
    """Grade every submission found in ``paths`` into ``out``; see the module's docstring.

    With ``scheduler`` (a Dask scheduler's address), the submissions are graded on its workers
    (:mod:`gradecore.tools.cluster`) instead of ``jobs`` at a time here; the outputs are the same.

    Raises:
        Interrupted: on SIGINT or SIGTERM, after ending the graders and saving what finished.
        gradecore.tools.cluster.ClusterError: with ``scheduler``, when the cluster cannot grade.
    """
    autograder = Path(autograder)
    if not autograder.is_file():
        raise FileNotFoundError(f"no autograder zip at {autograder}: run `make dist` first")
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(map(str, missing))}")
    assignment = read_assignment(autograder)
    batch = Batch(find_submissions(paths, exclude=[Path(out)]), autograder, out, assignment)
    todo = batch.resume(regrade)
    client = None
    if scheduler is not None and todo:
        from .cluster import connect

        client = connect(scheduler)  # before anything is written: an unreachable scheduler changes nothing
    batch.write_all()
    progress = Progress(len(batch.submissions), progress_stream)
    progress.start()
    progress.skip(len(batch.submissions) - len(todo))
    received: list[int] = []

    def on_signal(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt

    def finished(record: Record) -> None:
        batch.save(record)
        progress.advance(f"{record.submission}: {_summary(record, assignment)}")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if scheduler is None:
            _grade_here(todo, autograder, assignment, finished, jobs, timeout, warm)
        elif client is not None:
            from .cluster import grade_on_cluster

            grade_on_cluster(client, todo, autograder, finished, timeout, warm)
    except KeyboardInterrupt:
        progress.close()
        raise Interrupted(received[-1] if received else signal.SIGINT, batch) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    progress.close()
    return batch


def _grade_here(
    todo: list[Submission],
    autograder: Path,
    assignment: Assignment,
    finished,
    jobs: int,
    timeout: float,
    warm: bool,
) -> None:
    """Grade ``todo`` on this machine, ``jobs`` at a time; ``finished(record)`` as each one ends."""
    children = Children()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="grade")
    code = ZipCode(autograder) if todo else None
    kernels = WarmKernels(code) if code and warm and WarmKernels.shipped(code) else None
    try:
        submitted: dict[Future, Submission] = {
            pool.submit(grade_one, sub, autograder, assignment, timeout, children, code, kernels): sub
            for sub in todo
        }
        pending = set(submitted)
        while pending:
            done, pending = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
            for fut in done:
                record = fut.result()
                if record is not None:
                    finished(record)
    except KeyboardInterrupt:
        # Ignore further signals while the children are ended and the outputs written.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)
        children.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if kernels is not None:
            kernels.stop()
        if code is not None:
            code.remove()


def _summary(record: Record, assignment: Assignment) -> str:
    if record.status != "graded":
        return f"{record.status}"
    return f"{record.total:g}/{assignment.max_total:g}"


def table(batch: Batch) -> str:
    """The grades as a fixed-width text table."""
    short = batch.assignment.short
    questions = batch.assignment.questions
    rows = batch.rows()
    width = max([len(r.submission) for r in rows] + [10])
    heads = "  ".join(f"{short.get(q, q)[:8]:>8}" for q in questions)
    lines = [f"{'submission':<{width}}  {heads}     total  status"]
    for r in rows:
        cells = "  ".join(f"{r.points.get(q, 0):>8g}" for q in questions)
        lines.append(f"{r.submission:<{width}}  {cells}  {r.total:>8g}  {r.status}")
    return "\n".join(lines)
