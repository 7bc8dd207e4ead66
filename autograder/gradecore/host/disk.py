"""The disk one grading's untrusted processes may fill, bounded: a trusted watchdog sums what they
wrote and stops the grading past the limit (:class:`DiskWatch`).

Why a watchdog and not a kernel mechanism: none bounds the disk of a group of processes without a
mount. User and project quotas need the file system mounted with ``usrquota`` or ``prjquota``
(this machine's ``/`` is ext4 without either; Docker's overlay has none, and Gradescope's
container allows no mount); a tmpfs or loop file of its own needs a mount, and a tmpfs fills
memory, which is 768 MB on Gradescope; cgroups have no disk-space controller; ``RLIMIT_FSIZE``
bounds one file. What the sandbox may write is known, though: Landlock lets its processes write
only beneath their scratch folders and, for the kernel, the submission's folder (and
``/dev/null``). So the watchdog, in otter's process, walks those folders every :data:`POLL_S`
seconds and adds up what their files hold (``st_blocks``, each entry at least
:data:`ENTRY_BYTES`, so that a million empty files count too), plus the files deleted from them
that a sandboxed process still holds open (``/proc/<pid>/fd``) or mapped (``/proc/<pid>/maps``),
each file once. Past the limit it
calls its ``stop`` function (the plugin's: every process of the sandbox killed, which lets the
kernel free what they held, and the scratch folders emptied).

The overshoot: what the sandbox writes between two walks. Far from the limit the watch walks every
:data:`POLL_S` (or ten walks' time, if longer); while a growing sandbox is near it (past half of it,
or where the last period's growth would soon pass it) every :data:`FAST_POLL_S` (or one walk's
time), so a writer that comes near the limit passes it by at most its write rate times
(:data:`FAST_POLL_S` plus two walks), and one that jumps past it from afar by at most what it writes
in one far period. ``RLIMIT_FSIZE`` (:func:`file_limit_bytes`) also caps each file at an eighth of
the limit. ``docs/threat-model.md`` states what was measured.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import stat
import threading
import time
from typing import Callable, Collection, Iterable, Iterator, Optional

POLL_S = 0.02
"""Seconds between two walks of the folders the sandbox may write, while far from the limit (page-
cache writes run at GB/s: at 0.1 s, a writer added 250 MiB past a 50 MiB limit between two walks)."""

FAST_POLL_S = 0.002
"""Seconds between two walks while the sandbox's writes come near its limit: it grew since the last
walk and is past :data:`NEAR` of the limit, or the last period's growth, twice more, would pass it."""

NEAR = 0.5
"""The share of the limit past which a growing sandbox is walked every :data:`FAST_POLL_S`."""

HURRY = 5
"""How many nice levels the watch's thread raises itself above otter's process, where it may."""

IDLE_FACTOR = 10
"""The watch waits at least this many times what its last walk took (far from the limit; once near
it, as long as the walk took): a grading of many files costs its walks little of a core."""

MAX_DEPTH = 256
"""The deepest folder the walk descends into (it holds a descriptor for each level)."""

TOO_DEEP_BYTES = 1 << 62
"""What a folder nested deeper than :data:`MAX_DEPTH` counts as: past any limit."""

ENTRY_BYTES = 4096
"""The least an entry (file, folder, link) is counted as: its inode and its name's block."""

RESTOP_S = 1.0
"""Seconds between two ``stop`` calls while the grading stays over its limit (a process started
since, such as the kernel otter starts next, is ended too)."""


def file_limit_bytes(limit_bytes: int, most_bytes: int) -> int:
    """The largest file a sandboxed process may write (``RLIMIT_FSIZE``): an eighth of the
    grading's disk limit, and no more than ``most_bytes``, so one write cannot overshoot much."""
    return max(1 << 20, min(most_bytes, limit_bytes // 8))


def trim_unpacked(folder: str, limit_bytes: int, kept: tuple[str, ...] = (".ipynb", ".py"),
                  kept_folders: tuple[str, ...] = ("tests",)) -> int:
    """Where ``folder`` (the submission's, as otter made it) holds more than ``limit_bytes``:
    remove every entry but its top-level notebooks and scripts (what otter grades) and otter's own
    ``tests/`` (copied from the zip over any of the submission's), and return what it held (0
    where it held no more, and nothing is removed).

    ``otter run`` unpacks a submitted zip whole, in its own process, before any plugin code runs,
    and the disk watch counts from what the folder holds when it starts: what the zip unpacked
    beside its notebook would stay on disk, uncounted, for the whole grading."""
    held = tree_bytes(folder, set())
    if held <= limit_bytes:
        return 0
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if not os.path.islink(path) and (
                (name.endswith(kept) and os.path.isfile(path)) or (name in kept_folders and os.path.isdir(path))):
            continue
        remove_entry(path)
    return held


def remove_entry(path: str) -> None:
    """Remove a file, a link (never what it links to) or a folder with all it holds, as far as it can."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        os.unlink(path)
    except OSError:
        pass


def tree_bytes(root: str, seen: set[tuple[int, int]]) -> int:
    """What the entries beneath ``root`` hold on disk, each inode once (``seen``, shared between
    calls, also keeps a hard link from counting twice); ``root`` itself is not counted.

    The walk goes through folder descriptors, each opened relative to its parent's with
    ``O_NOFOLLOW``: a folder nested past ``PATH_MAX`` (made one level at a time from within) is
    counted like any other, and a folder swapped for a link (to ``/usr``) while the walk runs is
    never followed. A folder that this process cannot read because its owner (a sandbox sharing the
    grader's user) took the permission away is given it back. Folders nested more than
    :data:`MAX_DEPTH` deep count as :data:`TOO_DEEP_BYTES` (past any limit): the walk holds one
    descriptor for each level, and no notebook's files nest so deep."""
    top = _open_folder(root, None)
    if top is None:
        return 0
    total = 0
    stack: list[tuple[int, list[str]]] = []  # each open folder, with its subfolders not yet walked

    def enter(fd: int) -> None:
        nonlocal total
        held, subfolders = _count_entries(fd, seen)
        total += held
        stack.append((fd, subfolders))

    try:
        enter(top)
        while stack:
            fd, subfolders = stack[-1]
            if not subfolders:
                os.close(fd)
                stack.pop()
            elif len(stack) >= MAX_DEPTH:
                total += TOO_DEEP_BYTES
                subfolders.clear()
            else:
                child = _open_folder(subfolders.pop(), fd)
                if child is not None:
                    enter(child)
    finally:
        for fd, _ in stack:
            os.close(fd)
    return total


def _count_entries(folder_fd: int, seen: set[tuple[int, int]]) -> tuple[int, list[str]]:
    """What the entries of the open folder hold (those not in ``seen``), and its subfolders' names."""
    total, subfolders = 0, []
    try:
        with os.scandir(folder_fd) as found:
            entries = list(found)
    except OSError:
        return 0, []
    for entry in entries:
        try:
            found_stat = entry.stat(follow_symlinks=False)  # fstatat relative to the folder
        except OSError:
            continue
        key = (found_stat.st_dev, found_stat.st_ino)
        if key in seen:
            continue
        seen.add(key)
        total += max(found_stat.st_blocks * 512, ENTRY_BYTES)
        if stat.S_ISDIR(found_stat.st_mode):
            subfolders.append(entry.name)
    return total, subfolders


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_folder(name: str, parent_fd: Optional[int]) -> Optional[int]:
    """``name`` (relative to ``parent_fd``) opened as a folder, never through a link; None where it
    is gone or is no folder."""
    try:
        return os.open(name, _FOLDER_FLAGS, dir_fd=parent_fd)
    except PermissionError:
        pass
    except OSError:
        return None
    try:  # ours (the sandbox shares our user) and closed to us: hidden no more
        path_fd = os.open(name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent_fd)
    except OSError:
        return None
    try:
        os.chmod(f"/proc/self/fd/{path_fd}", 0o700)
        return os.open(".", _FOLDER_FLAGS, dir_fd=path_fd)
    except OSError:
        return None
    finally:
        os.close(path_fd)


_DELETED = " (deleted)"


def held_deleted_bytes(roots: Iterable[str], uids: Collection[int], seen: set[tuple[int, int]]) -> int:
    """What files deleted from beneath ``roots`` and still held by a process of a user of ``uids``
    hold on disk, each once (``seen``): held open (``/proc/<pid>/fd``) or mapped in memory after
    being closed (``/proc/<pid>/maps``). The deleted file's last path says whose it was: a sandboxed
    process can move a file only within the folders it may write.

    A mapped file's size is read through ``/proc/<pid>/map_files``, which only a privileged grader
    (root) may follow; otherwise what is mapped of it counts, which is a lower bound. A descriptor
    sent over a Unix socket and never received is held by no process: seccomp denies ``sendmsg``
    (:mod:`gradecore.sandbox.confine`), so a sandboxed process cannot send one."""
    prefixes = tuple(os.path.join(r, "") for r in roots)
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        proc = f"/proc/{name}"
        try:
            owner = os.stat(proc).st_uid
        except OSError:
            continue
        if owner not in uids:
            continue
        held, refused = _held_by(proc, prefixes, seen)
        if refused and owner != 0 and os.geteuid() == 0:
            # Root without CAP_SYS_PTRACE (Docker's default capabilities: Gradescope, otter grade)
            # may not read another user's descriptors or mappings; their owner may (the sandbox
            # keeps itself dumpable for this: confine.apply).
            try:
                with _as_file_owner(proc):
                    held += _held_by(proc, prefixes, seen)[0]
            except OSError:  # it ended meanwhile
                pass
        total += held
    return total


def _held_by(proc: str, prefixes: tuple[str, ...], seen: set[tuple[int, int]]) -> tuple[int, bool]:
    """What the files deleted from beneath ``prefixes`` that process ``proc`` holds open or maps
    hold on disk, each once; and whether reading a descriptor or the mappings was refused."""
    total, refused = 0, False
    try:
        fds = os.listdir(f"{proc}/fd")
    except PermissionError:
        fds, refused = [], True
    except OSError:
        return 0, False
    for fd in fds:
        link = f"{proc}/fd/{fd}"
        try:
            if not os.readlink(link).startswith(prefixes):
                continue
            total += _if_deleted(os.stat(link), seen)
        except PermissionError:
            refused = True
        except OSError:
            continue
    mapped, maps_refused = _mapped_deleted_bytes(proc, prefixes, seen)
    return total + mapped, refused or maps_refused


@contextlib.contextmanager
def _as_file_owner(proc: str) -> Iterator[None]:
    """This thread's file-system user and group set to those of process ``proc`` (``setfsuid(2)``
    acts on the calling thread alone, so otter's other threads keep root's), then back."""
    ids = {}
    with open(f"{proc}/status") as status:
        for line in status:
            if line.startswith(("Uid:", "Gid:")):
                ids[line[:3]] = int(line.split()[1])
    libc = _libc()
    libc.setfsgid(ids["Gid"])
    libc.setfsuid(ids["Uid"])
    try:
        yield
    finally:
        libc.setfsuid(os.geteuid())
        libc.setfsgid(os.getegid())


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _if_deleted(found: os.stat_result, seen: set[tuple[int, int]]) -> int:
    """What the file ``found`` holds on disk where no folder holds it any more and it was not counted yet."""
    key = (found.st_dev, found.st_ino)
    if found.st_nlink or key in seen:
        return 0
    seen.add(key)
    return max(found.st_blocks * 512, ENTRY_BYTES)


def _mapped_deleted_bytes(proc: str, prefixes: tuple[str, ...], seen: set[tuple[int, int]]) -> tuple[int, bool]:
    """What the files deleted from beneath ``prefixes`` that process ``proc`` maps hold, each once;
    and whether reading its mappings was refused."""
    try:
        with open(f"{proc}/maps", encoding="utf-8", errors="surrogateescape") as maps:
            text = maps.read()
    except PermissionError:
        return 0, True
    except OSError:
        return 0, False
    if _DELETED not in text:
        return 0, False
    lines = text.splitlines()
    total = 0
    extents: dict[tuple[int, int], int] = {}  # where map_files cannot be followed: what is mapped
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) < 6 or not fields[5].endswith(_DELETED) or not fields[5].startswith(prefixes):
            continue
        span, offset, device, inode = fields[0], fields[2], fields[3], int(fields[4])
        try:
            total += _if_deleted(os.stat(f"{proc}/map_files/{span}"), seen)
        except PermissionError:
            major, minor = (int(part, 16) for part in device.split(":"))
            key = (os.makedev(major, minor), inode)
            if key not in seen:
                start, end = (int(part, 16) for part in span.split("-"))
                extents[key] = max(extents.get(key, 0), int(offset, 16) + end - start)
            continue
        except OSError:
            continue
    for key, extent in extents.items():
        seen.add(key)
        total += max(extent, ENTRY_BYTES)
    return total, False


def _hurry() -> None:
    """Raise the calling thread's priority above the sandbox's, where the grader may (root): on a
    loaded machine a writer at GB/s otherwise runs while the watch waits for a core."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, max(-20, os.getpriority(os.PRIO_PROCESS, tid) - HURRY))
    except OSError:
        pass


class DiskWatch:
    """A thread that stops a grading whose sandbox filled more than ``limit_bytes`` of disk.

    Args:
        roots: the folders the sandbox may write (its Landlock write rules), or a function that
            names them as they are now (a sandbox makes each run's scratch folder afresh); what
            they hold when the watch starts is not counted (the submission's own files).
        limit_bytes: what the sandbox may add to them, together.
        uid: the users whose processes may hold deleted files open (the sandbox's), or one.
        stop: called, from the watch's thread, once the limit is passed, and again every
            :data:`RESTOP_S` while it stays passed.
    """

    def __init__(self, roots: list[str] | Callable[[], list[str]], limit_bytes: int, uid: int | Collection[int],
                 stop: Callable[[], None]):
        self._roots = roots if callable(roots) else (lambda: list(roots))
        self.limit_bytes = limit_bytes
        self.uids = frozenset([uid] if isinstance(uid, int) else uid)
        self._stop_grading = stop
        self.exceeded = threading.Event()
        """set once the sandbox passed its limit"""
        self.peak_bytes = 0
        """the most the watch saw written at once"""
        self.last_bytes = 0
        """what the last check saw written"""
        self._done = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._baseline = 0
        self._baseline = self.used_bytes()

    def used_bytes(self) -> int:
        """What the sandbox has written beneath its roots since the watch started, deleted files
        still held open included."""
        seen: set[tuple[int, int]] = set()
        roots = [os.path.realpath(r) for r in self._roots()]
        total = sum(tree_bytes(root, seen) for root in roots)
        total += held_deleted_bytes(roots, self.uids, seen)
        return max(0, total - self._baseline)

    def check(self) -> bool:
        """Measure once; past the limit, stop the grading. Returns whether it is past."""
        used = self.last_bytes = self.used_bytes()
        self.peak_bytes = max(self.peak_bytes, used)
        if used <= self.limit_bytes:
            return False
        self.exceeded.set()
        self._stop_grading()
        return True

    def start(self) -> "DiskWatch":
        self._thread = threading.Thread(target=self._watch, name="disk-watch", daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        _hurry()
        before, at = 0, time.monotonic()
        while not self._done.is_set():
            started = time.monotonic()
            over = self.check()
            now = time.monotonic()
            used, rate = self.last_bytes, (self.last_bytes - before) / max(now - at, 1e-6)
            before, at = used, now
            if over:
                wait = RESTOP_S
            else:  # a quarter of the time the last rate takes to the limit, within the bounds
                left_s = (self.limit_bytes - used) / rate if rate > 0 else float("inf")
                wait = max(min(POLL_S, left_s / 4), FAST_POLL_S)
                wait = max(wait, (IDLE_FACTOR if wait >= POLL_S else 1) * (now - started))
            self._done.wait(wait)

    def stop(self) -> None:
        """End the watch (the grading is over); one last measure first."""
        if self._thread is None:
            return
        self._done.set()
        self._thread.join()
        self._thread = None
        self.check()
