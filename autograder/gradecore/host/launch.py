"""Start a judge process: the one place that knows its command line.

The plugin starts one per grading, on pipes (:mod:`gradecore.host.judge_client`). Starting it
imports nothing of the judge: the trust boundary stays in the imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Optional

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
"""The folder that holds ``gradecore`` and ``assignments`` (the zip's root when graded from it)."""


def judge_command(assignment: str, *mode: str) -> list[str]:
    return [sys.executable, "-m", "gradecore.judge.service", "--assignment", assignment, *mode]


def judge_env(root: str = PACKAGE_ROOT) -> dict[str, str]:
    """The environment of a judge whose code comes from ``root``, never from the caller's path."""
    return dict(os.environ, PYTHONPATH=root)


def start_stdio_judge(assignment: str, root: str = PACKAGE_ROOT, seed: Optional[int] = None,
                      fresh: bool = True, template: Optional[str] = None) -> subprocess.Popen:
    """Start a judge that serves one client on its stdin and stdout: with the cases of ``seed``,
    else fresh cases for this grading, else (not ``fresh``) the build's. Its truth worker is forked
    from ``template`` (a template's socket, :mod:`gradecore.host.forkserver`) where that answers."""
    mode = ["--stdio"] + ([] if seed is None else ["--seed", str(seed)]) + ([] if fresh else ["--build-cases"])
    mode += ["--template", template] if template and fresh and seed is None else []
    return subprocess.Popen(
        judge_command(assignment, *mode),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=judge_env(root), cwd=root,
    )
