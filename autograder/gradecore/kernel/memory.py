"""Memory as Linux shows it: a process's own address space, the OOM kills of its memory cgroup.

Shared by both sides of the trust boundary: the kernel and the sealed run read their own address
space (before they fork their calls) to set their memory limit, where Landlock lets them read
their own ``/proc`` entry and no other. So this module reads small files and imports only the limits;
process trees, users and liveness (the host's business) are in :mod:`gradecore.host.procs`.
"""

from __future__ import annotations

import os
from typing import Optional


def address_space(pid: int = 0) -> int:
    """The address space of process ``pid`` (0: this one), from ``/proc/PID/statm``."""
    import resource

    with open(f"/proc/{pid or os.getpid()}/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _counter_files() -> list[str]:
    """The files that count the memory kills of this process's own memory cgroup, innermost first:
    cgroup v2's ``memory.events``, v1's ``memory.oom_control`` (both say ``oom_kill N``), under the
    path ``/proc/self/cgroup`` names, then at the mount's root (a container's own group)."""
    from ..protocol.limits import own_cgroup_files

    return [*own_cgroup_files("memory.events", "memory.oom_control"),
            "/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"]


def _read_count(path: str, name: str) -> Optional[int]:
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.strip().partition(" ")
                if key == name:
                    return int(value)
    except (OSError, ValueError):
        return None
    return None


def oom_kills() -> Optional[int]:
    """How many processes of this process's own memory cgroup the system has killed for lack of
    memory (``oom_kill`` of its ``memory.events``, cgroup v2, or ``memory.oom_control``, v1); where
    no cgroup of its own shows, the whole machine's since boot (``/proc/vmstat``, Linux 4.13 and
    later); None where neither can be read.

    Linux counts a kill in the cgroup of the process it killed, whether the cgroup's limit or the
    machine ran out (Linux 4.19 and later), and a container's processes are in the container's
    group: a kill in a neighbour's container, or elsewhere on the machine, is not counted here,
    where ``/proc/vmstat`` (the same inside every container) counted it until 2026-12-08. A
    grader compares the count before and after a process died.
    """
    for path in _counter_files():
        found = _read_count(path, "oom_kill")
        if found is not None:
            return found
    return _read_count("/proc/vmstat", "oom_kill")
