"""Crash the plugin's reader with an ``.npy`` header that claims 8 TiB, written on the protocol pipe.

The sealed run answers on a pipe it holds (a duplicate of its first standard output), in frames of
JSON and ``.npy`` parts. NumPy allocates the array an ``.npy`` header describes before it reads a
byte of it, so a header of 80 bytes that claims 2**40 floats raised MemoryError in the plugin's
reader, a trusted thread, which caught only ValueError and OSError: the thread died with a
traceback on otter's standard error, and the library's sealed run never started. The top level of
the sealed run finds the pipe in ``/proc/self/fd`` and writes such a frame.

A malformed frame must be a malformed frame (the run's answers end there), never an exception
in the grader. It earns nothing either way: its run's answers end at the frame.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "sealed_npy_header_bomb"

import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import stat  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402


def count_params(T, D, M, K):
    return int(D * M + M * M + M + M * K + K)


def frame(parts):
    """One frame of ``gradecore.protocol.frames``: a count of parts, then each with its length."""
    return struct.pack("!I", len(parts)) + b"".join(struct.pack("!I", len(p)) + p for p in parts)


def bomb():
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (2**40,)})
    data = frame([json.dumps({"at": {"__ndarray__": 0}}).encode(), header.getvalue()])
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, data)
        except OSError:
            pass


if os.environ.get("HOME", "").endswith("/sealed"):
    bomb()
