"""Helpers for tests that grade whole submissions: otter run, and submissions built from a solution.

Every assignment's tests use them through :class:`AssignmentUnderTest`, which binds them to one assignment: its
questions and points come from its spec, its submissions from its reference solution with chosen
functions replaced (given as functions, renamed, or as source text).
"""

from __future__ import annotations

import ast
import base64
import csv
import inspect
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

import nbformat
import pytest

from gradecore.cli.build import PUBLIC_MODULES, PUBLIC_PACKAGE
from gradecore.public import spec as specs

ROOT = Path(__file__).resolve().parents[1]
OTTER = Path(sys.executable).with_name("otter")
TOOL = Path(sys.executable).with_name("rnn-shapes")

Source = Union[str, Callable, specs.Mistake]


@dataclass
class Graded:
    """What ``otter run`` said about one submission."""

    scores: dict[str, float]
    outputs: dict[str, str]
    raw: dict
    points: dict[str, float]
    stderr: str = ""
    """what otter run printed on standard error (the instructor's terminal)"""

    def lost(self) -> set[str]:
        return {q for q in self.points if self.scores.get(q, 0) < self.points[q]}


def otter_run(
    zip_path: Path, submission: Path, points: dict[str, float], timeout: float = 600, env: dict | None = None
) -> Graded:
    """Grade one submission with the real ``otter run`` (``env`` added to its environment) and
    read its results.json."""
    out = submission.parent / f"{submission.stem}-results"
    out.mkdir(exist_ok=True)
    proc = subprocess.run(
        [str(OTTER), "run", "-a", str(zip_path), "-o", str(out), "--no-logo", str(submission)],
        capture_output=True, text=True, timeout=timeout, cwd=out, env=dict(os.environ, **(env or {})),
    )
    results = out / "results.json"
    assert results.exists(), f"otter run produced no results.json:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    raw = json.loads(results.read_text())
    scores = {t["name"]: t.get("score") for t in raw["tests"] if t["name"] in points}
    outputs = {t["name"]: t.get("output", "") for t in raw["tests"] if t["name"] in points}
    return Graded(scores, outputs, raw, points, proc.stderr)


def _helpers(function: Callable, seen: set[str]) -> list[str]:
    """Sources of the module-level helpers (``_name`` functions) that ``function`` calls, callees first."""
    found = []
    for used in function.__code__.co_names:
        helper = function.__globals__.get(used)
        if used.startswith("_") and inspect.isfunction(helper) and used not in seen:
            seen.add(used)
            found += _helpers(helper, seen) + [textwrap.dedent(inspect.getsource(helper)).strip()]
    return found


def function_source(name: str, value: Source) -> str:
    """Source text defining ``name``: given as text, taken from a catalogue entry (its source text,
    else its function), or taken from a function (renamed, with the module-level helpers it calls)."""
    if isinstance(value, specs.Mistake):
        value = value.source or value.function
    if callable(value):
        text = textwrap.dedent(inspect.getsource(value))
        tree = ast.parse(text)
        func = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
        func.decorator_list = []
        func.name = name
        return "\n\n\n".join([*_helpers(value, set()), ast.unparse(func)])
    return textwrap.dedent(value).strip()


class AssignmentUnderTest:
    """One assignment's questions, points, solution and submissions, for its tests."""

    def __init__(self, name: str, root: Path = ROOT):
        """``name``'s kit in the project at ``root``, whose ``assignments`` package must be the one
        imported (this project's, unless a test adds another's folder to it)."""
        self.name = name
        self.spec = specs.load(name)
        self.questions: tuple[str, ...] = self.spec.names
        self.points: dict[str, float] = self.spec.points
        self.folder = root / "assignments" / name
        self.solution = root / "solutions" / name / "solution.py"

    def reference_sources(self) -> dict[str, str]:
        """The source of each graded function in the reference solution."""
        text = self.solution.read_text()
        tree = ast.parse(text)
        return {
            node.name: ast.get_source_segment(text, node)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name in self.questions
        }

    def function(self, name: str, body: str) -> str:
        """Source text of ``name`` with the reference's parameters and ``body`` as its body."""
        node = ast.parse(self.reference_sources()[name]).body[0]
        return f"def {name}({ast.unparse(node.args)}):\n" + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"

    def reference_after(self, name: str, statements: str) -> str:
        """Source text of the reference ``name`` with ``statements`` run first in its body."""
        node = ast.parse(self.reference_sources()[name]).body[0]
        node.body[:0] = ast.parse(textwrap.dedent(statements)).body
        return ast.unparse(node)

    def _sources(self, overrides: dict[str, Source] | None) -> dict[str, str]:
        sources = self.reference_sources()
        for name, value in (overrides or {}).items():
            sources[name] = function_source(name, value)
        return sources

    def py_submission(self, overrides: dict[str, Source] | None = None, header: str = "import numpy as np\n") -> str:
        """A ``.py`` submission: the reference with ``overrides`` replacing some functions."""
        sources = self._sources(overrides)
        return header + "\n\n" + "\n\n\n".join(sources[q] for q in self.questions if q in sources) + "\n"

    def notebook_submission(self, student_notebook: Path, overrides: dict[str, Source] | None = None):
        """The student notebook with each stub cell replaced by the reference (or an override)."""
        nb = nbformat.read(student_notebook, as_version=4)
        sources = self._sources(overrides)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for name in self.questions:
                if f"def {name}(" in cell.source and "NotImplementedError" in cell.source:
                    cell.source = sources[name]
        return nb

    def grade_batch(self, folder: Path, zip_path: Path, out: Path) -> dict:
        """Every file in ``folder`` graded in one batch by ``rnn-shapes grade`` (each by ``otter run``
        with ``zip_path``): its records by file name."""
        from gradecore.cli.records import load_records

        proc = subprocess.run(
            [str(Path(sys.executable).with_name("rnn-shapes")), "grade", str(folder), "--autograder", str(zip_path),
             "--out", str(out), "--jobs", "2", "--no-report"],
            capture_output=True, text=True, timeout=3600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        return {Path(r.submission).name: r for r in load_records(out / "results").values()}

    def scores(self, record) -> dict[str, float]:
        """The points of a batch record, question by question; it must have been graded."""
        assert record.status == "graded", (record.submission, record.reason)
        return {q: record.points.get(q, 0) for q in self.questions}

    def otter_run(self, zip_path: Path, submission: Path, timeout: float = 600, env: dict | None = None) -> Graded:
        return otter_run(zip_path, submission, self.points, timeout, env)

    def grader(self, zip_path: Path, folder: Path) -> Callable[..., Graded]:
        """``grade(text_or_notebook, suffix)``: write a submission in ``folder`` and grade it."""
        counter = iter(range(10**6))

        def grade(content, suffix: str = ".py") -> Graded:
            sub_dir = folder / f"s{next(counter)}"
            sub_dir.mkdir()
            path = sub_dir / f"submission{suffix}"
            if suffix == ".ipynb":
                nbformat.write(content, path)
            else:
                path.write_text(content)
            return self.otter_run(zip_path, path)

        return grade


def put(root: Path, relative: str, content) -> None:
    """Write a submission (text, or a notebook) at ``root / relative``, making its folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content)
    else:
        nbformat.write(content, path)


def run_tool(*args, **kwargs) -> subprocess.CompletedProcess:
    """``rnn-shapes grade ARGS`` (each made a string), its output captured."""
    return subprocess.run([str(TOOL), "grade", *map(str, args)], capture_output=True, text=True, **kwargs)


def read_table(path: Path) -> list[dict]:
    """The rows of a ``grades.csv``."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def grade_class(klass: Path, autograder_zip: Path, out: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """A class folder graded once by the tool here, two at a time: the rows every other way must give."""
    proc = run_tool(klass, "--jobs", 2, "--out", out, "--autograder", autograder_zip, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


@pytest.fixture(scope="module")
def entries_run_once():
    """Within a module that uses it, each catalogue entry runs once on each check: the diagnosis
    tests ask the judge for the same entry's outcome on the same check many times over (an entry
    is a function of the check's inputs alone, and the judge only reads what it returns)."""
    from gradecore.judge import diagnosis

    real = diagnosis._entry_outcome
    seen: dict[tuple[str, int], dict] = {}

    def once(entry, check) -> dict:
        key = (entry.id, id(check))
        if key not in seen:
            seen[key] = real(entry, check)
        return seen[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diagnosis, "_entry_outcome", once)
        yield


def name_of(style: Source) -> str:
    """A style's name in a test's message: its function's, or its source's first definition."""
    if callable(style):
        return style.__name__
    return "with helper: " + textwrap.dedent(style).strip().split("(")[0].removeprefix("def ")


def mistake_rounds(spec: specs.AssignmentSpec) -> list[dict[str, specs.Mistake]]:
    """Round i holds the i-th catalogue entry of every function that has one: one submission each."""
    by_question = {q: spec.catalogue.for_question(q) for q in spec.names}
    count = max(len(v) for v in by_question.values())
    return [{q: entries[i] for q, entries in by_question.items() if i < len(entries)} for i in range(count)]


def style_rounds(styles: dict[str, list]) -> list[dict]:
    """Round i holds the i-th style of every function that has one: one submission each."""
    count = max(len(v) for v in styles.values())
    return [{q: s[i] for q, s in styles.items() if i < len(s)} for i in range(count)]


def fixtures(kit: AssignmentUnderTest):
    """The session fixtures of an assignment's tests, for its conftest.py:
    ``dist, autograder_zip, student_notebook, grade = fixtures(KIT)``."""
    import pytest

    @pytest.fixture(scope="session")
    def dist(built) -> Path:
        return built / kit.name

    @pytest.fixture(scope="session")
    def autograder_zip(dist) -> Path:
        return dist / "autograder" / "autograder.zip"

    @pytest.fixture(scope="session")
    def student_notebook(dist) -> Path:
        return dist / "student" / f"{kit.name}.ipynb"

    @pytest.fixture(scope="session")
    def grade(autograder_zip, tmp_path_factory):
        """``grade(text_or_notebook, suffix)``: write a submission and grade it through the zip."""
        return kit.grader(autograder_zip, tmp_path_factory.mktemp(f"{kit.name}-submissions"))

    return dist, autograder_zip, student_notebook, grade


CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")
"""cgroup v1's memory controller, as on these machines and in Docker on them (Gradescope's
containers limit memory the same way)."""


class MemoryCgroup:
    """A fresh memory cgroup with a limit, for grading as a container with that limit would.

    ``command(args)`` runs ``args`` inside it; :meth:`oom_kills` counts the processes the limit
    killed; :meth:`remove` kills what is left and removes the group.
    """

    def __init__(self, limit_mb: int):
        if not os.access(CGROUP_MEMORY, os.W_OK):
            pytest.skip("needs a writable cgroup v1 memory controller (root, as on these machines)")
        _remove_stale_cgroups()
        self.path = CGROUP_MEMORY / f"rnn-shapes-test-{os.getpid()}-{id(self)}"
        self.path.mkdir()
        for name in ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes"):
            if (self.path / name).exists():
                (self.path / name).write_text(str(limit_mb * 2**20))

    def command(self, args: list[str]) -> list[str]:
        return ["sh", "-c", f'echo $$ > {self.path / "cgroup.procs"} && exec "$@"', "sh", *args]

    def oom_kills(self) -> int:
        for line in (self.path / "memory.oom_control").read_text().splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
        return 0

    def remove(self) -> None:
        for pid in (self.path / "cgroup.procs").read_text().split():
            try:
                os.kill(int(pid), 9)
            except OSError:
                pass
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)


def _remove_stale_cgroups() -> None:
    """Remove the empty memory cgroups of test processes that are gone: a run killed before its
    ``remove`` left one behind (found on 2026-12-08, a day old)."""
    for path in CGROUP_MEMORY.glob("rnn-shapes-test-*-*"):
        pid = path.name.split("-")[3]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            try:
                path.rmdir()
            except OSError:
                pass


GRADER_IMPORT = re.compile(r"\b(from|import)\s+gradecore\b(?!_public)")
"""An import of the grading core itself: the student material imports only ``gradecore_public``."""


def student_texts(kit: AssignmentUnderTest, student: Path) -> dict[str, str]:
    """The student folder's files by path, after checking it holds exactly the self-contained
    notebook, the skeleton script, its pytest checks and the GitHub Classroom config; the notebook's public checks
    (in its metadata) are listed too, as ``<notebook>#<question>``."""
    files = sorted(str(p.relative_to(student)) for p in student.rglob("*") if p.is_file())
    expected = [
        f"{kit.name}.ipynb", f"{kit.name}.py", "pytest.ini", "conftest.py", "README.md", f"test_{kit.name}.py",
        ".github/classroom/autograding.json",
    ]
    assert files == sorted(expected), files
    texts = {name: (student / name).read_text() for name in files}
    checks = nbformat.reads(texts[f"{kit.name}.ipynb"], as_version=4).metadata["otter"]["tests"]
    assert sorted(checks) == sorted(kit.questions), "the notebook should carry one public check per question"
    for q, text in checks.items():
        assert "hidden=False" in text and "hidden=True" not in text, f"{q}'s public check"
        texts[f"{kit.name}.ipynb#{q}"] = text
    # The checks' helper travels inside the notebook as a base64 zip: its modules are student material too.
    helper = nbformat.reads(texts[f"{kit.name}.ipynb"], as_version=4).metadata["gradecore"]["public"]
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(helper))) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(f"{PUBLIC_PACKAGE}/{m}" for m in ("__init__.py", *PUBLIC_MODULES)), names
        for name in names:
            texts[f"{kit.name}.ipynb#{name}"] = zf.read(name).decode()
    classroom = json.loads(texts[".github/classroom/autograding.json"])
    assert {t["name"]: t["points"] for t in classroom["tests"]} == kit.points
    return texts


class LocalDask:
    """A real Dask cluster on this machine: ``dask scheduler`` and ``workers`` ``dask worker``
    processes (each a nanny and its worker process, ``threads`` threads), started as a cluster
    administrator would start them, for the tests and the bench of ``rnn-shapes grade --scheduler``.

    The scheduler gives each worker at most ``threads`` tasks at a time (``worker-saturation``
    1.0, as the docs advise for grading), so that a worker's death touches only what it grades.
    """

    READY_WAIT_S = 180

    def __init__(self, folder: Path, workers: int = 2, threads: int = 1, scheduler_env: dict | None = None):
        from gradecore.cli.processes import kill_tree

        self._kill_tree = kill_tree
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        dask = str(Path(sys.executable).with_name("dask"))
        info = self.folder / "scheduler.json"
        env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0", **(scheduler_env or {}))
        self.procs: list[subprocess.Popen] = []
        self.scheduler = self._start([dask, "scheduler", "--scheduler-file", str(info), "--port", "0",
                                      "--no-dashboard"], "scheduler.log", env)
        deadline = time.monotonic() + self.READY_WAIT_S
        while not info.exists() and time.monotonic() < deadline and self.scheduler.poll() is None:
            time.sleep(0.1)
        assert info.exists(), (self.folder / "scheduler.log").read_text()[-2000:]
        self.address: str = json.loads(info.read_text())["address"]
        self.nannies = [
            self._start([dask, "worker", self.address, "--nthreads", str(threads), "--name", f"w{i}",
                         "--no-dashboard", "--memory-limit", "0"], f"worker{i}.log")
            for i in range(workers)
        ]
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=self.READY_WAIT_S)

    def _start(self, args: list[str], log: str, env: dict | None = None) -> subprocess.Popen:
        with open(self.folder / log, "w") as out:
            proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=env, cwd=self.folder, start_new_session=True)
        self.procs.append(proc)
        return proc

    def worker_processes(self) -> list[int]:
        """The worker process of each nanny (a nanny starts a new one when its worker dies)."""
        from gradecore.host import procs

        found = []
        for nanny in self.nannies:
            for pid in procs.descendants(nanny.pid):
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if b"spawn_main" in command and procs.alive(pid):
                    found.append(pid)
        return found

    def stop(self) -> None:
        for proc in reversed(self.procs):
            self._kill_tree(proc)
