"""Messages as data between the grading's processes, framed by :mod:`gradecore.protocol.frames`.

Only JSON and NumPy's ``.npy`` format (with pickles refused) cross the wire: the kernel runs
student code and is untrusted, so nothing it sends may execute code in the judge.
"""

from __future__ import annotations

import io
import json
from typing import Any, BinaryIO

import numpy as np

from . import frames
from .frames import MAX_MESSAGE_BYTES

MAX_JSON_VALUES = 2_000_000
"""The most values (containers, and the items a comma parts) one message's JSON may hold. A
question's answers hold a few thousand; ``json.loads`` makes a Python object of each, up to 80
bytes for the 3 bytes of ``[],`` or ``{},``, so the 256 MiB a message may weigh would be 7 GB of
objects in the reader: a sealed run that sent its answers so (attack7's ``sealed_json_amplify.py``)
grew otter's process from 147 to 785 MiB with 12 MB a question, kept until the judge decides them,
and the judge's too. At this bound a message's objects take at most about 80 MB."""


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


_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def _array(blob: bytes) -> np.ndarray:
    """The array of one ``.npy`` part, whose header must describe exactly the bytes that follow it.

    NumPy allocates the array its header describes before it reads a byte of it: a header of a
    few bytes from a sandboxed process that claimed 2**40 floats raised MemoryError in the
    plugin's reader (a trusted thread, which nothing caught). The header is read first and
    its size checked against the bytes the part holds.
    """
    stream = io.BytesIO(blob)
    version = np.lib.format.read_magic(stream)
    if version not in _HEADER_READERS:
        raise ValueError(f"an .npy of version {version}")
    shape, _, dtype = _HEADER_READERS[version](stream)
    count = 1
    for size in shape:
        count *= size
    if dtype.hasobject or count * dtype.itemsize != len(blob) - stream.tell():
        raise ValueError("an .npy whose header does not describe its bytes")
    stream.seek(0)
    return np.lib.format.read_array(stream, allow_pickle=False)


def _decode(obj: Any, blobs: list[bytes]) -> Any:
    if isinstance(obj, dict):
        if set(obj) == {"__ndarray__"}:
            return _array(blobs[obj["__ndarray__"]])
        return {k: _decode(v, blobs) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v, blobs) for v in obj]
    return obj


def send(stream: BinaryIO, message: Any) -> None:
    """Write one message (:mod:`gradecore.protocol.frames`): a JSON header naming its arrays, then each
    array as ``.npy`` bytes."""
    blobs: list[bytes] = []
    header = json.dumps(_encode(message, blobs)).encode()
    frames.write(stream, [header, *blobs])


def json_values(text: bytes | bytearray | memoryview) -> int:
    """At least how many values a JSON text holds but one: its opening brackets and braces and its
    commas (counted in strings too, so never fewer than there are). The bytes' own ``count``: no
    parsing, so it costs a reader nothing it would not spend reading them."""
    data = bytes(text) if isinstance(text, memoryview) else text
    return data.count(b"[") + data.count(b"{") + data.count(b",")


def decode(parts: list[bytes]) -> Any:
    """The message that a frame's ``parts`` (:func:`gradecore.protocol.frames.parse`) hold. Whatever is
    wrong with them (they may come from a sandboxed process) raises ValueError: an array index
    out of range or not a number, a cut ``.npy`` or one whose header claims more than it holds,
    JSON nested beyond the interpreter's depth, JSON of more than :data:`MAX_JSON_VALUES` values."""
    if not parts:
        raise ValueError("empty message")
    if json_values(parts[0]) > MAX_JSON_VALUES:
        raise ValueError(f"a message of more than {MAX_JSON_VALUES} JSON values")
    try:
        return _decode(json.loads(parts[0]), parts[1:])
    except (IndexError, TypeError, KeyError, RecursionError, EOFError, OSError, MemoryError) as e:
        raise ValueError(f"a malformed message: {type(e).__name__}") from None


def recv(stream: BinaryIO, limit: int = MAX_MESSAGE_BYTES) -> Any:
    """Read one message written by :func:`send`."""
    return decode(frames.read(stream, limit))


def parse(buffer: bytes | bytearray, limit: int = MAX_MESSAGE_BYTES) -> tuple[Any, int] | None:
    """One message from the front of ``buffer`` and the bytes it took, or None while it is
    incomplete (for readers that wait with a deadline)."""
    found = frames.parse(buffer, limit)
    if found is None:
        return None
    parts, used = found
    return decode(parts), used
