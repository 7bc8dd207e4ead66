"""Linux's ``prctl(2)``, through libc, for every side that sets an attribute of its own process.

The sandbox sets the parent-death signal and "no new privileges" on itself (:mod:`.confine`,
:mod:`.landlock`); the host makes itself a child subreaper (:mod:`gradecore.host.procs`); the
batch and the warm kernels' template have their children die with them. This module imports
nothing of the core, and only the standard library, so that a sandboxed process may import it.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
from typing import Callable

PR_SET_PDEATHSIG = 1
"""The signal this process gets when the thread that forked it ends (the whole parent, when it is killed)."""
PR_SET_DUMPABLE = 4
"""Whether processes of this process's own user may read its ``/proc/<pid>/fd`` and ``maps`` (a change
of user clears it)."""
PR_SET_CHILD_SUBREAPER = 36
"""Orphaned descendants become this process's children, not init's."""
PR_SET_NO_NEW_PRIVS = 38
"""No ``execve`` may give this process or its children more privileges (set-user-ID files); Landlock
and seccomp need it."""


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def prctl(option: int, value: int) -> None:
    """Set ``option`` of this process to ``value``.

    Raises:
        OSError: the kernel refused (its errno).
        AttributeError: this C library has no ``prctl`` (not Linux).
    """
    if _libc().prctl(option, value, 0, 0, 0) != 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))


def die_with_parent(signum: int = signal.SIGKILL) -> Callable[[], None]:
    """A function that has the kernel send ``signum`` to the process that calls it when its parent
    ends: a ``preexec_fn``, or the first act of a forked child. libc is found now, before the fork,
    never in the child."""
    call = _libc().prctl

    def arm() -> None:
        call(PR_SET_PDEATHSIG, signum, 0, 0, 0)

    return arm
