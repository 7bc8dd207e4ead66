"""TensorFlow's start-up chatter kept off the grader's terminal: the lines it and ipykernel print at
every start, filtered out of a standard error.

TensorFlow writes its oneDNN and CPU-feature notices from C++ straight to the process's standard
error, before any setting can silence them (``TF_CPP_MIN_LOG_LEVEL`` does not reach the ones
logged before absl is initialised). The kernel's start script (:mod:`gradecore.host.kernelspec`)
filters the kernel's standard error through :func:`filter_lines`; :func:`filtered_stderr` does the same
for a block of code in this process (the build's Keras, the template's imports). Anything that is
not known chatter (a crash in C code, a warning of the student's) still reaches the terminal.
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


def filter_lines(source: int) -> None:
    """Write each line read from the descriptor ``source`` to this process's standard error, but
    known chatter, until ``source`` closes."""
    with os.fdopen(source, "rb") as lines:
        for line in lines:
            if keep(line):
                os.write(2, line)
