"""``prctl(2)`` in one place (:mod:`gradecore.sandbox.prctl`), on real processes: a child armed
with :func:`die_with_parent` ends with its parent, a refused option raises."""

from __future__ import annotations

import errno
import json
import signal
import subprocess
import sys

import pytest

from gradecore.sandbox import prctl

_PR_GET_PDEATHSIG = 2


def _run(script: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_option_the_kernel_refuses_raises_with_its_errno():
    with pytest.raises(OSError) as refused:
        prctl.prctl(prctl.PR_SET_PDEATHSIG, 10_000)  # no such signal
    assert refused.value.errno == errno.EINVAL


def test_the_parent_death_signal_is_set_in_the_child_that_arms_it():
    """Set by the child's own call (a preexec_fn), read back there with PR_GET_PDEATHSIG."""
    script = """
import ctypes, json, signal, subprocess, sys
from gradecore.sandbox.prctl import die_with_parent
read = ("import ctypes; v = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(v), 0, 0, 0); print(v.value)")
armed = subprocess.run([sys.executable, "-c", read], preexec_fn=die_with_parent(signal.SIGTERM), capture_output=True, text=True)
plain = subprocess.run([sys.executable, "-c", read], capture_output=True, text=True)
print(json.dumps({"armed": int(armed.stdout), "plain": int(plain.stdout)}))
"""
    assert _run(script) == {"armed": int(signal.SIGTERM), "plain": 0}


def test_a_child_armed_with_die_with_parent_ends_when_its_parent_is_killed():
    """The script is a child subreaper (the helper's other option), so the orphan comes back to it
    and it reads how the child ended: killed by SIGKILL, as soon as its parent was."""
    script = """
import json, os, signal, subprocess, sys, time
from gradecore.sandbox.prctl import PR_SET_CHILD_SUBREAPER, prctl
prctl(PR_SET_CHILD_SUBREAPER, 1)
middle = ("import subprocess, sys, time\\n"
          "from gradecore.sandbox.prctl import die_with_parent\\n"
          "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], preexec_fn=die_with_parent())\\n"
          "print(child.pid, flush=True)\\n"
          "time.sleep(60)")
parent = subprocess.Popen([sys.executable, "-c", middle], stdout=subprocess.PIPE, text=True)
child = int(parent.stdout.readline())
parent.kill()
parent.wait()
end, status = time.monotonic() + 10, None
while status is None and time.monotonic() < end:
    pid, code = os.waitpid(child, os.WNOHANG)
    status = code if pid else None
    time.sleep(0.01)
if status is None:
    os.kill(child, signal.SIGKILL)
print(json.dumps({"signal": os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None}))
"""
    assert _run(script) == {"signal": int(signal.SIGKILL)}
