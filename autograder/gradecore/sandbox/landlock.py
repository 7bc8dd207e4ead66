"""Landlock, the kernel's unprivileged sandbox for files, TCP ports and signals, through its syscalls.

The Python bindings on PyPI (``landlock`` 1.0.0.dev5 and the like) cover file rights only; grading
also needs Landlock's TCP rules (ABI 4) and its scoping of signals and abstract sockets (ABI 6).
The three syscalls are small, and the kernel's ABI is stable, so they are called here through
ctypes: ``landlock_create_ruleset``, ``landlock_add_rule`` and ``landlock_restrict_self``.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform

from .prctl import PR_SET_NO_NEW_PRIVS, prctl

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH, RULE_NET_PORT = 1, 2

# File rights, by the ABI that brought them.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
BIND_TCP, CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ = EXECUTE | READ_FILE | READ_DIR
"""What a read-only path allows: read and run its files, list its folders."""
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
"""The rights that make sense on a file, as opposed to a folder."""


def _fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _NetPort(ctypes.Structure):
    _fields_ = [("allowed", ctypes.c_uint64), ("port", ctypes.c_uint64)]


_libc = None


def _syscall(number: int, *args) -> int:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    result = _libc.syscall(ctypes.c_long(number), *args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def abi() -> int:
    """The Landlock ABI this kernel offers; 0 where there is none (not Linux, too old, disabled)."""
    numbers = _SYSCALLS.get(platform.machine())
    if platform.system() != "Linux" or numbers is None:
        return 0
    try:
        return _syscall(numbers[0], None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    except OSError as e:
        if e.errno in (errno.ENOSYS, errno.EOPNOTSUPP):
            return 0
        raise


def restrict(read: list[str], write: list[str], tcp_bind: list[int] = (), listable: list[str] = (),
             abi_version: int | None = None) -> int:
    """Confine this thread and all it starts from now on; return the ABI used.

    Args:
        read: paths it may read (and run, and list) beneath.
        write: paths it may read and change beneath (create, write, remove).
        tcp_bind: TCP ports it may bind (from ABI 4); it may connect to none.
        listable: folders it may list (and the folders beneath), without reading their files.

    Everything else on disk is out of reach. From ABI 6 it can also signal no process outside
    its sandbox, nor reach an abstract Unix socket made outside it. Paths that do not exist are
    skipped. Must run before the process starts threads that should be confined too.
    """
    version = abi() if abi_version is None else abi_version
    if version < 1:
        raise OSError(errno.ENOSYS, "this kernel has no Landlock")
    create, add, restrict_self = _SYSCALLS[platform.machine()]
    handled = _fs_rights(version)
    attr = _RulesetAttr(handled, BIND_TCP | CONNECT_TCP if version >= 4 else 0,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if version >= 6 else (16 if version >= 4 else 8)
    ruleset = _syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    try:
        for paths, rights in ((read, READ & handled), (write, handled), (listable, READ_DIR)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    allowed = rights if os.path.isdir(path) else rights & FILE_RIGHTS
                    rule = _PathBeneath(allowed, fd)
                    _syscall(add, ruleset, ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0))
                finally:
                    os.close(fd)
        if version >= 4:
            for port in tcp_bind:
                rule = _NetPort(BIND_TCP, int(port))
                _syscall(add, ruleset, ctypes.c_int(RULE_NET_PORT), ctypes.byref(rule), ctypes.c_uint32(0))
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        _syscall(restrict_self, ruleset, ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return version
