"""A user and mount namespace of its own, for a sandboxed process of an ordinary (not root) grader.

Without root, every grading's processes share the grader's user, and Landlock governs opening
files, not setting their times, modes or extended attributes: a kernel could ``chmod`` a
neighbouring grading's folders (or the grader's virtual environment) and break it, or leave data in
metadata for another process. In a user namespace of its own (unprivileged, where the kernel allows
it), the process remounts every file system it sees read-only, but its own folders: there no one
can change anything, metadata included (``EROFS``), whatever their owner. Its capabilities in the
namespace are dropped before it goes on, and seccomp then refuses it ``mount`` and ``unshare``.

Docker's default seccomp profile refuses ``unshare``, and some systems turn user namespaces off;
:func:`possible` says so, and the grading records it.
"""

from __future__ import annotations

import ctypes
import os

_CLONE_NEWNS, _CLONE_NEWUSER = 0x00020000, 0x10000000
_MS_REC, _MS_PRIVATE, _MS_BIND = 0x4000, 0x40000, 0x1000
_AT_FDCWD, _AT_RECURSIVE = -100, 0x8000
_MOUNT_ATTR_RDONLY = 0x1
_SYS_MOUNT_SETATTR = 442  # the same number on every architecture (new system calls are unified)
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def _check(result: int, what: str) -> None:
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _read_only(libc: ctypes.CDLL, path: str, writable: bool) -> None:
    attr = _MountAttr(attr_set=0 if writable else _MOUNT_ATTR_RDONLY, attr_clr=_MOUNT_ATTR_RDONLY if writable else 0)
    _check(libc.syscall(_SYS_MOUNT_SETATTR, _AT_FDCWD, os.fsencode(path), _AT_RECURSIVE, ctypes.byref(attr),
                        ctypes.sizeof(attr)), f"mount_setattr {path}")


def read_only_but(writable: list[str]) -> None:
    """Enter a mount namespace of its own in which every file system is read-only but the folders
    (or files) of ``writable``: not as root, in a user namespace of its own, whose capabilities it
    drops after; as root, before it changes to its sandbox user (which drops them).

    On a read-only mount nothing changes, metadata included, and reading a file does not set its
    access time either, so no process leaves a trace there for another to read.

    Call it in a process with one thread, before Landlock and seccomp.

    Raises:
        OSError: where the kernel refuses (no user namespaces here, or no ``mount_setattr``); the
            process may then be in a namespace of its own, without its capabilities, where files
            are as writable as outside.
    """
    uid, gid = os.getuid(), os.getgid()
    as_root = os.geteuid() == 0
    libc = _libc()
    _check(libc.unshare(_CLONE_NEWNS if as_root else _CLONE_NEWUSER | _CLONE_NEWNS), "unshare")
    try:
        if not as_root:
            # the same ids inside as outside: files keep their owners, and the process is no one new
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        _check(libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None), "mount --make-rprivate /")
        kept = [os.path.realpath(p) for p in writable if os.path.isdir(p) or os.path.isfile(p)]
        for path in kept:  # a mount of its own, so that read-only can be lifted from it alone
            _check(libc.mount(os.fsencode(path), os.fsencode(path), None, _MS_BIND | _MS_REC, None), f"bind {path}")
        _read_only(libc, "/", writable=False)
        for path in kept:
            _read_only(libc, path, writable=True)
    finally:  # whatever went wrong, it keeps no capability of the namespace
        if not as_root:
            header, data = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
            _check(libc.capset(ctypes.byref(header), data), "capset")


def possible() -> str:
    """``"on: ..."`` where a process here can have a (user and) mount namespace of its own
    (:func:`read_only_but`), else ``"off: ..."`` and why."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a child tries, so this process stays as it is
        os.close(read)
        try:
            read_only_but([])
            message = b"on"
        except OSError as e:
            message = str(e).encode()[:200]
        except BaseException:
            message = b"failed"
        os.write(write, message)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read().decode(errors="replace")
    os.waitpid(pid, 0)
    if said == "on":
        return READ_ONLY
    return f"off: no {'' if os.geteuid() == 0 else 'user '}namespace here ({said or 'no answer'})"


READ_ONLY = "on: a mount namespace of its own; outside its folders every file is read-only"
