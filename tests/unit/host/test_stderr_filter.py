"""TensorFlow's start-up chatter is kept off the terminal; everything else still reaches it."""

from __future__ import annotations

import os

from gradecore.host.stderr_filter import filtered_stderr, keep

CHATTER = [
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n",
    b"I0000 00:00:1795447846.146592    4116 port.cc:153] oneDNN custom operations are on. You may see ...\n",
    b"I0000 00:00:1795447847.891866    4118 cpu_feature_guard.cc:227] This TensorFlow binary is optimized ...\n",
    b"WARNING:tensorflow:5 out of the last 5 calls to <function f at 0x7f> triggered tf.function retracing. ...\n",
    b"[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All communication ...\n",
]


def test_known_chatter_is_dropped_and_other_lines_kept():
    assert not any(keep(line) for line in CHATTER)
    for line in (b"Segmentation fault (core dumped)\n", b"Traceback (most recent call last):\n", b"MemoryError\n"):
        assert keep(line)


def test_filtered_stderr_passes_on_what_is_not_chatter(capfd):
    with filtered_stderr():
        for line in CHATTER:
            os.write(2, line)
        os.write(2, b"a real problem\n")
    assert capfd.readouterr().err == "a real problem\n"
