"""How fast a grading's trusted truth worker computes beside a sandboxed process that spins on every core.

    .venv/bin/python bench/neighbour_cpu.py [--spinners 8] [--cgroup]

Times a fresh truth worker of rnn_shapes (a trusted process: it imports TensorFlow and computes one
grading's truths, as the judge starts it) three times: alone; beside ``--spinners`` processes that
spin, confined as a sealed run is (:func:`gradecore.sandbox.confine.apply`) at the grader's own
priority (``SANDBOX_NICE=0``, as before the sandbox ran niced); and beside the same at the default
``SANDBOX_NICE``. Each spinner tries ``setsid`` first (a new autogroup, where the kernel groups
tasks by session). ``--cgroup`` runs all of it in a CPU cgroup of its own (root, cgroup v1), as in
a container: there every task weighs by its own nice value, not by its session. Prints the seconds
and the load average next to each.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "autograder"), str(ROOT)]

CGROUP = Path("/sys/fs/cgroup/cpu")

SPINNER = """
import os, sys, time
for _ in range(int(sys.argv[2])):
    if os.fork() == 0:
        try:
            os.setsid()
        except OSError:
            pass
        while True:
            pass
time.sleep(3600)
"""


def spinners(policy, count: int) -> subprocess.Popen:
    """``count`` spinning processes, confined by ``policy`` (their parent sleeps)."""
    from gradecore.sandbox import confine

    runner = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(Path(confine.__file__).parents[2])!r})
        from gradecore.sandbox import confine
        confine.apply(confine.Policy.from_json(json.loads(sys.argv[1])))
    """) + textwrap.dedent(SPINNER)
    return subprocess.Popen([sys.executable, "-I", "-c", runner, json.dumps(policy.to_json()), str(count)],
                            cwd="/", start_new_session=True)


def truth_worker_s() -> float:
    from gradecore.judge import secret, service

    seed = secret.grading_seed(secret.from_seed(20261207), 1)
    started = time.perf_counter()
    worker = service.TruthWorker("rnn_shapes", seed)
    try:
        worker.store()
    finally:
        worker.end()
    return time.perf_counter() - started


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spinners", type=int, default=8)
    parser.add_argument("--cgroup", action="store_true", help="run in a CPU cgroup of its own (as in a container)")
    args = parser.parse_args()
    group = None
    if args.cgroup:
        group = CGROUP / f"rnn-shapes-bench-cpu-{os.getpid()}"
        group.mkdir()
        (group / "cgroup.procs").write_text(str(os.getpid()))
    from gradecore.host import grading_sandbox

    box = grading_sandbox.Sandbox(prefix="gradecore-bench-")
    try:
        print(f"truth worker alone: {truth_worker_s():.1f} s (load {load()})", flush=True)
        for nice in (0, int(grading_sandbox.settings.value("SANDBOX_NICE"))):
            policy = dataclasses.replace(box.sealed_policy(), nice=nice)
            spinning = spinners(policy, args.spinners)
            time.sleep(2)
            try:
                took = truth_worker_s()
            finally:
                os.killpg(spinning.pid, 9)
                spinning.wait()
                box.sweep()
            print(f"truth worker beside {args.spinners} spinners at SANDBOX_NICE={nice}: {took:.1f} s (load {load()})",
                  flush=True)
    finally:
        box.remove()
        if group is not None:
            (CGROUP / "cgroup.procs").write_text(str(os.getpid()))
            group.rmdir()


if __name__ == "__main__":
    main()
