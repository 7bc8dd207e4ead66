"""The kernel's launcher exits as its kernel did: the same code, or the same signal."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

EXIT_AS = """
import os, signal, sys
from gradecore.host.launcher import exit_as
child = os.fork()
if child == 0:
    if sys.argv[1] == "code":
        os._exit(3)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
    os._exit(0)
_, status = os.waitpid(child, 0)
exit_as(status)
"""


@pytest.mark.parametrize("how, returncode", [
    ("code", 3),
    ("SIGTERM", -signal.SIGTERM),
    ("SIGKILL", -signal.SIGKILL),  # a kernel killed by the system (out of memory): its action cannot be set
])
def test_the_launcher_exits_as_its_kernel_did(how, returncode):
    proc = subprocess.run([sys.executable, "-c", EXIT_AS, how], capture_output=True, text=True, timeout=60)
    assert proc.returncode == returncode, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
