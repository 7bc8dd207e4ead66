"""Attacks on the disk bound (:class:`gradecore.host.disk.DiskWatch`): disk a sandboxed process holds
that the watch does not count.

The watch walks the folders the sandbox may write and adds the files deleted from them that a
process of the sandbox's user still holds open, as listed in ``/proc/<pid>/fd``. A file is also
kept alive by a memory mapping (``mmap(2)`` then ``close``: it is in ``/proc/<pid>/maps``, not in
``fd``), by a descriptor in flight in a Unix socket (``SCM_RIGHTS`` sent, never received, then
closed: it is in no process's ``fd`` at all); and a file that is not deleted at all escapes
the walk where its folder's path is longer than ``PATH_MAX`` (folders nested from within, each
``mkdir`` and ``chdir`` relative: ``scandir`` of the full path fails with ``ENAMETOOLONG`` and the
walk skips it). A filler that repeats either holds as much disk as it
likes, each file within ``RLIMIT_FSIZE``, while the watch reads almost nothing: a neighbour on the
same file system runs out of space, and the grading is never stopped.

Each test runs the filler in the kernel's real confinement (Landlock, seccomp, its user, its file
limit) under a disk limit of 50 MiB (the setting), watched by the grading's own watch
(:meth:`gradecore.host.grading_sandbox.Sandbox.watch_disk`), and again in a sealed run's confinement
(where each untrusted process has a user of its own, a file held by a sealed run's user must count
too, not only the kernel's): it writes 20 files of 5 MiB (each within the
file limit, an eighth of 50 MiB), hides each, and must be stopped before it holds 100 MiB. All of it
lives beneath the test's tmp_path, and the filler is ended at the end.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gradecore.sandbox import landlock
from tests.unit.host.test_disk import LIMIT_MB, box, confined, watched  # noqa: F401 (the fixture: a sandbox of 50 MiB)

FILES = 20
FILE_MB = 5

FILLER = """
import ctypes, json, os, socket, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
home, hide, files, size = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) << 20
keep = []
try:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
except OSError as e:
    if hide == "in_flight":
        print("refused", e, flush=True)  # no Unix sockets: the route is shut
        sys.exit(0)
if hide == "deep":  # folders nested past PATH_MAX (4096), made one at a time from within
    os.chdir(home)
    for level in range(20):
        os.mkdir("d" * 250)
        os.chdir("d" * 250)
    home = "."
for n in range(files):
    path = os.path.join(home, f"fill-{n}.bin")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.write(fd, b"z" * size); os.fsync(fd)
    if hide == "mmap":  # libc's mmap: Python's keeps a duplicate of the descriptor
        keep.append(libc.mmap(None, size, 1, 1, fd, 0))  # PROT_READ, MAP_SHARED
    elif hide == "in_flight":  # sent on one end, never received
        try:
            socket.send_fds(left, [b"f"], [fd])
        except OSError as e:
            print("refused", e, flush=True)  # no sendmsg: the route is shut
            sys.exit(0)
    elif hide == "open":  # simply held open (the watch reads it in /proc/<pid>/fd)
        keep.append(os.dup(fd))
    os.close(fd)
    if hide != "deep":  # a deep file stays: its path is too long for the watch to reach it
        os.unlink(path)
    time.sleep(0.05)
print("held", files * size >> 20, "MiB", flush=True)
time.sleep(3)
print("never stopped", flush=True)
"""


@pytest.mark.skipif(landlock.abi() < 1, reason="needs Landlock, as on these machines")
@pytest.mark.parametrize("role,hide", [("kernel", "mmap"), ("kernel", "in_flight"), ("sealed", "open"),
                                       ("sealed", "mmap"), ("sealed", "in_flight"), ("library", "open"), ("kernel", "deep"),
                                       ("sealed", "deep")])
def test_a_confined_filler_that_hides_its_files_is_stopped(box, tmp_path, role, hide):  # noqa: F811
    """The kernel's confinement, or a sealed run's (the NumPy-only run's, the library's): where
    each untrusted process has a user of its own, the watch must count the files deleted but
    held open by every one of them, not only by the kernel's user."""
    runner = confined(FILLER)
    submission, watch = watched(box, tmp_path)
    if role == "kernel":
        policy, home = box.kernel_policy(str(submission)), box.kernel_home
    else:
        policy = box.sealed_policy(library=role == "library")
        home = policy.write[0]
    filler = subprocess.Popen([sys.executable, "-I", "-c", runner, json.dumps(policy.to_json()), home, hide,
                               str(FILES), str(FILE_MB)], stdout=subprocess.PIPE, text=True, cwd=home,
                              start_new_session=True)
    try:
        out, _ = filler.communicate(timeout=60)
    finally:
        filler.kill()
        filler.wait()
        watch.stop()
    if out.startswith("refused"):
        return
    assert "never stopped" not in out and watch.exceeded.is_set(), (
        f"{role}, {hide}: the confined filler said {out.strip()!r}; the watch's peak was {watch.peak_bytes >> 20} MiB "
        f"for a limit of {LIMIT_MB} MiB")
