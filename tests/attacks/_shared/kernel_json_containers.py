"""Flood otter's own process with the kernel's displays made of empty JSON containers.

The grader bounds what the kernel sends in otter's process (``GRADECORE_KERNEL_MESSAGES_LIMIT_MB``)
by counting each message's text and bytes. Until 2026-12-08 a container counted as nothing: a
display of ``[[], [], ...]`` passed for 0 bytes, and nbclient kept every one of them, about 72 bytes
of Python objects for the 4 bytes of JSON of each empty list (attack7, held out: 8 displays of 2
million empty lists grew ``otter run`` from 147 to 1774 MiB and took 204 s instead of 26). This
kernel sends 6 displays of 600,000 empty lists (2.4 MB of JSON each), then one of 2.1 million empty
dicts, more JSON values than any message may hold, from the top level, once per grading.

The grader must count each container at what Python takes for it, leave the last message
undecoded, and say that it dropped output: ``EXPECT_PROBLEM``.
"""

EXPECT_PROBLEM = "the kernel sent more than"

import os  # noqa: E402

SEALED = os.path.basename(os.environ.get("HOME", "").rstrip("/")).startswith(("sealed", "library"))
"""True in the grader's sealed runs (which run every top-level statement too), else the kernel."""

if not SEALED:
    shell = get_ipython()  # noqa: F821 - the kernel's shell
    for _ in range(6):
        shell.display_pub.publish({"application/json": [[]] * 600_000, "text/plain": ""}, metadata={})
    shell.display_pub.publish({"application/json": [{}] * 2_100_000, "text/plain": ""}, metadata={})
