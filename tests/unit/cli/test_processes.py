"""The batch's process trees (:mod:`gradecore.cli.processes`), on real processes: a grading past
its time is killed whole, children that left its session included, and a finished one is left alone."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from gradecore.cli.processes import Children, kill_tree

TREE = """
import os, subprocess, sys, time
sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
kids = [subprocess.Popen(sleep), subprocess.Popen(sleep, start_new_session=True)]
grandchild = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time; "
                               "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"])
print(" ".join(str(p.pid) for p in kids + [grandchild]), flush=True)
time.sleep(60)
"""


def _tree() -> tuple[subprocess.Popen, list[psutil.Process]]:
    root = Children().start([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    root.stdout.readline()
    end = time.monotonic() + 30
    while len(psutil.Process(root.pid).children(recursive=True)) < 4:
        assert time.monotonic() < end, "the tree did not start"
        time.sleep(0.02)
    return root, psutil.Process(root.pid).children(recursive=True)


def test_kill_tree_ends_the_process_and_everything_below_it():
    root, below = _tree()
    kill_tree(root)
    assert root.poll() is not None
    gone, alive = psutil.wait_procs(below, timeout=10)
    assert alive == [], [p.pid for p in alive]
    root.stdout.close()


def test_kill_tree_leaves_a_finished_process_alone():
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    kill_tree(done)  # nothing to kill, and no error
    assert done.returncode == 0


def test_stop_all_ends_every_tree_in_flight_and_starts_no_other():
    children = Children()
    roots = [children.start([sys.executable, "-c", "import time; time.sleep(60)"]) for _ in range(2)]
    children.stop_all()
    assert all(r.poll() is not None for r in roots)
    assert children.start([sys.executable, "-c", "pass"]) is None
