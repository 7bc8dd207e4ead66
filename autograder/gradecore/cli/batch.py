"""Grade many submissions with otter's own machinery, in parallel, resumable after an interruption.

Each submission is graded by ``otter run`` with the built autograder zip in a fresh process of
its own, so every score is the one ``otter run`` gives for that file. As each one finishes, its
record, its feedback file and the grades table are written; a re-run skips what is already
graded (same file, same zip) unless asked to regrade.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from .discovery import OUTPUT_MARKER, Skipped, Submission, find_submissions
from .exports import write_exports
from .gradebook import Gradebook, choose, gradebook
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
from .roster import Roster
from .students import Identifier, Student

SKIPPED_FILE = "skipped.csv"
"""``OUT/skipped.csv``: every file found but not graded (not a submission, superseded), and why."""


class Batch:
    """One grading run: what to grade, where its outputs go, and the records so far.

    The output folder keeps the records of every run into it: a run of a few files (``--regrade``
    of one student) updates their rows and keeps every other row.
    """

    def __init__(self, submissions: list[Submission], autograder: Path, out: Path, assignment: Assignment,
                 students: dict[str, Student] | None = None, skipped: list[Skipped] | None = None,
                 canvas_column: str | None = None):
        self.submissions = submissions
        self.autograder = autograder
        self.out = Path(out)
        self.assignment = assignment
        self.students = students or {}
        """the student of each submission of this run, by its name"""
        self.skipped = list(skipped or [])
        """the files of this run that are not graded, and why"""
        self.canvas_column = canvas_column
        self.names = file_names([s.name for s in submissions])
        self.records: dict[str, Record] = {}
        self.lock = threading.Lock()

    def resume(self, regrade: bool) -> list[Submission]:
        """Load what earlier runs graded; return the submissions still to grade."""
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / OUTPUT_MARKER).touch()
        earlier = load_records(self.out / "results")
        mine = {s.name for s in self.submissions}
        # Files an earlier run skipped stay listed, unless this run saw them again or they are gone.
        seen = mine | {s.path for s in self.skipped}
        self.skipped += [s for s in read_skipped(self.out / SKIPPED_FILE)
                         if s.path not in seen and os.path.lexists(s.path)]
        # Rows of files not in this run stay as they are (regrade in place).
        self.records = {name: r for name, r in earlier.items() if name not in mine}
        self.names = file_names(sorted(mine | set(self.records)))
        for name, record in self.records.items():
            if name in self.students:  # found again (another student's, with --student): a roster given now names it
                self._rename(record, self.students[name])
        if regrade:
            return list(self.submissions)
        zip_hash = file_sha256(self.autograder)
        todo = []
        for sub in self.submissions:
            if sub.problem:  # not graded (a link): its error row is written again, at no cost
                todo.append(sub)
                continue
            record = earlier.get(sub.name)
            if record and record.autograder_sha256 == zip_hash and record.sha256 == file_sha256(sub.path):
                if sub.name in self.students:
                    self._rename(record, self.students[sub.name])
                self.records[sub.name] = record
            else:
                todo.append(sub)
        return todo

    def _rename(self, record: Record, student: Student) -> None:
        """Give a kept record the student this run reads (a roster given now names it), on disk too."""
        if record.student != student.to_json():
            record.student = student.to_json()
            write_atomic(self.out / "results" / f"{self.names[record.submission]}.json", record.to_json())

    def save(self, record: Record) -> None:
        """Write the record, its feedback file and the grades table (each whole, by rename)."""
        with self.lock:
            if record.submission in self.students and not record.student:
                record.student = self.students[record.submission].to_json()
            name = self.names[record.submission]
            write_atomic(self.out / "results" / f"{name}.json", record.to_json())
            write_atomic(self.out / "feedback" / f"{name}.txt", feedback_text(record, self.assignment))
            self.records[record.submission] = record
            self.write_table()

    def gradebook(self) -> Gradebook:
        """The records, one counted per student."""
        return gradebook(list(self.records.values()))

    def write_table(self) -> None:
        """Write ``grades.csv``, the exports and ``skipped.csv`` from the records."""
        book = self.gradebook()
        write_atomic(self.out / "grades.csv", csv_text(book.rows, self.assignment))
        write_exports(book.rows, self.assignment, self.out, self.canvas_column)
        write_atomic(self.out / SKIPPED_FILE, skipped_csv(self.all_skipped(book)))

    def all_skipped(self, book: Gradebook | None = None) -> list[Skipped]:
        """Every file found but not graded in this run, and every graded one superseded, by path."""
        book = book or self.gradebook()
        found = {s.path: s for s in self.skipped}
        found.update({s.path: s for s in book.superseded})
        return sorted(found.values(), key=lambda s: s.path)

    def write_all(self) -> None:
        """Rebuild every output from the records (a resumed run's skipped rows included)."""
        with self.lock:
            for record in self.records.values():
                name = self.names[record.submission]
                write_atomic(self.out / "feedback" / f"{name}.txt", feedback_text(record, self.assignment))
            self.write_table()

    def rows(self) -> list[Record]:
        """One record per student: the one that counts (see :mod:`gradecore.cli.gradebook`)."""
        return self.gradebook().rows


def read_skipped(path: Path) -> list[Skipped]:
    """The entries of an earlier ``skipped.csv``."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return []
    return [Skipped(r["file"], r["reason"]) for r in rows if r.get("file") and r.get("reason")]


def skipped_csv(skipped: list[Skipped]) -> str:
    """``skipped.csv``: file, reason."""
    import csv
    import io

    from ..protocol.text import csv_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "reason"])
    for s in skipped:
        writer.writerow([csv_cell(s.path), csv_cell(s.reason, 500)])
    return buf.getvalue()


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
    roster: Path | None = None,
    student: str | None = None,
    canvas_column: str | None = None,
    side_by_side: bool = False,
) -> Batch:
    """Grade every submission found in ``paths`` into ``out``; see the module's docstring.

    Each file's student is read from its path (:mod:`gradecore.cli.students`, with ``roster``, a CSV
    file, for names that say nothing); of a student's files only the latest is graded. With
    ``student`` (a name, id or email), only that student's files are graded.

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
    found_roster = _roster(roster, Path(out))
    skipped: list[Skipped] = []
    found = find_submissions(paths, exclude=[Path(out)], skipped=skipped)
    identify = Identifier(found_roster)
    students = {s.name: identify(s.path, s.root or s.path, s.name) for s in found}
    if student is not None:
        found = [s for s in found if _is(students[s.name], student)]
        if not found:
            raise FileNotFoundError(f"no submission of a student named {student!r} in {', '.join(map(str, paths))}")
    chosen, superseded = choose(found, students)
    batch = Batch(chosen, autograder, out, assignment, students, skipped + superseded, canvas_column)
    todo = batch.resume(regrade)
    refused = [sub for sub in todo if sub.problem]
    todo = [sub for sub in todo if not sub.problem]
    client = None
    if scheduler is not None and todo:
        from .cluster import connect

        client = connect(scheduler)  # before anything is written: an unreachable scheduler changes nothing
    batch.write_all()
    progress = Progress(len(batch.submissions), progress_stream)
    progress.start()
    progress.skip(len(batch.submissions) - len(todo) - len(refused))
    todo = _plain_failures(todo, batch, autograder, progress)
    received: list[int] = []

    def on_signal(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt

    def finished(record: Record) -> None:
        if record.status != "graded":
            from .plain import plain_reason

            record.detail = record.reason
            record.reason = plain_reason(record.status, record.reason, timeout)
        batch.save(record)
        progress.advance(f"{record.submission}: {_summary(record, assignment)}")

    for sub in refused:  # an entry that is not graded (a link): its row says why
        finished(Record(sub.name, status="error", reason=sub.problem))
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
        return f"{record.status}: {record.reason}"
    return f"{record.total:g}/{assignment.max_total:g}"


ROSTER_FILE = "roster.csv"
"""``OUT/roster.csv``: the roster last given for this output folder, used by later runs into it."""


def _roster(given: Path | None, out: Path) -> Roster | None:
    """The roster given (then kept as ``OUT/roster.csv``), else the one kept from an earlier run, else None."""
    if given is None:
        kept = out / ROSTER_FILE
        return Roster.load(kept) if kept.is_file() else None
    roster = Roster.load(given)  # a roster that cannot be read changes nothing
    write_atomic(out / ROSTER_FILE, Path(given).read_text(encoding="utf-8-sig"))
    return roster


def _is(student: Student, wanted: str) -> bool:
    """Whether ``wanted`` (from ``--student``) names ``student``: its name, id, email or key."""
    wanted = wanted.strip().lower()
    return wanted in {student.name.lower(), student.id.lower(), student.email.lower(), student.key.lower()} - {""}


def other_assignments(autograder: Path) -> dict[str, tuple[str, ...]]:
    """The questions of every assignment built beside ``autograder`` (``dist/*/autograder/autograder.zip``)."""
    found = {}
    parents = Path(autograder).resolve().parents
    if len(parents) < 3:
        return found
    for zip_path in parents[2].glob("*/autograder/autograder.zip"):
        try:
            other = read_assignment(zip_path)
        except (OSError, ValueError, KeyError):
            continue
        found[other.name] = other.questions
    return found


def _plain_failures(todo: list[Submission], batch: Batch, autograder: Path, progress: Progress) -> list[Submission]:
    """Save an error row, in plain words, for each file of ``todo`` that cannot be graded (empty, not a
    notebook, another assignment's); return the others."""
    from .plain import other_assignment, precheck

    others = other_assignments(autograder) if todo else {}
    left = []
    for sub in todo:
        reason = precheck(sub.path) or other_assignment(sub.path, batch.assignment, others)
        if reason is None:
            left.append(sub)
            continue
        record = Record(sub.name, status="error", reason=reason, sha256=file_sha256(sub.path),
                        autograder_sha256=file_sha256(autograder))
        batch.save(record)
        progress.advance(f"{record.submission}: {_summary(record, batch.assignment)}")
    return left


