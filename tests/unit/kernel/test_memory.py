"""The kills for memory a grader counts are those of its own memory cgroup, not the machine's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gradecore.kernel import memory
from tests.support import MemoryCgroup

ROOT = Path(__file__).resolve().parents[3]
COUNT = "from gradecore.kernel import memory; print(memory.oom_kills())"


def test_a_kill_is_counted_in_the_cgroup_of_the_process_killed_and_nowhere_else():
    """A process killed for memory in a 64 MiB cgroup is counted by a grader in that cgroup, and not
    by this one, outside it (until 2026-12-08 both read the machine's ``/proc/vmstat``)."""
    before = memory.oom_kills()
    group = MemoryCgroup(64)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "autograder"))
    try:
        subprocess.run(group.command([sys.executable, "-c", "b = bytearray(256 << 20)"]), capture_output=True, timeout=60)
        inside = subprocess.run(group.command([sys.executable, "-c", COUNT]), env=env, capture_output=True, text=True,
                                timeout=60)
        killed = group.oom_kills()
    finally:
        group.remove()
    assert killed >= 1
    assert int(inside.stdout) == killed, inside
    assert memory.oom_kills() == before
