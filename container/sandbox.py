"""Run the sandbox's own tests in a container: Docker's default seccomp profile and capabilities,
the setting of Gradescope and ``otter grade``, which the host's test suite never sees.

The tests (:data:`TESTS`) start real confined processes: a sandboxed process runs niced, as a
batch task, and cannot climb back (``RLIMIT_NICE``); it cannot act on another process's limits,
priorities or placement (``prlimit64``, ``setpriority``, ``sched_setaffinity`` by pid: a
neighbouring grading's); each untrusted process of a grading has a user of its own and leaves no
trace for the next; a filler is stopped at the grading's disk limit with a message that names it,
files it deleted but still holds (open, mapped) included, and a batch grades a filler's
neighbours as if it were absent (:data:`AS_ROOT`). Inside Docker, root has no
``CAP_SYS_PTRACE`` and ``unshare`` is refused: the disk watch once read none of the sandbox's
held files there (fixed: ``gradecore.host.disk``), which no test on the host could show.

They run as the container's root, then as an ordinary user, with this checkout and its venv's
interpreter mounted read-only at the same paths, in the base image (Debian bookworm, the host's
Debian). Their temporary folders are the container's, thrown away with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

TESTS = ("tests/unit/sandbox/test_apart.py", "tests/unit/host/test_disk.py", "tests/attacks/test_disk_evasion.py")
"""The sandbox's defences between processes and gradings, and the disk bound (no TensorFlow, no otter)."""

AS_ROOT = ("tests/integration/test_disk.py",)
"""A batch of a filler and its neighbours (``rnn-shapes grade --jobs 2``, a build of its own): the
filler stopped at the disk limit with a message that names it, the neighbours graded as if it were
absent, the disk as it was. Minutes (a build and three gradings): as root only."""

ORDINARY_USER = 1000
"""The container's ordinary user, for ``rnn-shapes grade`` run by one inside Docker."""


def _mounts() -> list[str]:
    """This checkout, and the prefix of the interpreter its venv runs (pyenv's, here), read-only at
    the same paths. A system Python (``/usr``) is the base image's own."""
    mounts = ["-v", f"{ROOT}:{ROOT}:ro"]
    prefix = Path(sys.base_prefix)
    if not str(prefix).startswith("/usr"):
        mounts += ["-v", f"{prefix}:{prefix}:ro"]
    return mounts


def run_tests(image: str, user: str, timeout: float, tests: tuple[str, ...] = TESTS) -> tuple[bool, str, float]:
    """Run ``tests`` with pytest in a fresh container of ``image``, as ``root`` or an ordinary user.

    Returns:
        Whether pytest passed, its output, and the seconds it took.
    """
    python = Path(sys.executable)
    python = python if python.is_relative_to(ROOT) else Path(sys.prefix) / "bin" / "python"
    pytest = f"{python} -m pytest -p no:cacheprovider -q -rs {' '.join(tests)}"
    # the venv's interpreter lies beneath /root (pyenv): the sandbox's users pass through it, as on the host
    as_user = "" if user == "root" else f"setpriv --reuid {ORDINARY_USER} --regid {ORDINARY_USER} --clear-groups "
    command = f"chmod 0711 /root && cd {ROOT} && exec {as_user}{pytest}"
    name = f"rnn-shapes-sandbox-tests-{os.getpid()}-{user}"
    start = time.monotonic()
    try:
        done = subprocess.run(["docker", "run", "--rm", "--name", name, "--network", "none", *_mounts(),
                               "-e", "PYTHONDONTWRITEBYTECODE=1", "-e", "HOME=/tmp", image, "bash", "-c", command],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        # the docker client is killed, not its container
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        said = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout or ""
        return False, f"{said}\ntimed out after {timeout:.0f} s", time.monotonic() - start
    return done.returncode == 0, done.stdout + done.stderr, time.monotonic() - start


STAGE_TIMEOUT_S = 3600
"""Seconds for each run: a build and a batch take minutes (496 s at load 8 to 23, over 900 s at 21 to 26)."""


def check_sandbox(image: str, timeout: float = STAGE_TIMEOUT_S, verbose: bool = False) -> bool:
    """Run :data:`TESTS` in a container as root and as an ordinary user; print each one's summary.

    Args:
        image: an image with the host's Debian (the base image).
        timeout: seconds per run (:data:`STAGE_TIMEOUT_S`).
        verbose: print pytest's whole output, not only a failing run's.

    Returns:
        Whether both runs passed.
    """
    print(f"\n== the sandbox's tests in {image}, Docker's default seccomp profile and capabilities")
    ok_all = True
    for user, tests in (("root", TESTS + AS_ROOT), ("user", TESTS)):
        ok, output, seconds = run_tests(image, user, timeout, tests)
        ok_all &= ok
        lines = output.strip().splitlines()
        summary = lines[-1] if lines else "(no output)"
        print(f"   {'ok  ' if ok else 'FAIL'} as {user}: {summary} ({seconds:.0f} s)", flush=True)
        for line in lines:
            if line.startswith(("SKIPPED", "FAILED", "ERROR")):
                print(f"        {line[:300]}")
        if verbose or not ok:
            print("       | " + "\n       | ".join(lines[-80:]))
    return ok_all
