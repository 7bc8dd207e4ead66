"""Length-prefixed messages: the one framing of every channel between the grading's processes.

A message is a count of parts, then each part as its length and its bytes; every number is a
big-endian unsigned 32-bit integer (:data:`HEADER`). :mod:`gradecore.protocol.wire` fills the parts with
data (a JSON header and ``.npy`` arrays) between the judge, the plugin, the sealed runs and the
kernel side's children; the template's requests (:mod:`gradecore.host.template`) are one part, JSON, sent
with the file descriptors they hand over. The standard library only: the kernel's launcher imports
it, and the sandboxed processes import a copy of it.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

HEADER = struct.Struct("!I")
MAX_MESSAGE_BYTES = 256 * 2**20
"""A message's bytes, its headers included: a student's answers for one question are a few
kilobytes, and anything bigger than this is refused before it is read."""


def write(stream: BinaryIO, parts: list[bytes]) -> None:
    """Write one message of ``parts`` and flush it."""
    stream.write(HEADER.pack(len(parts)))
    for part in parts:
        stream.write(HEADER.pack(len(part)))
        stream.write(part)
    stream.flush()


def pack(parts: list[bytes]) -> bytes:
    """One message of ``parts``, as bytes (for a socket's ``sendmsg``)."""
    return b"".join([HEADER.pack(len(parts)), *(HEADER.pack(len(part)) + part for part in parts)])


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError("the other side closed the connection")
        data += chunk
    return data


def read(stream: BinaryIO, limit: int = MAX_MESSAGE_BYTES) -> list[bytes]:
    """The parts of the next message on ``stream``, waiting for them as long as it takes.

    Raises:
        EOFError: the stream ended first.
        ValueError: the message is longer than ``limit`` bytes (nothing past its header is read).
    """
    (count,) = HEADER.unpack(_read_exact(stream, HEADER.size))
    parts, total = [], HEADER.size
    for _ in range(count):
        (size,) = HEADER.unpack(_read_exact(stream, HEADER.size))
        total += HEADER.size + size
        if total > limit:
            raise ValueError("message too large")
        parts.append(_read_exact(stream, size))
    return parts


def parse(buffer: bytes | bytearray, limit: int = MAX_MESSAGE_BYTES) -> tuple[list[bytes], int] | None:
    """The parts of the message at the front of ``buffer`` and the bytes it took, or None while it
    is incomplete (for readers that wait with a deadline).

    Raises:
        ValueError: the message is longer than ``limit`` bytes, as soon as a header says so.
    """
    if len(buffer) < HEADER.size:
        return None
    (count,) = HEADER.unpack_from(buffer, 0)
    at, spans = HEADER.size, []
    for _ in range(count):
        if len(buffer) < at + HEADER.size:
            return None
        (size,) = HEADER.unpack_from(buffer, at)
        at += HEADER.size
        if at + size > limit:
            raise ValueError("message too large")
        if len(buffer) < at + size:
            return None
        spans.append((at, size))
        at += size
    return [bytes(buffer[start:start + size]) for start, size in spans], at
