"""One grading's sandbox, as the trusted side prepares it, and the sealed runs it starts in it.

Trust steps, where they happen:

- a private folder per grading (:class:`Sandbox`): a copy of the grading core's public code for the
  sandboxed processes to import (never the zip's folder, which holds the truths, the seed and the
  catalogue), and a scratch folder for each sandboxed process, made afresh for each run and
  removed (with all it holds) once the run's every process is ended, before the next starts;
- where the grader is root, a user of its own for each untrusted process of the grading (the
  NumPy-only run, the library's run, the kernel), each owning only its scratch folder, so that
  none can set the times, modes or attributes of what another left; the zip's folder closed to
  them all (0700);
- the sealed run (:func:`Sandbox.run_sealed`): a fresh ``python -I`` that confines itself before
  it reads the submission's code, and that answers only with data, within deadlines; the
  NumPy-only run first, while the judge starts (:func:`Sandbox.start_sealed`), then the library's,
  never side by side;
- at the end (:func:`Sandbox.sweep`), every process the grading's sandbox started is killed, by
  its user and as a descendant of this process (a child subreaper), before any result is written.

A sealed run's own pieces (what one is, its process, its answers read) are :mod:`gradecore.host.sealed_runs`;
the traces a run leaves in the file system, undone, :mod:`gradecore.host.traces`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Optional

from ..protocol import settings, wire
from ..protocol.limits import CELL_TIME_LIMIT_S, IMPORT_GRACE_S, WARM_KERNELS_VARIABLE
from ..sandbox import confine
from ..sandbox.sealed import BOOTSTRAP, FORBIDDEN
from . import disk, forkserver_client, procs
from .procs import PASSED_ENVIRONMENT
from .sealed_runs import MAX_RUNS, START_S, SealedRun, Started, _FrameReader, _Fresh, answer_deadline
from .traces import access_times, remove_tree, restore_times

CORE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The grading core's folder, whose public code the sandboxed processes import (a copy of it)."""

def open_the_way(paths: list[str]) -> None:
    """Where the grader is root: let other users pass through (not list) the folders above each
    path, so that the sandbox's user can reach Python where it lives (``/root/...``)."""
    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        while folder and folder != os.sep:
            try:
                mode = os.stat(folder).st_mode
                if not mode & 0o001:
                    os.chmod(folder, (mode & 0o7777) | 0o001)
            except OSError:
                pass
            folder = os.path.dirname(folder)


def _not_for_the_sandbox(folder: str, names: list[str]) -> set[str]:
    """What the sandbox's copy of the core leaves out: the judge and the command line, and any
    compiled file but those of the modules it copies (each sandboxed process then imports the core
    without compiling it again; nothing of a module it lacks)."""
    left_out = {"cli", "judge"}
    if os.path.basename(folder) == "__pycache__":
        sources = set(os.listdir(os.path.dirname(folder)))
        left_out.update(n for n in names if not (n.endswith(".pyc") and n.split(".")[0] + ".py" in sources))
    return left_out


class Sandbox:
    """The sandbox of one grading: its folders, its user, its policies, and the means to end it."""

    def __init__(self, prefix: str = "gradecore-"):
        self.root = tempfile.mkdtemp(prefix=prefix)
        self.is_root = os.geteuid() == 0
        self.uids: dict[str, int] = (
            {role: confine.sandbox_uid(role=role) for role in confine.SANDBOX_ROLES} if self.is_root else {})
        """each untrusted process's user (:data:`gradecore.sandbox.confine.SANDBOX_ROLES`), where the
        grader is root; none otherwise"""
        self.template: Optional[str] = None
        """The socket of a template (:mod:`gradecore.host.forkserver`) to fork the library's sealed run from."""
        self._template_proc: Optional[subprocess.Popen] = None
        """This grading's own template, where it started one (:func:`use_template`)."""
        self.lib = os.path.join(self.root, "lib")
        shutil.copytree(CORE, os.path.join(self.lib, os.path.basename(CORE)),
                        ignore=_not_for_the_sandbox)
        # a grading that ends before its plugin's last step (the kernel died as it started) still
        # leaves nothing behind: its folder and processes go when otter's process exits
        atexit.register(self.remove)
        self.homes: dict[str, str] = {role: self._scratch(role) for role in confine.SANDBOX_ROLES}
        """each untrusted process's scratch folder, made afresh before it starts (:func:`renew`)"""
        self.report: dict[str, str] = {}
        """what the sealed run's confinement got, mechanism by mechanism"""
        self.disk_limit_bytes = int(settings.value("DISK_LIMIT_MB")) * 2**20
        """what all the sandbox's processes together may write (:mod:`gradecore.host.disk`)"""
        self.stopped = False
        """set by :func:`stop`: no sealed run starts any more"""
        self._running: Any = None
        """the sealed run under way, for :func:`stop` to kill"""
        self.killed_mb: list[float] = []
        """the peak memory (MiB) of each of the current run's processes that died of ``SIGKILL`` unsent by the grader"""
        if self.is_root:
            os.chmod(self.root, 0o711)
            for folder, _, files in os.walk(self.lib):
                os.chmod(folder, 0o755)
                for name in files:
                    os.chmod(os.path.join(folder, name), 0o644)
            open_the_way([sys.executable, os.path.realpath(sys.executable), *confine.python_paths()])

    @property
    def uid(self) -> Optional[int]:
        """The kernel's user (which owns the submission's folder), where the grader is root."""
        return self.uids.get("kernel")

    @property
    def sealed_home(self) -> str:
        return self.homes["sealed"]

    @property
    def library_home(self) -> str:
        return self.homes["library"]

    @property
    def kernel_home(self) -> str:
        return self.homes["kernel"]

    def _scratch(self, role: str) -> str:
        """A new, empty scratch folder for ``role`` (named after it, where the name is free), its user's alone."""
        path = os.path.join(self.root, role)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:  # what a removal left: never reused
            path = tempfile.mkdtemp(prefix=f"{role}-", dir=self.root)
        if role in self.uids:
            os.chown(path, self.uids[role], self.uids[role])
        return path

    def renew(self, role: str) -> str:
        """Remove ``role``'s scratch folder, with all it holds (links, times, attributes, modes: the
        traces a run could leave for the next), and make it a fresh one. Call it once every
        process of the run that used it is ended."""
        remove_tree(self.homes[role])
        self.homes[role] = self._scratch(role)
        return self.homes[role]

    def own(self, path: str) -> None:
        """Give ``path`` (and what it holds) to the kernel's user, where the grader is root: the
        sealed runs may read it (through the kernel's group), never set what it owns."""
        uid = self.uids.get("kernel")
        if uid is None:
            return
        for folder, _, files in os.walk(path):
            os.chown(folder, uid, uid)
            os.chmod(folder, (os.stat(folder).st_mode & 0o7707) | 0o050)
            for name in files:
                entry = os.path.join(folder, name)
                os.lchown(entry, uid, uid)
                if not os.path.islink(entry):
                    os.chmod(entry, (os.stat(entry).st_mode & 0o7707) | 0o040)

    def environment(self, home: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in PASSED_ENVIRONMENT}
        env.update(HOME=home, TMPDIR=home, MPLCONFIGDIR=os.path.join(home, ".matplotlib"),
                   IPYTHONDIR=os.path.join(home, ".ipython"), XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   PYTHONDONTWRITEBYTECODE="1", TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
        return env

    def sealed_policy(self, submission_dir: Optional[str] = None, library: bool = False) -> confine.Policy:
        read, listable = confine.python_access(() if library else FORBIDDEN)
        # the submission's own folder, read-only: its data files, as the notebook loads them
        extra = [submission_dir] if submission_dir else []
        kernel_group = [self.uids["kernel"]] if self.uids else []
        return confine.Policy(read=read + [self.lib, *extra], write=[self._home(library), "/dev/null"],
                              listable=listable, tcp=False, uid=self.uids.get(_role(library)),
                              groups=kernel_group, sets_metadata=False, max_file_bytes=self._max_file_bytes(),
                              nice=_sandbox_nice())

    def _max_file_bytes(self) -> int:
        return disk.file_limit_bytes(self.disk_limit_bytes, confine.MAX_FILE_MB * 2**20)

    def _home(self, library: bool) -> str:
        return self.homes[_role(library)]

    def kernel_policy(self, submission_dir: str, extra_read: list[str] = ()) -> confine.Policy:
        read, listable = confine.python_access()
        return confine.Policy(read=read + [self.lib, *extra_read], listable=listable,
                              write=[submission_dir, self.kernel_home, "/dev/null"],
                              tcp=True, uid=self.uids.get("kernel"), max_file_bytes=self._max_file_bytes(),
                              nice=_sandbox_nice())

    def watch_disk(self, submission_dir: str, keep: Callable[[], tuple[int, ...]]) -> disk.DiskWatch:
        """Start watching what the sandbox writes where it may (its scratch folders, and the
        submission's folder for the kernel); past :attr:`disk_limit_bytes`, :func:`stop` the
        grading, sparing the processes ``keep()`` names (the judge)."""
        uids = set(self.uids.values()) or {os.getuid()}
        # each run's scratch folder is made afresh (:func:`renew`): the watch asks where they are now
        return disk.DiskWatch(lambda: [*self.homes.values(), submission_dir],
                              self.disk_limit_bytes, uids, lambda: self.stop(keep())).start()

    def stop(self, keep: tuple[int, ...] = ()) -> None:
        """Stop the grading's untrusted side for good: no sealed run starts any more, the one under
        way and every process of the sandbox are killed (the files they held open, deleted or
        not, are then freed), and the scratch folders are emptied."""
        self.stopped = True
        running = self._running
        if running is not None:
            for kill in (os.killpg, os.kill):
                try:
                    kill(running.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self.sweep(keep)
        for home in (self.sealed_home, self.library_home, self.kernel_home):
            for name in os.listdir(home):
                disk.remove_entry(os.path.join(home, name))

    def run_sealed(self, cells: list[str], calls_of: Callable[[], dict[str, dict]], deadline_s: Optional[float] = None,
                   keep: tuple[int, ...] = (), submission_dir: Optional[str] = None, library: bool = False) -> dict:
        """Run the submission's ``cells`` in a sealed run and the calls ``calls_of()`` gives.

        Returns ``{"confined": report, "defined": [...], "rebound": [...], "skipped": [...],
        "outcomes": {question: [...]}}``; a question whose calls did not all come back (the run
        died or ran past its deadline) has no outcomes. A statement that ends the run while the
        code is defined (it kills its own process) ends a new run there, as the kernel ended. With
        ``library``, the run may load TensorFlow and Keras (see :mod:`gradecore.sandbox.sealed`),
        and ``calls_of()`` may hold ``builders_file``. ``deadline_s`` bounds each answer; by
        default it follows from the calls (:func:`answer_deadline`).
        """
        return self.start_sealed([SealedRun(cells, calls_of, deadline_s, submission_dir, library)], keep).results()[0]

    def start_sealed(self, runs: list["SealedRun"], keep: tuple[int, ...] = ()) -> "Started":
        """Start ``runs`` (each as :func:`run_sealed` describes) one after the other, in a thread of
        their own, so that the caller may fetch their calls meanwhile: each run asks ``calls_of()``
        once its code is defined. Every process of one run is ended before the next starts, and
        before :func:`Started.results` returns.

        Never side by side: two processes that run at once can always signal each other through
        what every process of a machine shares (the count of a user's processes, which a process
        reads by lowering its own limit and forking; process ids; CPU time), whatever the sandbox
        allows, and the NumPy-only run could so hand its hidden inputs to the library's run and
        get back what Keras computed from them.
        """
        results: list[dict] = [{"outcomes": {}} for _ in runs]

        def one_after_the_other() -> None:
            for i, run in enumerate(runs):
                if self.stopped:
                    break
                results[i] = self._run_all(run, keep)

        thread = threading.Thread(target=one_after_the_other, daemon=True)
        thread.start()
        return Started(thread, results)

    def _run_all(self, run: "SealedRun", keep: tuple[int, ...]) -> dict:
        stops: list[list[int]] = []
        for _ in range(MAX_RUNS):
            result, died_at = self._run_once(run, stops, keep)
            if died_at is None or self.stopped:
                break
            stops.append(died_at)
        result["died"] = list(stops)  # where a run died: the submission's doing, or the system's for memory
        if self.killed_mb:
            # a run the system (or the run itself) killed, with no signal of the grader's: its peak
            # memory tells whether it was over what the grading allows (the plugin decides)
            result["killed_mb"] = max(self.killed_mb)
        self.killed_mb = []
        return result

    def _run_once(self, run: "SealedRun", stops: list[list[int]], keep: tuple[int, ...]) -> tuple[dict, Optional[list[int]]]:
        """One sealed run, every process of the sandbox ended after it; a statement that ended it
        while the code was defined, if one did."""
        import json

        cells, library, submission_dir = run.cells, run.library, run.submission_dir
        self.renew(_role(library))  # a fresh folder: nothing an earlier run left in it
        # reading a file sets its access time (relatime): which of the submission's files (and of
        # the core's copy) it read must not reach the kernel, which can read times
        times = access_times([p for p in (submission_dir, self.lib) if p])
        policy = self.sealed_policy(submission_dir, library)
        args = [self.lib, json.dumps(policy.to_json()), *(["--library"] if library else [])]
        home = self._home(library)
        cwd, env = submission_dir or home, self.environment(home)
        proc: Any = None
        if library and self.template:
            # TensorFlow already loaded: forked from the grading's template (gradecore.host.forkserver),
            # which never ran student code; never for a NumPy-only run, which must not reach it
            if self._template_proc is not None:  # this grading's own, started a moment ago: it binds first
                forkserver_client.wait_listening(self._template_proc, self.template)
            proc = forkserver_client.fork_sealed(self.template, args, cwd, env)
        if proc is None:
            proc = _Fresh(subprocess.Popen(
                [sys.executable, "-I", "-c", BOOTSTRAP, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True,
            ))
        self._running = proc
        if self.stopped:  # stopped while it started: it ends at once
            self.stop(keep)
        result: dict[str, Any] = {"outcomes": {}}
        reader = _FrameReader(proc.stdout.fileno())
        place: Optional[list[int]] = None
        ended = False
        try:
            confined = reader.read(run.deadline_s or START_S)
            if not isinstance(confined, dict) or "confined" not in confined:
                return result, None
            self.report = result["confined"] = {str(k): str(v)[:200] for k, v in dict(confined["confined"]).items()}
            wire.send(proc.stdin, {"cells": cells, "time_limit": CELL_TIME_LIMIT_S, "stops": stops})
            statements = sum(source.count("\n") + 1 for source in cells)
            deadline = time.monotonic() + CELL_TIME_LIMIT_S * 2 + IMPORT_GRACE_S + statements + 30
            while True:
                message = reader.read(max(deadline - time.monotonic(), 0))
                if not isinstance(message, dict):
                    return result, None
                if "at" in message:
                    at = message["at"]
                    if isinstance(at, list) and len(at) == 2 and all(isinstance(i, int) for i in at):
                        place = at
                    continue
                break
            result["defined"] = [str(n) for n in message.get("defined", []) if isinstance(n, str)]
            result["rebound"] = [str(n) for n in message.get("rebound", []) if isinstance(n, str)]
            result["skipped"] = [s for s in message.get("skipped", []) if isinstance(s, list) and len(s) == 2]
            request = run.calls_of()
            questions = {q: r for q, r in request.items() if q != "builders_file"}
            wire.send(proc.stdin, {"questions": questions, "builders_file": request.get("builders_file", "")})
            deadline_s = run.deadline_s or answer_deadline(questions, library)
            for _ in questions:
                answer = reader.read(deadline_s)
                if not isinstance(answer, dict) or answer.get("question") not in questions:
                    break
                if "fault" in answer:
                    result.setdefault("faults", {})[answer["question"]] = str(answer["fault"])[:300]
                outcomes = answer.get("outcomes")
                if isinstance(outcomes, list) and all(isinstance(o, dict) for o in outcomes):
                    result["outcomes"][answer["question"]] = outcomes
        except EOFError:
            ended = True
            if "defined" not in result and place is not None and place not in stops:
                return result, place  # it died while the code was defined: stop that statement
        except (OSError, ValueError, TimeoutError):
            pass
        finally:
            self._running = None
            if ended and isinstance(proc, _Fresh):
                peak = proc.killed_peak_mb()
                if peak is not None:
                    self.killed_mb.append(peak)
            proc.end()
            self.sweep(keep)
            # nothing of it is left for the next process (a run again, the library's, the kernel)
            self.renew(_role(library))
            restore_times(times)
        return result, None

    def copy_builders(self, root: str, module: str) -> str:
        """A copy of an assignment's builder module (``module``, dotted, under ``root``) where the
        sandbox may read it: its own file only, since the grader package beside it holds the cases
        and the catalogue. Empty where there is none."""
        if not module:
            return ""
        target = os.path.join(self.lib, "builders.py")
        shutil.copyfile(os.path.join(root, *module.split(".")) + ".py", target)
        os.chmod(target, 0o644)
        return target

    def use_template(self) -> None:
        """Fork the library's sealed run (and, through the kernel's launcher, the kernel) from a
        template with TensorFlow imported (:mod:`gradecore.host.forkserver`): the batch's where it has one,
        else one of this grading's own, started now; its imports run while the grading goes on."""
        self.template = os.environ.get(WARM_KERNELS_VARIABLE) or None
        if self.template is None:
            self.template = os.path.join(self.root, "template.sock")
            self._template_proc = forkserver_client.start(self.template)

    def stop_template(self) -> None:
        """End this grading's own template (and give back its memory) once nothing more is to be
        forked from it; a batch's is the batch's to end."""
        own = self._template_proc
        if own is not None:
            self._template_proc = None
            _Fresh(own).end()
            self.template = None

    def sweep(self, keep: tuple[int, ...] = ()) -> None:
        """End every process of this grading's sandbox: those of its users (where it has them), and
        every descendant of this process but ``keep``, this grading's template, and theirs (a
        detached process of the sandbox comes back here, :func:`.procs.become_subreaper`; what the
        template forked ends with its supervisor)."""
        procs.kill_user(self.uids.values())
        own = self._template_proc
        procs.kill_descendants(os.getpid(), (*keep, own.pid) if own is not None else keep)

    def remove(self, keep: tuple[int, ...] = ()) -> None:
        atexit.unregister(self.remove)
        self.stop_template()
        self.sweep(keep)
        remove_tree(self.root)


def _role(library: bool) -> str:
    return "library" if library else "sealed"


def _sandbox_nice() -> int:
    """The nice value of every untrusted process (``SANDBOX_NICE``), 0 to 19."""
    return max(0, min(19, int(settings.value("SANDBOX_NICE"))))


