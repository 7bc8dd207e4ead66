"""Memory as Linux's /proc shows it: a process's own address space, the system's OOM kills.

Shared by both sides of the trust boundary: the kernel and the sealed run read their own address
space (before they fork their calls) to set their memory limit, where Landlock lets them read
their own ``/proc`` entry and no other. So this module reads two small files and imports nothing;
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
