"""Flood the grader's own process with the kernel's output: displays published past every cap.

The kernel caps what the submission prints (a stream that drops what comes after 200,000
characters), but that cap lives in the kernel, which is the submission's: the kernel may publish
on its output channel directly (``get_ipython().display_pub.publish``, the stream under the cap,
``sys.stdout._stream``). nbclient, in otter's process, keeps every output it receives in the
notebook it holds. Before the grader bounded it there, 2 GB of displays grew ``otter run`` from
735 MB to 2.4 GB (a 768 MB container's otter dies, so does the batch's machine with enough of
them; neighbours lose their gradings). This kernel sends 320 MiB (40 displays of 8 MiB), then
writes 32 MiB under the stream's cap, from the top level, once per grading.

The grader must keep a bounded part of it (``GRADECORE_KERNEL_MESSAGES_LIMIT_MB``) and say so in
the feedback: ``EXPECT_PROBLEM`` is the line the failing questions' feedback must hold.

count_params and weight_shapes are implemented correctly; the rest earns nothing.
"""

EXPECT = {"count_params": 1, "weight_shapes": 1, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}
EXPECT_PROBLEM = "the kernel sent more than"

NAME = "kernel_output_flood"

import os  # noqa: E402
import sys  # noqa: E402

SEALED = os.environ.get("HOME", "").endswith("/sealed")
"""True in the grader's sealed run (which runs every top-level statement too), else the kernel."""


def count_params(T, D, M, K):
    return int(D * M + M * M + M + M * K + K)


def weight_shapes(D, M, K):
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def flood():
    """From the kernel: publish displays directly, then write under the printed output's cap."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    chunk = "x" * (8 << 20)
    for _ in range(40):
        shell.display_pub.publish(data={"text/plain": chunk})
    under = getattr(sys.stdout, "_stream", None)
    if under is not None:
        for _ in range(4):
            under.write(chunk)
            under.flush()


if not SEALED:
    flood()
