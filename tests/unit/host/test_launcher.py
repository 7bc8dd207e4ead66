"""The kernel's launcher exits as its kernel did: the same code, or the same signal."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

EXIT_AS = """
import os, signal, sys
from gradecore.host.procs import exit_as
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


def test_the_connection_file_goes_into_the_kernels_home_never_through_a_link_planted_there(tmp_path):
    """The kernel's home belongs to the sandbox's user, and a sealed run of the same grading runs
    before the launcher: where Landlock is missing, it could leave a link there. The launcher (root)
    writes its copy of the connection file as a new file of its own, never through the link onto
    the file it names (which its chown would then give to the sandbox's user)."""
    import json
    import os

    from gradecore.host.launcher import _connection

    home = tmp_path / "kernel"
    home.mkdir()
    target = tmp_path / "graders-file"
    target.write_text("the grader's")
    (home / "connection.json").symlink_to(target)
    connection = tmp_path / "kernel-1.json"
    connection.write_text(json.dumps({"shell_port": 5001, "iopub_port": 5002, "key": "k"}))
    args, ports = _connection(["-f", str(connection)], str(home), None)
    assert target.read_text() == "the grader's"
    copy = home / "connection.json"
    assert args == ["-f", str(copy)] and sorted(ports) == [5001, 5002]
    assert not copy.is_symlink() and json.loads(copy.read_text())["key"] == "k"
    assert os.stat(copy).st_mode & 0o777 == 0o600
