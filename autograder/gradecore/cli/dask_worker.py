"""What runs on each Dask worker of ``rnn-shapes grade --scheduler``: the zip's setup and the task.

Imported by the workers only (and by the client when it registers the plugin), never by local
grading: it imports ``distributed``. The workers need this package installed, as the grading
image has it; they need no shared filesystem: the zip and each submission arrive as bytes.

Each worker process keeps the local batch's process model: one warm kernel template per zip,
started by the worker (never forked from it: TensorFlow is not fork-safe once it has run ops,
and the worker never imports it), and each submission graded by ``otter run`` in a fresh
process of its own with the zip's own code, as :func:`gradecore.cli.grading.grade_one` does.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from distributed import Reschedule, WorkerPlugin, get_worker

from .discovery import Submission
from .grading import UnpackedZip, WarmKernels, grade_one, read_assignment
from .processes import Children
from .records import Record, sanitise

PLUGIN_PREFIX = "rnn-shapes-zip-"


def plugin_name(zip_sha256: str, run: str) -> str:
    """One plugin per run: runs of several zips or clients share the workers and never each other's
    setup, and a run's end removes its own (its template's memory with it)."""
    return f"{PLUGIN_PREFIX}{zip_sha256[:12]}-{run}"


class ZipSetup(WorkerPlugin):
    """Once per worker and zip: the zip unpacked (its code, its judge), the warm kernel template.

    The scheduler hands the plugin to every worker, those that join later and those the nanny
    starts again after a death included.
    """

    def __init__(self, zip_bytes: bytes, warm: bool = True):
        self.zip_bytes = zip_bytes
        """the autograder zip, as the client read it"""
        self.warm = warm
        """fork kernels from a template with TensorFlow imported (``--cold-kernels`` turns it off)"""
        self.folder: str | None = None
        self.code: UnpackedZip | None = None
        self.kernels: WarmKernels | None = None
        self.running: dict[str, Children] = {}
        self.lock = threading.Lock()

    def __getstate__(self) -> dict:
        return {"zip_bytes": self.zip_bytes, "warm": self.warm}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["zip_bytes"], state["warm"])

    def setup(self, worker) -> None:
        self.folder = tempfile.mkdtemp(prefix="rnn-shapes-worker-")
        self.autograder = Path(self.folder, "autograder.zip")
        self.autograder.write_bytes(self.zip_bytes)
        self.assignment = read_assignment(self.autograder)
        self.code = UnpackedZip(self.autograder)
        if self.warm and WarmKernels.shipped(self.code):
            # Started by the first grading, in the thread that waits for it: the template dies with
            # the worker, as each otter run does.
            self.kernels = WarmKernels(self.code, die_with_parent=True)

    def teardown(self, worker) -> None:
        with self.lock:
            running = list(self.running.values())
        for children in running:
            children.stop_all()
        if self.kernels is not None:
            self.kernels.stop()
        if self.code is not None:
            self.code.remove()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def transition(self, key, start, finish, **kwargs) -> None:
        """A grading the client cancelled (an interrupted run) ends its otter run at once."""
        if start == "executing" and finish in ("cancelled", "released", "forgotten"):
            with self.lock:
                children = self.running.get(key)
            if children is not None:
                children.stop_all()

    def grade(self, key: str, name: str, file_name: str, data: bytes, timeout: float) -> Record:
        """Grade one submission's bytes as the local batch grades its file.

        Raises:
            distributed.Reschedule: its grading was ended before it finished (see below).
        """
        children = Children(die_with_parent=True)
        with self.lock:
            self.running[key] = children
        # Named after the submission, so that `ps` on the worker shows what it grades.
        folder = tempfile.mkdtemp(prefix=f"{sanitise(name)[-80:]}-", dir=self.folder)
        try:
            path = Path(folder, file_name)
            path.write_bytes(data)
            record = grade_one(Submission(path, name), self.autograder, self.assignment, timeout, children,
                               self.code, self.kernels)
            if record is None:
                # Its gradings were ended: the client cancelled the task (then nothing comes of this),
                # or the worker is closing (a Slurm job's time is up, a scale-down): grade it elsewhere.
                raise Reschedule()
            return record
        finally:
            with self.lock:
                self.running.pop(key, None)
            shutil.rmtree(folder, ignore_errors=True)


def grade_task(plugin: str, name: str, file_name: str, data: bytes, timeout: float) -> Record:
    """The Dask task: grade ``data`` (the file ``file_name``, named ``name`` in the table) with the
    zip of the worker plugin ``plugin``."""
    worker = get_worker()
    return worker.plugins[plugin].grade(worker.get_current_task(), name, file_name, data, timeout)
