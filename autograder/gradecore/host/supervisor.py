"""The supervisor: what a process forked from the fork server (:mod:`gradecore.host.forkserver`)
becomes to stand between the grader and what it runs, a confined kernel or a sealed run.

It forks the child that runs it, passes the launcher's signals on, and when the launcher is gone
or the child ends, kills everything below it and exits as the child did; for a sealed run it
first becomes that run's supervisor, then the run itself (:func:`_sealed_run`).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading

from . import procs
from .procs import FORWARDED, become_subreaper, exit_as, wait_for


def _supervised(confinement: dict | None, lifeline: int) -> None:
    """Fork the kernel, which returns here confined; this process supervises it and never returns.
    Without ``confinement``, the child returns as it is (a sealed run confines itself).

    The supervisor is a child subreaper (what the kernel detaches comes back to it), writes what
    the confinement got for the plugin, passes the launcher's signals on, kills the kernel and
    all it left when the launcher is gone or the kernel ends, and exits as the kernel did.
    """
    # imported again after the fork: the kernel's confinement from the kernel's own copy of the core
    from ..sandbox import confine

    become_subreaper()
    read, write = os.pipe()
    kernel = os.fork()
    if kernel == 0:
        os.close(read)
        os.close(lifeline)
        if confinement is not None:
            report = confine.apply(confine.Policy.from_json(confinement["policy"]))
            os.write(write, json.dumps(report).encode())
        os.close(write)
        return
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        report = pipe.read()
    if confinement is None:
        # a sealed run's pipes are its own: the trusted side sees their end when it ends
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.close(devnull)
    else:
        try:
            with open(confinement["report"], "wb") as f:
                f.write(report)
        except OSError:
            pass

    def forward(signum, frame):
        try:
            os.kill(kernel, signum)
        except ProcessLookupError:
            pass

    for sig in FORWARDED:
        signal.signal(sig, forward)

    def launcher_gone():
        try:
            while os.read(lifeline, 64):
                pass
        except OSError:
            pass
        procs.kill_descendants(os.getpid(), wait_s=END_WAIT_S)
        os._exit(1)

    threading.Thread(target=launcher_gone, daemon=True).start()
    status = wait_for(kernel)
    # all below it, reaped: a killed process still counts against its user's process limit until
    # it is, and the grading's next process of that user (its kernel) needs room for its threads
    procs.kill_descendants(os.getpid(), wait_s=END_WAIT_S)
    exit_as(status)


END_WAIT_S = 10.0
"""How long a supervisor waits for what it killed to be gone."""


def _sealed_run(args: list[str], lifeline: int) -> None:
    """In the forked child: a supervisor, and under it the sealed run (``python -I -c BOOTSTRAP
    ARGS`` of :mod:`gradecore.host.grading_sandbox`) with what this template imported already loaded. It
    confines itself before it reads any student code, as a fresh one does; the grader's own
    modules are imported again from the sandbox's copy (``ARGS[0]``), and otter is not loaded (its
    stand-in is), as in a fresh run."""
    _supervised(None, lifeline)
    for name in [n for n in sys.modules if n.split(".")[0] in ("gradecore", "otter")]:
        del sys.modules[name]
    sys.argv = ["-c", *args[1:]]  # args[0], the sandbox's copy of the core, leads sys.path already
    from gradecore.sandbox.sealed import main as sealed_main

    sealed_main()
    os._exit(0)
