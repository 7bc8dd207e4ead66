"""Framed messages between the student's kernel and the judge.

Only JSON and NumPy's ``.npy`` format (with pickles refused) cross the wire: the kernel runs
student code and is untrusted, so nothing it sends may execute code in the judge.
"""

from __future__ import annotations

import io
import json
import struct
from typing import Any, BinaryIO

import numpy as np

_HEADER = struct.Struct("!I")
MAX_MESSAGE_BYTES = 256 * 2**20
"""A student's answers for one question are a few kilobytes; anything bigger is refused."""


def _encode(obj: Any, blobs: list[bytes]) -> Any:
    if isinstance(obj, np.ndarray):
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.ascontiguousarray(obj), allow_pickle=False)
        blobs.append(buf.getvalue())
        return {"__ndarray__": len(blobs) - 1}
    if isinstance(obj, dict):
        return {str(k): _encode(v, blobs) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(v, blobs) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def _decode(obj: Any, blobs: list[bytes]) -> Any:
    if isinstance(obj, dict):
        if set(obj) == {"__ndarray__"}:
            return np.lib.format.read_array(io.BytesIO(blobs[obj["__ndarray__"]]), allow_pickle=False)
        return {k: _decode(v, blobs) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v, blobs) for v in obj]
    return obj


def send(stream: BinaryIO, message: Any) -> None:
    """Write one message: a JSON header naming its arrays, then each array as ``.npy`` bytes."""
    blobs: list[bytes] = []
    header = json.dumps(_encode(message, blobs)).encode()
    parts = [header, *blobs]
    stream.write(_HEADER.pack(len(parts)))
    for part in parts:
        stream.write(_HEADER.pack(len(part)))
        stream.write(part)
    stream.flush()


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError("the other side closed the connection")
        data += chunk
    return data


def recv(stream: BinaryIO) -> Any:
    """Read one message written by :func:`send`."""
    (count,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    parts, total = [], 0
    for _ in range(count):
        (size,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
        total += size
        if total > MAX_MESSAGE_BYTES:
            raise ValueError("message too large")
        parts.append(_read_exact(stream, size))
    if not parts:
        raise ValueError("empty message")
    return _decode(json.loads(parts[0]), parts[1:])


def parse(buffer: bytes | bytearray) -> tuple[Any, int] | None:
    """One message from the front of ``buffer`` and the bytes it took, or None while it is
    incomplete (for readers that wait with a deadline)."""
    if len(buffer) < _HEADER.size:
        return None
    (count,) = _HEADER.unpack_from(buffer, 0)
    at, parts, total = _HEADER.size, [], 0
    for _ in range(count):
        if len(buffer) < at + _HEADER.size:
            return None
        (size,) = _HEADER.unpack_from(buffer, at)
        total += size
        if total > MAX_MESSAGE_BYTES:
            raise ValueError("message too large")
        at += _HEADER.size
        if len(buffer) < at + size:
            return None
        parts.append(bytes(buffer[at:at + size]))
        at += size
    if not parts:
        raise ValueError("empty message")
    return _decode(json.loads(parts[0]), parts[1:]), at
