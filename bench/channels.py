"""What is left of the channels from a sealed run to the kernel that follows it: bits per grading.

    .venv/bin/python bench/channels.py            # about a minute; as root, on the build machine

A sealed run holds hidden inputs; the kernel after it reaches ``results.json``. Files they both
read (Python, its site-packages, the system's libraries) are shared, and two traces of a read
outlive the reader there: the file's access time (``relatime``: set on a read where it is older
than the file's last change, or a day old) and its pages in the page cache. This sends a random
message of ``--bits`` bits from a process confined as the NumPy-only sealed run (it reads file
``i`` where bit ``i`` is 1) to one confined as the kernel, started after it (it looks at each
file), and counts the bits that arrive:

1. access times, with the sealed run's confinement as this machine gives it (here, as root: a
   mount namespace where all but its folder is read-only, so no read sets a time);
2. access times, where no namespace can be had (Docker's seccomp profile refuses ``unshare``,
   as on Gradescope): the same process with ``unshare`` refused first;
3. the page cache, by timing the first read of each file (``mincore`` and ``cachestat`` are
   refused to both, ``fadvise`` and ``readahead`` to the sealed run): the harness evicts the
   files first, as days of other work would, and the kernel calls a file read where its first
   read is faster than the median.

Then it counts the files a sealed run may read whose access time a read would set now (the
upper bound of channel 2 per day) and prints each figure. Nothing here asserts a figure.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "autograder"))

from gradecore.host import grading_sandbox, traces  # noqa: E402
from gradecore.sandbox import confine  # noqa: E402
from gradecore.sandbox.sealed import FORBIDDEN  # noqa: E402

DAY_NS = 24 * 3600 * 10**9

CONFINED = """
import json, sys
sys.path.insert(0, {core!r})
{before}
from gradecore.sandbox import confine
report = confine.apply(confine.Policy.from_json(json.loads(sys.argv[1])))
files = json.loads(sys.argv[2])
"""

SEND = """
for path, bit in zip(files, json.loads(sys.argv[3])):
    if bit:
        with open(path, "rb") as f:
            f.read(1)
print(json.dumps(report))
"""

RECEIVE_TIMES = """
import os
print(json.dumps([os.stat(path).st_atime_ns for path in files]))
"""

RECEIVE_TIMING = """
import os, time
took = []
for path in files:
    fd = os.open(path, os.O_RDONLY)
    started = time.perf_counter_ns()
    os.pread(fd, 1, 0)
    took.append(time.perf_counter_ns() - started)
    os.close(fd)
print(json.dumps(took))
"""

REFUSE_UNSHARE = """
import errno, pyseccomp
docker = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
docker.add_rule(pyseccomp.ERRNO(errno.EPERM), "unshare")
docker.load()
"""


def confined(policy: confine.Policy, body: str, files: list[str], bits: list[int] = (), before: str = "") -> str:
    code = CONFINED.format(core=str(ROOT / "autograder"), before=before) + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-I", "-c", code, json.dumps(policy.to_json()), json.dumps(files),
                           json.dumps(list(bits))], capture_output=True, text=True, timeout=120, cwd="/")
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return done.stdout.strip().splitlines()[-1]


def candidates(count: int) -> list[str]:
    """Files a NumPy-only sealed run may read, larger than a page, from packages no grading
    imports (so that their pages are cold and their times old): the sender's alphabet."""
    read, _ = confine.python_access(FORBIDDEN)
    found = []
    for top in read:
        if "site-packages" not in top or any(name in top for name in ("numpy", "gradecore", "otter", "IPython")):
            continue
        for folder, _, names in os.walk(top):
            for name in names:
                path = os.path.join(folder, name)
                if name.endswith(".py") and os.path.getsize(path) > 16384:
                    found.append(path)
    found.sort()
    return found[:count]


def settable_now(read: list[str]) -> tuple[int, int]:
    """Of the files under ``read``, how many there are and how many a read would set the access
    time of now (``relatime``): the bound of the access-time channel, per day."""
    now, total, settable = time.time_ns(), 0, 0
    for top in read:
        for folder, _, names in os.walk(top):
            for name in names:
                try:
                    info = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                total += 1
                if info.st_atime_ns <= max(info.st_mtime_ns, info.st_ctime_ns) or now - info.st_atime_ns > DAY_NS:
                    settable += 1
    return total, settable


def age_times(files: list[str]) -> None:
    """Make each file's access time older than its last change, as a read would then set it."""
    for path in files:
        info = os.stat(path)
        os.utime(path, ns=(info.st_mtime_ns - 10**9, info.st_mtime_ns))


def evict(files: list[str]) -> None:
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--bits", type=int, default=128)
    args = parser.parse_args()
    files = candidates(args.bits)
    box = grading_sandbox.Sandbox(prefix="gradecore-channels-")
    work = Path(tempfile.mkdtemp(prefix="gradecore-channels-"))
    box.own(str(work))  # the submission's folder is the kernel's
    try:
        sender, receiver = box.sealed_policy(str(work)), box.kernel_policy(str(work))
        saved = {path: (os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns) for path in files}
        print(f"{len(files)} files, one bit each; {'root' if os.geteuid() == 0 else 'an ordinary user'}; "
              f"{confine.available()['apart']}")
        for name, before in (("access times, the sealed run's confinement here", ""),
                             ("access times, no namespace (unshare refused, as in Docker)", REFUSE_UNSHARE)):
            age_times(files)
            message = [secrets.randbelow(2) for _ in files]
            start = json.loads(confined(receiver, RECEIVE_TIMES, files))
            report = json.loads(confined(sender, SEND, files, message, before))
            after = json.loads(confined(receiver, RECEIVE_TIMES, files))
            got = [int(a != b) for a, b in zip(start, after)]
            right = sum(g == m for g, m in zip(got, message))
            print(f"{name}: apart={report['apart']!r}: {sum(got)} times set, {right}/{len(files)} bits right "
                  f"({right - len(files) // 2:+d} over guessing)")
        message = [secrets.randbelow(2) for _ in files]
        evict(files)
        confined(sender, SEND, files, message)
        took = json.loads(confined(receiver, RECEIVE_TIMING, files))
        cut = sorted(took)[len(took) // 2]
        got = [int(t < cut) for t in took]
        right = sum(g == m for g, m in zip(got, message))
        warm = [t for t, m in zip(took, message) if m]
        cold = [t for t, m in zip(took, message) if not m]
        print(f"page cache, timing first reads: {right}/{len(files)} bits right ({right - len(files) // 2:+d} over "
              f"guessing); median first read {sorted(warm)[len(warm) // 2] / 1000:.1f} us where read before, "
              f"{sorted(cold)[len(cold) // 2] / 1000:.1f} us where not")
        total, settable = settable_now(confine.python_access(FORBIDDEN)[0])
        print(f"files a NumPy-only sealed run may read: {total}; a read would set the access time of {settable} now")
    finally:
        for path, (atime, mtime) in saved.items():
            os.utime(path, ns=(atime, mtime))
        traces.remove_tree(str(work))
        box.remove()


if __name__ == "__main__":
    main()
