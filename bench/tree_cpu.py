"""The CPU seconds of a command and of every process below it, orphans included: a figure that the
load of a shared machine changes much less than wall-clock time.

    .venv/bin/python bench/tree_cpu.py -- .venv/bin/otter run -a dist/rnn_shapes/autograder/autograder.zip -o out sub.py
    .venv/bin/python bench/tree_cpu.py --label batch -- .venv/bin/rnn-shapes grade class --jobs 2 --no-report

``time`` counts a process's children only where each was waited for by its parent; a grading's
template is started in a session of its own and its forks outlive their launchers. Here the
command runs below a child subreaper (``PR_SET_CHILD_SUBREAPER``): every orphan of the tree is
reparented to this process and reaped here, so that its CPU counts too. One line: the label, the
exit code, the wall-clock seconds, ``user`` + ``sys`` of the whole tree, the load average.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
ORPHANS_WAIT_S = 120
"""How long the orphans of the tree may outlive the command before the count is taken anyway."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="", help="the line's first word (default: the command's name)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    start = time.monotonic()
    returncode = subprocess.run(command, stdout=subprocess.DEVNULL).returncode
    deadline = time.monotonic() + ORPHANS_WAIT_S
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # no process of the tree is left
            break
        if pid == 0:
            time.sleep(0.2)
    spent = os.times()
    print(f"{args.label or os.path.basename(command[0])} rc {returncode} wall {time.monotonic() - start:.1f} "
          f"cpu {spent.children_user + spent.children_system:.1f} load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
