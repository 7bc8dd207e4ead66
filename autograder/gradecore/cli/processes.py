"""The batch's process trees: every process a grading starts dies with the batch, and a grading past its
time is killed whole."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import threading

from ..host import procs

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
