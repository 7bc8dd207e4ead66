"""The student's kernel, bounded before the submission's code runs (:func:`arm`, the plugin's first
cell): each cell's time, the kernel's memory and the printed output; ``os._exit`` refused."""

from __future__ import annotations

import os
import resource
import signal
import sys

from ..protocol.limits import (
    CELL_TIME_LIMIT_S,
    IMPORT_GRACE_S,
    KERNEL_MEMORY_LIMIT_MB,
    OUTPUT_LIMIT_CHARS,
    OUTPUT_TRUNCATED,
    WARM_PRELOADED_VARIABLE,
    ImportGrace,
)
from . import memory
from .rebinding import take_snapshot


def _refuse_exit(code: int = 0) -> None:
    raise SystemExit(f"os._exit({code}) is not allowed in a graded submission")


class TimeLimitExceeded(Exception):
    """Raised in the kernel when a cell or a public check runs past ``CELL_TIME_LIMIT_S``."""


class ImportTimeLimitExceeded(TimeLimitExceeded):
    """Raised in the kernel when an import runs on past its cell's limit and the grace for imports
    (``IMPORT_GRACE_S``)."""


EXPORT_CELL_START = "from otter.execute import Checker\n"
"""How otter's last cell (which runs every remaining check) begins: it gets no cell timer,
because each check inside it has its own."""


_import_grace = ImportGrace()
_import_stopped = [False, ImportGrace(10)]
"""Whether this cell's import was stopped, and the grace of the imports after it: the alarms that
follow (one each second, for code that catches the first) say so again, and IPython's own lazy
imports while it formats the traceback finish, or the error never reaches the feedback."""


def _import_message() -> str:
    return (f"an import did not finish within {CELL_TIME_LIMIT_S + IMPORT_GRACE_S:g} seconds (the grader's limit per "
            f"cell, and {IMPORT_GRACE_S:g} s more for imports): is there an endless loop in the imported module?")


def _on_alarm(signum, frame):
    # An import stopped halfway (a slow `import tensorflow` in a cell past its limit) would leave
    # the module broken for the hidden checks, which import Keras too: let it finish, within the
    # process's grace for imports (an endless loop in an imported module ran on until the grading's
    # deadline until 2026-12-08).
    grace = _import_stopped[1] if _import_stopped[0] else _import_grace
    step = grace.extend(frame)
    if step > 0:
        signal.setitimer(signal.ITIMER_REAL, step, signal.getitimer(signal.ITIMER_REAL)[1])
        return
    if _import_stopped[0] or _import_grace.spent(frame):
        _import_stopped[0] = True
        raise ImportTimeLimitExceeded(_import_message())
    raise TimeLimitExceeded(
        f"stopped after {CELL_TIME_LIMIT_S:g} seconds (the grader's limit per cell): is there an endless loop?"
    )


def _pre_run_cell(info) -> None:
    _import_stopped[:] = [False, ImportGrace(10)]
    _output_state["cell"] = 0
    if not (getattr(info, "raw_cell", "") or "").startswith(EXPORT_CELL_START):
        # A second alarm each second after the first, for code that catches the first one.
        signal.setitimer(signal.ITIMER_REAL, CELL_TIME_LIMIT_S, 1.0)


def _post_run_cell(result) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


def _bound_public_checks() -> None:
    """Give each public check (which calls the student's function in the kernel) the cell limit."""
    from otter.test_files.exception_test import test_case

    call_func = test_case.call_func

    def bounded(self, global_environment):
        if self.hidden:
            return call_func(self, global_environment)
        outer = signal.setitimer(signal.ITIMER_REAL, CELL_TIME_LIMIT_S)
        try:
            return call_func(self, global_environment)
        finally:
            if outer[0] > 0:
                signal.setitimer(signal.ITIMER_REAL, *outer)
            else:
                signal.setitimer(signal.ITIMER_REAL, 0)

    test_case.call_func = bounded


_output_state = {"total": 0, "cell": 0, "truncated": False}


class _CappedStream:
    """A kernel output stream that drops what comes after ``OUTPUT_LIMIT_CHARS`` characters."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if _output_state["truncated"]:
            return len(text)
        room = OUTPUT_LIMIT_CHARS - _output_state["total"]
        if len(text) > room:
            _output_state["truncated"] = True
            self._stream.write(text[: max(room, 0)] + f"\n{OUTPUT_TRUNCATED}\n")
            return len(text)
        _output_state["total"] += len(text)
        return self._stream.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _limit_kernel_memory() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    # a kernel forked from a warm template already holds TensorFlow: count it as a cold kernel would
    preloaded = int(os.environ.get(WARM_PRELOADED_VARIABLE, "0") or 0)
    soft = memory.address_space() - preloaded + KERNEL_MEMORY_LIMIT_MB * 2**20
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _otter_log_in_scratch() -> None:
    """otter's client log (``.OTTER_LOG``, which ``otter.Notebook()`` and each ``grader.check`` append
    to in the working folder, grading mode or not) goes to the kernel's own scratch folder instead:
    the submission's folder is read-only in the sandbox, and otter-assign's first cell, ``grader =
    otter.Notebook("hw.ipynb")``, raised "Could not create the log file as the file system is
    read-only", taking the rest of its cell and every ``grader.check`` with it, and naming that as
    the reason of every failed question. Nothing reads the log (the grader never reads a submitted
    one: :mod:`gradecore.host.otter_doors`)."""
    import tempfile

    try:
        from otter.check import notebook
    except ImportError:  # no otter in this kernel: nothing writes the log
        return
    notebook.OTTER_LOG_FILENAME = os.path.join(tempfile.gettempdir(), notebook.OTTER_LOG_FILENAME)


def arm() -> None:
    """Prepare the kernel before the student's code runs (the plugin's first cell).

    Notes the state of NumPy's namespaces (to report rebinding), keeps ``os._exit`` from killing
    the kernel (the library's questions still run in it), bounds each cell's time, the kernel's
    memory and the printed output, and writes otter's client log where the kernel may write.
    """
    take_snapshot()
    _otter_log_in_scratch()
    os._exit = _refuse_exit
    _limit_kernel_memory()
    sys.stdout, sys.stderr = _CappedStream(sys.stdout), _CappedStream(sys.stderr)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        signal.signal(signal.SIGALRM, _on_alarm)
        shell.events.register("pre_run_cell", _pre_run_cell)
        shell.events.register("post_run_cell", _post_run_cell)
        _bound_public_checks()
