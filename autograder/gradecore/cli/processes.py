"""The batch's process trees: every process a grading starts dies with the batch, and a grading past its
time is killed whole."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

from ..host import procs
from ..sandbox.prctl import die_with_parent

KILL_GRACE_S = 5


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


def _send(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and all its descendants, kernels included: ``proc`` is frozen first, so that it
    starts no other, then its descendants go (:func:`gradecore.host.procs.kill_descendants`), then it."""
    if proc.poll() is not None:
        return
    _send(proc.pid, signal.SIGSTOP)
    procs.kill_descendants(proc.pid)
    _send(proc.pid, signal.SIGKILL)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(KILL_GRACE_S)
    except subprocess.TimeoutExpired:
        pass
