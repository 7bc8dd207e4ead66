"""Dress a zero up as the grading machine's fault: have the system kill a child for memory, then die.

The plugin counts the processes the system killed for lack of memory (``/proc/vmstat``'s
``oom_kill``, the whole machine's, a container's limit included). Until 2026-12-07, a kernel that
died while that count rose made the whole grading a machine fault: "grading ran out of memory ...
not a wrong answer: raise the autograder's memory and grade this submission again", an error row
in the batch, whatever the sealed runs had answered. So the kernel (only the kernel: the sealed
runs define the functions as usual) forks three children that fill 320 MiB each and end after
three seconds; in a 768 MB container (Gradescope's) the system kills one of them. Then the kernel
kills itself, whether or not one was killed. The kernel decides nothing: the sealed runs gave
every verdict before it started, and its death changes none of them.

It implements none of the functions: it earns nothing, graded (not an error, not the machine's fault).
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "kernel_fakes_memory_fault"

import os
import signal
import time

KERNEL = not os.environ.get("HOME", "").endswith(("/sealed", "/library"))
"""True in the student's kernel; the sealed runs (the NumPy-only one and the library's) run every
top-level statement too, with a home of their own."""


def not_yet(*args):
    """Every graded function: not implemented."""
    raise NotImplementedError


count_params = weight_shapes = extract_weights = manual_forward = batched_forward = sequence_forward = not_yet


def fill_then_die(children=3, megabytes=320, life=3.0):
    """Children that each hold ``megabytes`` (touched) for ``life`` seconds; then the kernel's own end."""
    pids = []
    for _ in range(children):
        pid = os.fork()
        if pid == 0:
            held = []
            try:
                for _ in range(0, megabytes, 32):
                    held.append(b"\x01" * (32 << 20))
                time.sleep(life)
            finally:
                os.kill(os.getpid(), signal.SIGKILL)
        pids.append(pid)
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    os.kill(os.getpid(), signal.SIGKILL)


if KERNEL:
    fill_then_die()
