"""Processes as Linux's /proc shows them: the one place that reads it.

Used on both sides of the trust boundary (the kernel waits for the judge, the batch kills the
trees of its graders); it starts and imports nothing.
"""

from __future__ import annotations

import os
from typing import Optional


def _stat(pid: int) -> Optional[list[str]]:
    """The fields of ``/proc/PID/stat`` after the command name, or None if it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a killed child not yet reaped is a zombie: not alive)."""
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z"


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else []:
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields and len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _uid(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def kill_user(uid: int, rounds: int = 5) -> None:
    """Kill every process whose real user is ``uid`` (stopped first, so none starts another)."""
    import signal

    for _ in range(rounds):
        found = [int(e.name) for e in os.scandir("/proc") if e.name.isdigit() and _uid(int(e.name)) == uid]
        if not found:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in found:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass


def kill_descendants(pid: int, keep: tuple[int, ...] = (), rounds: int = 5) -> None:
    """Kill every process below ``pid`` but those in ``keep`` and theirs (stopped first)."""
    import signal

    spared = set(keep)
    for k in keep:
        spared.update(descendants(k))
    for _ in range(rounds):
        found = [p for p in descendants(pid) if p not in spared and alive(p)]
        if not found:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for p in found:
                try:
                    os.kill(p, sig)
                except OSError:
                    pass
        for p in found:
            try:
                os.waitpid(p, os.WNOHANG)
            except ChildProcessError:
                pass


def address_space(pid: int = 0) -> int:
    """The address space of process ``pid`` (0: this one), from ``/proc/PID/statm``."""
    import resource

    with open(f"/proc/{pid or os.getpid()}/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def oom_kills() -> Optional[int]:
    """How many processes the system has killed for lack of memory since boot (``oom_kill`` of
    ``/proc/vmstat``, Linux 4.13 and later), None where it cannot be read.

    It counts the kills of a container's memory limit too (its cgroup's), and /proc/vmstat is
    the same inside a container, so a grader compares it before and after a process died.
    """
    try:
        with open("/proc/vmstat") as f:
            for line in f:
                name, _, value = line.partition(" ")
                if name == "oom_kill":
                    return int(value)
    except (OSError, ValueError):
        return None
    return None
