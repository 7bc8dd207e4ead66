"""Processes, through psutil: trees, users, liveness, and the means to end them.

The trusted side's (the plugin's sweep of a sandbox, the kernel's launcher and supervisor, the
batch): nothing of the sandbox imports it (:mod:`gradecore.kernel.memory` holds what the sandbox reads
of itself), and psutil is imported here, when the trusted process starts, never later, when
student code may have written a ``psutil.py`` somewhere on its way. A process that is gone, a
zombie being reaped, or one whose entry cannot be read is skipped wherever a walk meets it; a
signal goes to the very process a walk found (psutil checks its start time), never to another
that took its pid since.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Iterable, Iterator

import psutil

from ..sandbox.prctl import PR_SET_CHILD_SUBREAPER, prctl

PASSED_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                      "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_USE_LEGACY_KERAS")
"""What a sandboxed process keeps of the grader's environment: nothing else (tokens, paths)."""

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)
"""Signals that jupyter_client (or the batch) may send a kernel's stand-in (its launcher, its
supervisor); the kernel gets them."""


def become_subreaper() -> None:
    """Make orphaned descendants of this process its children, not init's: a process that a
    submission detached (``setsid``, a double fork) stays findable, so it can be ended."""
    try:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
    except (OSError, AttributeError):
        pass


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a killed child not yet reaped is a zombie: not alive)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.Error, ValueError):
        return False


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _processes() -> Iterator[psutil.Process]:
    """Every process now, each a fresh handle (never psutil's cache, whose handle of a pid taken
    over since would refuse to signal the new process)."""
    for pid in psutil.pids():
        try:
            yield psutil.Process(pid)
        except psutil.Error:
            continue


def _descendants(pid: int, spared: tuple[int, ...] = ()) -> list[psutil.Process]:
    """Every process below ``pid``, but those in ``spared`` and every process below them, as
    the tree is now (a process one of them forks later is below it, so spared too)."""
    children: dict[int, list[psutil.Process]] = {}
    for proc in _processes():
        try:
            children.setdefault(proc.ppid(), []).append(proc)
        except psutil.Error:
            continue
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child.pid in spared:
                continue
            found.append(child)
            todo.append(child.pid)
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, zombies included (what a subreaper adopted is below it)."""
    return [proc.pid for proc in _descendants(pid)]


def _signal_all(found: list[psutil.Process]) -> None:
    """Stop them all, then kill them all: none starts another in between."""
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for proc in found:
            try:
                proc.send_signal(sig)
            except psutil.Error:
                pass


def environment(pid: int) -> dict[str, str]:
    """Process ``pid``'s environment, as it was started with it (a launcher, which changes none)."""
    return psutil.Process(pid).environ()


def kill_user(uid: int | Iterable[int], rounds: int = 5) -> None:
    """Kill every process whose real user is ``uid`` (or one of them), stopped first, so none
    starts another."""
    users = {uid} if isinstance(uid, int) else set(uid)
    if not users:
        return
    for _ in range(rounds):
        found = []
        for proc in _processes():
            try:
                if proc.uids().real in users:
                    found.append(proc)
            except psutil.Error:
                continue
        if not found:
            return
        _signal_all(found)


def kill_descendants(pid: int, keep: tuple[int, ...] = (), rounds: int = 5, wait_s: float = 2.0) -> None:
    """Kill every process below ``pid`` but those in ``keep`` and theirs (stopped first), waiting
    up to ``wait_s`` for them to end. Where ``pid`` is this process, it then reaps them, within
    ``wait_s`` too, until none is left below it (a child subreaper adopts what dies below it, some
    only once their own parent is gone): a dead process nobody reaps still counts against its
    user's process limit, which the grading's next process of the same user (its kernel) would
    hit.

    What ``keep`` spares is read from the tree at each walk, never once before: a process that
    one of them forks while the sweep runs (the judge's truth worker, which the grading's template
    forks once its imports are done, on a loaded machine during the sweep after a sealed run) is
    theirs. Read once at the start, it left such a process to be killed (``test_procs``): a
    judge whose truth worker, and the one it started again, are killed ends, the likely cause of
    a correct submission's 0 on a loaded machine."""
    spared = tuple(keep)
    deadline = time.monotonic() + wait_s
    for _ in range(rounds):
        found = [p for p in _descendants(pid, spared) if _running(p)]
        if not found:
            break
        _signal_all(found)
        psutil.wait_procs(found, timeout=wait_s / rounds)
    if pid != os.getpid():
        return
    while True:
        left = _descendants(pid, spared)
        if not left or time.monotonic() > deadline:
            return
        _signal_all([p for p in left if _running(p)])
        for proc in left:
            try:
                os.waitpid(proc.pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.01)


def wait_for(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return status
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def exit_as(status: int) -> None:
    """Exit as a process whose wait status is ``status`` did: the same code, or the same signal."""
    sys.stdout.flush()
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):  # their action cannot be changed (EINVAL)
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
        time.sleep(1)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
