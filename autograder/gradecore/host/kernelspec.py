"""TensorFlow's start-up chatter kept off the grader's terminal: the student's kernel, the build.

TensorFlow writes its oneDNN and CPU-feature notices from C++ straight to the process's standard
error, before any setting can silence them (``TF_CPP_MIN_LOG_LEVEL`` does not reach the ones
logged before absl is initialised). The kernel inherits otter's standard error, so every graded
notebook that imports TensorFlow printed them on the instructor's terminal.

Run as ``python .../gradecore/host/kernelspec.py -f CONNECTION_FILE`` (the plugin's kernelspec): a small
child process filters the kernel's standard error line by line, and the kernel itself is
``ipykernel_launcher`` under this very process id, as jupyter_client expects. Anything that is
not known chatter (a crash in C code, a warning of the student's) still reaches the terminal.
In a batch whose kernels are forked from a warm template (:mod:`gradecore.host.template`), this process
asks the template for the kernel and stands in for it instead.
:func:`filtered_stderr` does the same for a block of code in this process (the build's Keras).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from typing import Iterator

CHATTER = re.compile(
    rb"All log messages before absl::InitializeLog\(\) is called"
    rb"|port\.cc:\d+\] oneDNN custom operations"
    rb"|cpu_feature_guard\.cc"
    rb"|^To enable the following instructions: .* rebuild TensorFlow"
    rb"|triggered tf\.function retracing"
    rb"|Kernel is running over TCP without encryption"
)
"""Lines that TensorFlow (and ipykernel, on a local TCP socket) print at every start."""


def keep(line: bytes) -> bool:
    return not CHATTER.search(line)


@contextlib.contextmanager
def filtered_stderr() -> Iterator[None]:
    """Run a block with this process's standard error (file descriptor 2, which TensorFlow's C++
    writes to) set aside, then write out the lines of it that are not known chatter."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            for line in caught:
                if keep(line):
                    os.write(2, line)


def _filter(source: int) -> None:
    with os.fdopen(source, "rb") as lines:
        for line in lines:
            if keep(line):
                os.write(2, line)


def main() -> None:
    read, write = os.pipe()
    stderr_filter = os.fork()
    if stderr_filter == 0:
        os.close(write)
        try:
            _filter(read)
        finally:
            os._exit(0)
    os.close(read)
    os.dup2(write, 2)
    os.close(write)
    # run as a script: the core is the folder this file is in, not one on the caller's path
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from gradecore.protocol.settings import link

    policy = os.environ.pop(link("KERNEL_POLICY"), None)
    if policy:  # the plugin's grading: the kernel runs confined (gradecore.host.launcher)
        from gradecore.host import launcher

        launcher.run(policy, sys.argv[1:], keep=(stderr_filter,))
    if os.environ.get(link("WARM_KERNELS")):  # a batch's template forks the kernel (gradecore.host.template)
        from gradecore.host import template

        template.launch(sys.argv[1:])  # returns only if no template answers
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])


if __name__ == "__main__":
    main()
