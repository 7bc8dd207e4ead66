"""Start a judge process: the one place that knows its command line.

The plugin starts one per submission, ``rnn-shapes grade`` one per batch (from the zip's own
code), and the kernel one of its own when no plugin did. Starting it imports nothing of the
judge: the trust boundary stays in the imports.
"""

from __future__ import annotations

import os
import subprocess
import sys

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The folder that holds ``gradecore`` and ``assignments`` (the zip's root when graded from it)."""


def judge_command(assignment: str, *mode: str) -> list[str]:
    return [sys.executable, "-m", "gradecore.judge", "--assignment", assignment, *mode]


def judge_env(root: str = PACKAGE_ROOT) -> dict[str, str]:
    """The environment of a judge whose code comes from ``root``, never from the caller's path."""
    return dict(os.environ, PYTHONPATH=root)


def start_judge(socket_path: str, assignment: str, root: str = PACKAGE_ROOT) -> subprocess.Popen:
    """Start a judge serving on ``socket_path`` (it appears once the checks are built)."""
    return subprocess.Popen(
        judge_command(assignment, "--listen", socket_path),
        env=judge_env(root), cwd=root, stdin=subprocess.DEVNULL,
    )


def start_stdio_judge(assignment: str, root: str = PACKAGE_ROOT) -> subprocess.Popen:
    """Start a judge that serves one client on its stdin and stdout."""
    return subprocess.Popen(
        judge_command(assignment, "--stdio"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=judge_env(root), cwd=root,
    )
