"""Figures of ``rnn-shapes grade --scheduler``: submissions per hour per core on 1 and 2 Dask
workers of this machine, the scaling efficiency, and the Dask path's overhead per submission
against local grading at the same parallelism.

    .venv/bin/python bench/cluster.py                 # the 12-file held-out class (about 5 min here)
    .venv/bin/python bench/cluster.py --copies 4      # 4 copies of it (48 files)

Each run grades the same class folder afresh (``--regrade``) with ``rnn-shapes grade``: locally
with ``--jobs 1`` and ``--jobs 2``, then on a real ``dask scheduler`` with 1 and then 2 ``dask
worker`` processes of one thread each (started before the clock starts, as a cluster's workers
are; each worker's warm kernel template starts with its first grading, as the local batch's does).
A worker is one core. Timings include everything the tool does: finding, resuming, sending the
zip and the files, saving. The rows of every run must equal the first's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assignments.rnn_shapes.tests.class_folder import outputs, write_class  # noqa: E402
from tests.support import LocalDask  # noqa: E402

TOOL = Path(sys.executable).with_name("rnn-shapes")
TARGET = 10_000
"""Notebooks to grade in an hour, for the capacity figure."""


def grade(klass: Path, autograder: Path, out: Path, *extra: str) -> float:
    started = time.monotonic()
    proc = subprocess.run([str(TOOL), "grade", str(klass), "--autograder", str(autograder), "--out", str(out),
                           "--no-report", "--regrade", *extra], capture_output=True, text=True)
    seconds = time.monotonic() - started
    if proc.returncode:
        sys.exit(f"rnn-shapes grade {' '.join(extra)} failed:\n{proc.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1, help="copies of the 12-file class to grade (default 1)")
    args = parser.parse_args()
    autograder = ROOT / "dist" / "rnn_shapes" / "autograder" / "autograder.zip"
    notebook = ROOT / "dist" / "rnn_shapes" / "student" / "rnn_shapes.ipynb"
    if not autograder.is_file():
        sys.exit("no dist/rnn_shapes: run `make dist` first")
    load = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        klass = work / "class"
        for copy in range(args.copies):
            write_class(klass / f"copy{copy}", notebook)
        n = len([p for p in klass.rglob("*") if p.suffix in (".py", ".ipynb") and p.name != "__init__.py"
                 and ".ipynb_checkpoints" not in p.parts])
        seconds: dict[str, float] = {}
        seconds["local, --jobs 1"] = grade(klass, autograder, work / "local1", "--jobs", "1")
        seconds["local, --jobs 2"] = grade(klass, autograder, work / "local2", "--jobs", "2")
        for workers in (1, 2):
            cluster = LocalDask(work / f"dask{workers}", workers=workers, threads=1)
            try:
                seconds[f"dask, {workers} worker{'s' * (workers > 1)}"] = grade(
                    klass, autograder, work / f"dask{workers}", "--scheduler", cluster.address)
            finally:
                cluster.stop()
        reference = outputs(work / "local1")
        for out in ("local2", "dask1", "dask2"):
            assert outputs(work / out) == reference, f"{out}: rows differ from local grading"
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cores = {"local, --jobs 1": 1, "local, --jobs 2": 2, "dask, 1 worker": 1, "dask, 2 workers": 2}
    print(f"{n} submissions (the held-out class x {args.copies}); every run's rows equal; {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after\n")
    print(f"{'run':<18} {'cores':>5} {'seconds':>8} {'core-s/submission':>18} {'per hour per core':>18}")
    rate = {}
    for run, s in seconds.items():
        rate[run] = n / s * 3600 / cores[run]
        print(f"{run:<18} {cores[run]:>5} {s:>8.1f} {s * cores[run] / n:>18.2f} {rate[run]:>18.0f}")
    efficiency = rate["dask, 2 workers"] / rate["dask, 1 worker"]
    local_efficiency = rate["local, --jobs 2"] / rate["local, --jobs 1"]
    print(f"\nscaling efficiency from 1 to 2 workers: {efficiency:.0%} (local --jobs 1 to 2: {local_efficiency:.0%})")
    for k in (1, 2):
        local, dask = f"local, --jobs {k}", f"dask, {k} worker{'s' * (k > 1)}"
        overhead = (seconds[dask] - seconds[local]) / n * k
        print(f"Dask overhead per submission at {k} core{'s' * (k > 1)}: {overhead:+.2f} core-s "
              f"({seconds[dask] / seconds[local] - 1:+.0%} of local's time)")
    per_core = rate["dask, 2 workers"]
    print(f"\ncores to grade {TARGET:,} notebooks in an hour at {per_core:.0f} per core-hour: "
          f"{-(-TARGET // int(per_core))}")


if __name__ == "__main__":
    main()
