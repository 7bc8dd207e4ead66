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
that a sandboxed process still holds open (``/proc/<pid>/fd``), each file once. Past the limit it
calls its ``stop`` function (the plugin's: every process of the sandbox killed, which lets the
kernel free what they held, and the scratch folders emptied).

The overshoot: what the sandbox writes between two walks, at most the machine's write rate times
(:data:`POLL_S` plus one walk); each file is also bounded by ``RLIMIT_FSIZE``
(:func:`file_limit_bytes`), so no single write adds more than an eighth of the limit.
``docs/threat-model.md`` states what was measured.
"""

from __future__ import annotations

import os
import stat
import threading
from typing import Callable, Collection, Iterable, Optional

POLL_S = 0.1
"""Seconds between two walks of the folders the sandbox may write."""

ENTRY_BYTES = 4096
"""The least an entry (file, folder, link) is counted as: its inode and its name's block."""

RESTOP_S = 1.0
"""Seconds between two ``stop`` calls while the grading stays over its limit (a process started
since, such as the kernel otter starts next, is ended too)."""


def file_limit_bytes(limit_bytes: int, most_bytes: int) -> int:
    """The largest file a sandboxed process may write (``RLIMIT_FSIZE``): an eighth of the
    grading's disk limit, and no more than ``most_bytes``, so one write cannot overshoot much."""
    return max(1 << 20, min(most_bytes, limit_bytes // 8))


def tree_bytes(root: str, seen: set[tuple[int, int]]) -> int:
    """What the entries beneath ``root`` hold on disk, each inode once (``seen``, shared between
    calls, also keeps a hard link from counting twice); ``root`` itself is not counted. A folder
    that this process cannot read because its owner (a sandbox sharing the grader's user) took the
    permission away is given it back."""
    total = 0
    todo = [root]
    while todo:
        folder = todo.pop()
        try:
            entries = _entries(folder)
        except OSError:
            continue
        for entry in entries:
            try:
                found = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            key = (found.st_dev, found.st_ino)
            if key in seen:
                continue
            seen.add(key)
            total += max(found.st_blocks * 512, ENTRY_BYTES)
            if stat.S_ISDIR(found.st_mode):
                todo.append(entry.path)
    return total


def _entries(folder: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as found:
            return list(found)
    except PermissionError:
        os.chmod(folder, 0o700)  # ours (the sandbox shares our user): hidden no more
        with os.scandir(folder) as found:
            return list(found)


def held_deleted_bytes(roots: Iterable[str], uids: Collection[int], seen: set[tuple[int, int]]) -> int:
    """What files deleted from beneath ``roots`` and still held open by a process of a user of ``uids``
    hold on disk, each once (``seen``). The deleted file's last path (``/proc/<pid>/fd``) says
    whose it was: a sandboxed process can move a file only within the folders it may write."""
    prefixes = tuple(os.path.join(r, "") for r in roots)
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        proc = f"/proc/{name}"
        try:
            if os.stat(proc).st_uid not in uids:
                continue
            fds = os.listdir(f"{proc}/fd")
        except OSError:
            continue
        for fd in fds:
            link = f"{proc}/fd/{fd}"
            try:
                if not os.readlink(link).startswith(prefixes):
                    continue
                found = os.stat(link)
            except OSError:
                continue
            key = (found.st_dev, found.st_ino)
            if found.st_nlink == 0 and key not in seen:
                seen.add(key)
                total += max(found.st_blocks * 512, ENTRY_BYTES)
    return total


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
        used = self.used_bytes()
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
        while not self._done.is_set():
            over = self.check()
            self._done.wait(RESTOP_S if over else POLL_S)

    def stop(self) -> None:
        """End the watch (the grading is over); one last measure first."""
        if self._thread is None:
            return
        self._done.set()
        self._thread.join()
        self._thread = None
        self.check()
