"""Process trees, users and liveness (:mod:`gradecore.host.procs`), on real processes: children that
exit, linger as zombies, detach, vanish while a walk runs, or leave their pid to another."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import psutil
import pytest

from gradecore.host import procs

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]


def _until(condition, timeout_s: float = 10.0) -> bool:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def _in_a_child(script: str) -> dict:
    """Run ``script`` in a fresh Python (its own subreaper, so this session's tree stays as it
    is); it prints one JSON line."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_zombie_is_below_its_parent_but_not_alive():
    child = subprocess.Popen(["true"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # it has exited; not reaped yet
    assert child.pid in procs.descendants(os.getpid())
    assert not procs.alive(child.pid)
    child.wait()
    assert not procs.alive(child.pid)
    assert procs.alive(os.getpid())
    assert not any(procs.alive(pid) for pid in (0, -1, 2**31 - 1))


def test_the_tree_below_a_process_and_what_is_kept_of_it():
    script = """
import json, os, subprocess, sys, time
from gradecore.host import procs
from gradecore.host.procs import become_subreaper
become_subreaper()
tree = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
kept, doomed = (subprocess.Popen([sys.executable, "-c", tree]) for _ in range(2))
while len(procs.descendants(os.getpid())) < 4:
    time.sleep(0.02)
below = {p: procs.descendants(p) for p in (kept.pid, doomed.pid)}
procs.kill_descendants(os.getpid(), keep=(kept.pid,))
time.sleep(0.2)
print(json.dumps({"below": below, "alive": {p: procs.alive(p) for p in [*below, *sum(below.values(), [])]}}))
for p in procs.descendants(os.getpid()):
    os.kill(p, 9)
"""
    found = _in_a_child(script)
    (kept, [kept_child]), (doomed, [doomed_child]) = found["below"].items()
    assert found["alive"] == {kept: True, str(kept_child): True, doomed: False, str(doomed_child): False}


def test_a_process_that_detaches_comes_back_to_the_subreaper_and_is_killed():
    """``setsid`` and a double fork: the grandchild's parent is gone, and the subreaper adopts it."""
    script = """
import json, os, time
from gradecore.host import procs
from gradecore.host.procs import become_subreaper
become_subreaper()
read, write = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(write, b"%d\\n" % os.getpid())
        time.sleep(60)
    os._exit(0)
os.close(write)
detached = int(os.read(read, 64))
os.wait()  # the middle process, gone: the detached one is adopted here
found = {"adopted": detached in procs.descendants(os.getpid()),
         "alive": procs.alive(detached)}
procs.kill_descendants(os.getpid())
end = time.monotonic() + 10
while procs.alive(detached) and time.monotonic() < end:
    time.sleep(0.02)
found["alive after"] = procs.alive(detached)
print(json.dumps(found))
"""
    assert _in_a_child(script) == {"adopted": True, "alive": True, "alive after": False}


def test_what_a_subreaper_kills_below_it_is_reaped_not_left_a_zombie():
    """A tree of processes (one that forks ten, and dies with them): after ``kill_descendants``
    nothing is left below, not even a zombie, which would still count against its user's
    process limit."""
    script = """
import json, os, time
from gradecore.host import procs
from gradecore.host.procs import become_subreaper
become_subreaper()
read, write = os.pipe()
if os.fork() == 0:
    for _ in range(10):
        if os.fork() == 0:
            time.sleep(60)
    os.write(write, b"ready")
    time.sleep(60)
os.close(write)
os.read(read, 16)
before = len(procs.descendants(os.getpid()))
procs.kill_descendants(os.getpid())
print(json.dumps({"before": before, "after": procs.descendants(os.getpid())}))
"""
    assert _in_a_child(script) == {"before": 11, "after": []}


def test_processes_that_come_and_go_during_the_walk_are_skipped_and_the_tree_still_ends():
    """A shell that starts and ends processes as fast as it can: each walk meets pids that are
    gone or zombies; none raises, and the kill ends the whole churning tree."""
    script = """
import json, os, subprocess, time
from gradecore.host import procs
from gradecore.host.procs import become_subreaper
become_subreaper()
churn = [subprocess.Popen(["sh", "-c", "while :; do /bin/true & /bin/true; done"]) for _ in range(2)]
walks = 0
end = time.monotonic() + 1.5
while time.monotonic() < end:
    below = procs.descendants(os.getpid())
    [procs.alive(p) for p in below]
    walks += 1
procs.kill_descendants(os.getpid())
for shell in churn:
    shell.wait(timeout=10)
time.sleep(0.2)
print(json.dumps({"walks": walks, "left": [p for p in procs.descendants(os.getpid()) if procs.alive(p)]}))
"""
    found = _in_a_child(script)
    assert found["walks"] > 3 and found["left"] == []


@pytest.mark.skipif(os.geteuid() != 0, reason="starts processes as another user: needs root")
def test_every_process_of_a_user_is_killed_and_no_other():
    uid = 300000 + os.getpid() % 50000
    theirs = subprocess.Popen(["sh", "-c", "sleep 60 & sleep 60 & wait"], user=uid, group=uid, start_new_session=True)
    ours = subprocess.Popen(SLEEP)
    try:
        assert _until(lambda: len(procs.descendants(theirs.pid)) == 2)
        below = procs.descendants(theirs.pid)
        procs.kill_user(uid)
        assert theirs.wait(timeout=10) == -9
        assert _until(lambda: not any(procs.alive(p) for p in below))
        assert ours.poll() is None and procs.alive(ours.pid)
    finally:
        ours.kill()
        ours.wait()


LAST_PID = "/proc/sys/kernel/ns_last_pid"


@pytest.mark.skipif(not os.access(LAST_PID, os.W_OK) or os.geteuid() != 0,
                    reason="places a process on a chosen pid through ns_last_pid: needs root")
def test_a_signal_goes_to_the_process_a_walk_found_never_to_one_that_took_its_pid_since():
    """The walk found a process; it ended and a new process took its pid before the signal: the
    new process is not touched (the sweep's next walk finds it, if it is the sandbox's)."""
    for _ in range(20):
        old = subprocess.Popen(SLEEP)
        [handle] = [p for p in procs._descendants(os.getpid()) if p.pid == old.pid]
        time.sleep(0.05)  # a process is told from another by its start, in clock ticks (10 ms)
        old.kill()
        old.wait()
        with open(LAST_PID, "w") as f:
            f.write(str(old.pid - 1))
        new = subprocess.Popen(SLEEP)
        if new.pid == old.pid:
            break
        new.kill()
        new.wait()  # another process of the machine took the pid first: again
    else:
        pytest.skip("no process could be placed on a freed pid (a busy machine)")
    try:
        procs._signal_all([handle])
        time.sleep(0.2)
        assert new.poll() is None and procs.alive(new.pid)
        assert psutil.Process(new.pid).status() != psutil.STATUS_STOPPED
    finally:
        new.kill()
        new.wait()


def test_what_a_kept_process_forks_while_the_sweep_runs_is_kept_too():
    """A kept process (the judge, the grading's template) that forks while the sweep walks and
    kills (its truth worker, forked once the template's imports are done): its new children are
    spared as it is, and only the rest is killed."""
    script = """
import json, os, subprocess, sys, time
from gradecore.host import procs
from gradecore.host.procs import become_subreaper
become_subreaper()
# forks a child every 2 ms for 1.5 s, each sleeping 3 s; then says how each of them ended
keeper = '''
import json, os, signal, sys, time
sys.stdout.write("ready\\\\n"); sys.stdout.flush()
kids, end = [], time.monotonic() + 1.5
while time.monotonic() < end:
    pid = os.fork()
    if pid == 0:
        time.sleep(3)
        os._exit(0)
    kids.append(pid)
    time.sleep(0.002)
killed = 0
for pid in kids:
    _, status = os.waitpid(pid, 0)
    killed += os.WIFSIGNALED(status)
print(json.dumps({"forked": len(kids), "killed": killed}))
'''
kept = subprocess.Popen([sys.executable, "-c", keeper], stdout=subprocess.PIPE, text=True)
doomed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
kept.stdout.readline()
time.sleep(0.05)
ends = time.monotonic() + 1.2
while time.monotonic() < ends:
    procs.kill_descendants(os.getpid(), keep=(kept.pid,), wait_s=0.2)
result = json.loads(kept.stdout.readline())
kept.wait()
result["doomed_alive"] = procs.alive(doomed.pid)
print(json.dumps(result))
"""
    found = _in_a_child(script)
    assert found["forked"] > 50 and not found["doomed_alive"], found
    assert found["killed"] == 0, found
