"""The sandbox that runs student code, with the kernel's real mechanisms: no otter, no TensorFlow.

A confined process is asked to do what an attacker would (read the grader's files, write beside
them, reach the network or a Unix socket, signal the grader, outlive its grading), and the test
checks each is refused. The sealed run is given a submission's code and calls, as the plugin
gives them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from gradecore.host import grading_sandbox, procs, sealed_runs
from gradecore.sandbox import confine, landlock

pytestmark = pytest.mark.skipif(landlock.abi() < 6, reason="needs Landlock ABI 6 (Linux 6.12+), as on these machines")


@pytest.fixture
def box():
    sandbox = grading_sandbox.Sandbox(prefix="gradecore-test-")
    yield sandbox
    sandbox.remove()


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file of the grader's, as the zip's truths are: outside every sandbox's paths."""
    path = tmp_path / "truths.bin"
    path.write_text("the hidden truths")
    return path


def _confined(policy: confine.Policy, code: str, cwd: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python that confines itself with ``policy`` first."""
    runner = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(Path(confine.__file__).parents[2])!r})
        from gradecore.sandbox import confine
        report = confine.apply(confine.Policy.from_json(json.loads(sys.argv[1])))
        print(json.dumps(report), flush=True)
    """) + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-I", "-c", runner, json.dumps(policy.to_json())], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


ATTEMPTS = """
import os, socket, signal
def attempt(name, action):
    try:
        action()
        print(name, "allowed", flush=True)
    except OSError as e:
        print(name, "refused", flush=True)
attempt("read the grader's file", lambda: open(SECRET).read())
attempt("write beside the grader's file", lambda: open(SECRET + ".planted", "w").write("x"))
attempt("write its scratch", lambda: open(os.path.join(SCRATCH, "mine.txt"), "w").write("x"))
attempt("connect over TCP", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=2))
attempt("make a Unix socket", lambda: socket.socket(socket.AF_UNIX))
attempt("make a UDP socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
attempt("send a descriptor", lambda: socket.send_fds(socket.socketpair()[0], [b"f"], [0]))
attempt("signal the grader", lambda: os.kill(GRADER, 0))
attempt("read the grader's environment", lambda: open(f"/proc/{GRADER}/environ", "rb").read())
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def made(found, remove):
    if found < 0:
        raise OSError(ctypes.get_errno(), "refused")
    remove(found, 0, None)  # IPC_RMID: what the test made goes
IPC_PRIVATE, IPC_CREAT = 0, 0o1000
attempt("share memory (System V)", lambda: made(libc.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o666), libc.shmctl))
attempt("make a message queue (System V)", lambda: made(libc.msgget(IPC_PRIVATE, IPC_CREAT | 0o666), libc.msgctl))
attempt("make a semaphore (System V)", lambda: made(libc.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o666), libc.semctl))
attempt("make a memory file", lambda: os.close(os.memfd_create("m")))
"""


def test_a_confined_process_reaches_only_its_own_folder(box, secret, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    code = (f"SECRET = {str(secret)!r}\nSCRATCH = {box.sealed_home!r}\nPORT = {listener.getsockname()[1]}\n"
            f"GRADER = {os.getpid()}\n" + ATTEMPTS)
    done = _confined(box.sealed_policy(), code, box.sealed_home)
    listener.close()
    lines = done.stdout.splitlines()
    report = json.loads(lines[0])
    assert report["landlock"].startswith("on") and report["seccomp"] == "on", report
    said = dict(line.rsplit(" ", 1) for line in lines[1:])
    assert said == {
        "read the grader's file": "refused",
        "write beside the grader's file": "refused",
        "write its scratch": "allowed",
        "connect over TCP": "refused",
        "make a Unix socket": "refused",
        "make a UDP socket": "refused",
        # a descriptor in flight is a deleted file no process holds, which the disk watch cannot count
        "send a descriptor": "refused",
        "signal the grader": "refused",
        "read the grader's environment": "refused",
        # System V objects outlive their maker, open to any user: a channel past every sweep
        "share memory (System V)": "refused",
        "make a message queue (System V)": "refused",
        "make a semaphore (System V)": "refused",
        # its pages are no part of the address space its limit bounds, nor of the disk watch's walk
        "make a memory file": "refused",
    }, done.stderr[-2000:]
    assert not Path(str(secret) + ".planted").exists()
    if os.geteuid() == 0:
        assert report["user"].startswith("on: uid"), report


def test_the_sealed_run_cannot_load_tensorflow_however_it_tries(box, tmp_path):
    """A stand-in at top level; refused file access to the library itself; forbidden in a call."""
    import importlib.util

    tf_init = importlib.util.find_spec("tensorflow").origin
    code = f'''
import numpy as np
import tensorflow as tf
from tensorflow import keras
model = keras.Sequential([keras.layers.SimpleRNN(3)])  # top level: a stand-in, no error
try:
    open({tf_init!r}).read()
    READ = "read"
except OSError:
    READ = "refused"

def helper(X):
    return later(X)            # defined further down: the finished notebook defines it

def later(X):
    return np.tanh(X)

def uses_tf(X):
    return tf.math.tanh(X)

def in_a_thread(X):
    import threading
    out = []
    t = threading.Thread(target=lambda: out.append(tf.math.tanh(X)))
    t.start(); t.join()
    return out[0] if out else X * 0 + 42

def reads_tf_files(X):
    return np.full_like(X, 1.0 if READ == "read" else -1.0)
'''
    X = np.linspace(-1, 1, 6).reshape(2, 3)
    calls = {q: {"calls": [[X]], "numpy_only": True} for q in ("helper", "uses_tf", "in_a_thread", "reads_tf_files")}
    found = box.run_sealed([code], lambda: calls, 30, submission_dir=str(tmp_path))
    outcomes = {q: found["outcomes"][q][0] for q in calls}
    assert outcomes["helper"]["status"] == "returned"
    np.testing.assert_allclose(outcomes["helper"]["value"]["value"], np.tanh(X))
    assert outcomes["uses_tf"]["status"] == "forbidden"
    # the thread's call is refused too: the library is not there to be reached from any thread
    assert outcomes["in_a_thread"]["status"] in ("forbidden", "returned")
    if outcomes["in_a_thread"]["status"] == "returned":
        assert np.all(outcomes["in_a_thread"]["value"]["value"] == 42)
    assert np.all(outcomes["reads_tf_files"]["value"]["value"] == -1.0)


def detaching_submission(marker: Path) -> str:
    """A submission whose top level detaches a process (setsid, double fork) that stays alive
    whatever it may not do, writing ``marker`` where it can; ``f(n)`` is ``n + 1``."""
    return f'''
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            try:
                open({str(marker)!r}, "w").write(str(os.getpid()))
            except OSError:
                pass
            time.sleep(0.05)
    os._exit(0)
time.sleep(0.5)

def f(n):
    return n + 1
'''


def test_the_sealed_run_outlives_nothing_it_started(box, tmp_path):
    """A process detached at top level (setsid, double fork) is gone once the sealed run is."""
    marker = tmp_path / "alive"
    code = detaching_submission(marker)
    procs.become_subreaper()
    found = box.run_sealed([code], lambda: {"f": {"calls": [[1]], "numpy_only": True}}, 30,
                           submission_dir=str(tmp_path))
    assert found["outcomes"]["f"][0]["value"]["value"] == 2
    # the marker lies in the submission's folder, which the sealed run may only read
    assert not marker.exists()
    leftover = [p for p in procs.descendants(os.getpid()) if procs.alive(p)]
    assert leftover == []


def test_a_top_level_exit_stops_its_cell_and_a_kill_stops_the_run_as_in_the_kernel(box, tmp_path):
    """An exit stops the rest of its cell, and the next cells define their functions; a statement
    that kills the process ends the run there, as the kernel ends: nothing after it is defined."""
    cells = ["import os, signal, sys\ndef f(n):\n    return n * 2", "os._exit(3)\ndef lost(n):\n    return n",
             "sys.exit(4)", "def g(n):\n    return n + 1",
             "os.kill(os.getpid(), signal.SIGKILL)", "def after_the_kill(n):\n    return n"]
    calls = {q: {"calls": [[21]], "numpy_only": True} for q in ("f", "g", "lost", "after_the_kill")}
    found = box.run_sealed(cells, lambda: calls, 30, submission_dir=str(tmp_path))
    assert found["outcomes"]["f"][0]["value"]["value"] == 42
    assert found["outcomes"]["g"][0]["value"]["value"] == 22
    assert found["outcomes"]["lost"][0]["status"] == "missing"
    assert found["outcomes"]["after_the_kill"][0]["status"] == "missing"


def test_what_the_top_level_changes_in_the_graders_modules_is_undone(box, tmp_path):
    """A submission that rewrites the grader's own code at top level (to answer for its function)
    gets its function graded, by the grader's code."""
    code = """
import gradecore.kernel.calls, gradecore.public.encode
gradecore.kernel.calls.outcomes_with = lambda function, reply, builders=None: [
    {"status": "returned", "value": {"kind": "int", "type": "int", "value": 42}} for _ in reply["calls"]]
gradecore.public.encode.encode_value = lambda value, depth=0: {"kind": "int", "type": "int", "value": 42}
def f(n):
    return n
"""
    found = box.run_sealed([code], lambda: {"f": {"calls": [[7]], "numpy_only": True}}, 30,
                           submission_dir=str(tmp_path))
    assert found["outcomes"]["f"][0]["value"]["value"] == 7


def test_a_sweep_kills_every_process_of_the_sandbox(box):
    procs.become_subreaper()
    started = subprocess.Popen([sys.executable, "-c", "import os, time\nif os.fork() == 0:\n    os.setsid()\n"
                                "    time.sleep(60)\nos._exit(0)"])
    started.wait()
    time.sleep(0.2)
    assert [p for p in procs.descendants(os.getpid()) if procs.alive(p)]
    box.sweep()
    time.sleep(0.1)
    assert not [p for p in procs.descendants(os.getpid()) if procs.alive(p)]


def test_a_grading_that_ends_before_its_last_step_leaves_no_folder(tmp_path):
    """otter's process raised before the plugin's last step (its kernel died as it started): the
    sandbox's folder goes when the process exits, as after a grading that ran to its end."""
    script = ("from gradecore.host import grading_sandbox, sealed_runs\nbox = grading_sandbox.Sandbox(prefix='gradecore-test-')\n"
              "print(box.root, flush=True)\nraise RuntimeError('Kernel died before replying to kernel_info')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, TMPDIR=str(tmp_path)), timeout=60)
    root = Path(done.stdout.strip())
    assert done.returncode == 1 and root.parent == tmp_path, done.stderr[-2000:]
    assert not root.exists() and list(tmp_path.iterdir()) == []


def test_what_each_setting_gets_is_said():
    got = confine.available()
    assert set(got) == {"user", "apart", "landlock", "seccomp", "limits"}
    assert confine.isolation_summary(dict(got, user="on: uid 1")) == "full" or "landlock" not in got
    partial = confine.isolation_summary({"user": "off: the grader is not root", "landlock": "on: ABI 7"})
    assert partial == "partial: user off: the grader is not root"
    kept_apart = confine.isolation_summary({"user": "off: not root", "apart": "on: a mount namespace", "landlock": "on"})
    assert kept_apart == "partial: user off: not root; apart on: a mount namespace"
    assert signal.SIGKILL  # the sweep's signal exists on this platform



ONE_AFTER = """
import os, time
started = time.monotonic()
reached = []
for attempt in (lambda: os.listdir(OTHER), lambda: open(os.path.join(OTHER, "planted"), "w").write("x")):
    try:
        attempt()
        reached.append(1)
    except OSError:
        pass
open(os.path.join(os.environ["HOME"], "mine"), "w").write("x")
time.sleep(1)

def f(n):
    return [started, time.monotonic(), len(reached)]
"""


def test_the_library_run_starts_only_once_the_numpy_only_run_is_gone(box, tmp_path):
    """Never side by side: processes that run at once can signal each other through what a machine
    shares (a user's process count, process ids, CPU time), so the NumPy-only run (first) could
    hand its hidden inputs to the library's run (which may compute with Keras). The library's run
    starts after the NumPy-only run answered and was ended; each writes a scratch folder of its own,
    which the other can neither list nor write, and which is removed once its run is ended."""
    runs = [sealed_runs.SealedRun([ONE_AFTER.replace("OTHER", repr(box.library_home))],
                              lambda: {"f": {"calls": [[7]], "numpy_only": True}}, 30, str(tmp_path)),
            # the NumPy-only run's folder is gone by then: it looks for it where all the folders lie
            sealed_runs.SealedRun([ONE_AFTER.replace("OTHER", repr(box.root))],
                              lambda: {"f": {"calls": [[8]], "numpy_only": False}}, 30, str(tmp_path), library=True)]
    numpy_run, library_run = box.start_sealed(runs).results()
    numpy_started, numpy_answered, numpy_reached = [i["value"] for i in numpy_run["outcomes"]["f"][0]["value"]["value"]]
    library_started, _, library_reached = [i["value"] for i in library_run["outcomes"]["f"][0]["value"]["value"]]
    assert numpy_started < numpy_answered < library_started
    assert numpy_reached == library_reached == 0
    # what each wrote went with it: the next process finds fresh, empty folders
    assert os.listdir(box.sealed_home) == os.listdir(box.library_home) == []
    assert not (Path(box.root) / "planted").exists()
