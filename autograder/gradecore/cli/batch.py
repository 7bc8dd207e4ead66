"""Grade many submissions with otter's own machinery, in parallel, resumable after an interruption.

Each submission is graded by ``otter run`` with the built autograder zip in a fresh process of
its own, so every score is the one ``otter run`` gives for that file. As each one finishes, its
record, its feedback file and the grades table are written; a re-run skips what is already
graded (same file, same zip) unless asked to regrade.
"""

from __future__ import annotations

import signal
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from .discovery import OUTPUT_MARKER, Submission, find_submissions
from .grading import SUBMISSION_TIMEOUT_S, UnpackedZip, WarmKernels, grade_one, read_assignment
from .processes import Children
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
    side_by_side: bool = False,
) -> Batch:
    """Grade every submission found in ``paths`` into ``out``; see the module's docstring.

    With ``scheduler`` (a Dask scheduler's address), the submissions are graded on its workers
    (:mod:`gradecore.cli.cluster`) instead of ``jobs`` at a time here; the outputs are the same.
    Where nothing keeps gradings apart here (an ordinary user without user namespaces,
    :func:`gradecore.sandbox.confine.gradings_apart`), they run one at a time, and a line says so,
    unless ``side_by_side``.

    Raises:
        Interrupted: on SIGINT or SIGTERM, after ending the graders and saving what finished.
        gradecore.cli.cluster.ClusterError: with ``scheduler``, when the cluster cannot grade.
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
    if scheduler is None and jobs > 1 and todo and not side_by_side:
        jobs = one_at_a_time_unless_apart(jobs, progress_stream)
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


def one_at_a_time_unless_apart(jobs: int, stream=None) -> int:
    """``jobs``, or 1 where nothing keeps gradings apart on this machine, said on ``stream``
    (standard error by default): side by side, one grading's processes could change a
    neighbour's files and metadata (the same user, Landlock governs opening files only)."""
    from ..sandbox import confine

    apart = confine.gradings_apart()
    if apart.startswith("on"):
        return jobs
    print(f"rnn-shapes: gradings are not kept apart here ({apart.removeprefix('off: ')}); grading one "
          "at a time. Grade as root (a container), or pass --side-by-side to grade --jobs at once anyway.",
          file=stream or sys.stderr, flush=True)
    return 1


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
    code = UnpackedZip(autograder) if todo else None
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


