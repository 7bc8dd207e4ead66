"""Length-prefixed messages: the one framing of every channel between the grading's processes.

A message is a count of parts, then each part as its length and its bytes; every number is a
big-endian unsigned 32-bit integer (:data:`HEADER`). :mod:`gradecore.protocol.wire` fills the parts with
data (a JSON header and ``.npy`` arrays) between the judge, the plugin, the sealed runs and the
kernel side's children; the template's requests (:mod:`gradecore.host.forkserver_client`) are one part, JSON, sent
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
MAX_PARTS = 1 << 16
"""A message's parts: a JSON header and one ``.npy`` part per array (a question's answers are tens to
hundreds). A count of 2**32 - 1 empty parts fits in a few bytes a part; it is refused at its header,
before its parts cost a reader time or memory."""


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
        ValueError: the message is longer than ``limit`` bytes, or has more than :data:`MAX_PARTS`
            parts (nothing past its header is read).
    """
    count = _count(_read_exact(stream, HEADER.size), limit)
    parts, total = [], HEADER.size
    for _ in range(count):
        (size,) = HEADER.unpack(_read_exact(stream, HEADER.size))
        total += HEADER.size + size
        if total > limit:
            raise ValueError("message too large")
        parts.append(_read_exact(stream, size))
    return parts


def _count(buffer: bytes | bytearray, limit: int) -> int:
    (count,) = HEADER.unpack_from(buffer, 0)
    if count > MAX_PARTS or HEADER.size * (count + 1) > limit:
        raise ValueError(f"message too large ({count} parts)")
    return count


def parse(buffer: bytes | bytearray, limit: int = MAX_MESSAGE_BYTES) -> tuple[list[bytes], int] | None:
    """The parts of the message at the front of ``buffer`` and the bytes it took, or None while it
    is incomplete (for readers that wait with a deadline). A reader that calls it again as bytes
    arrive uses a :class:`Parser`, which walks each header once.

    Raises:
        ValueError: the message is longer than ``limit`` bytes, or has more than :data:`MAX_PARTS`
            parts, as soon as a header says so.
    """
    return Parser(limit).parse(buffer)


class Parser:
    """:func:`parse` for a reader whose buffer only grows between two calls, until the message found is
    taken off its front: each call goes on from the header where the last one stopped, so a message
    that arrives in many pieces costs its headers once (walking them all again at each piece took a
    core for the 30 s of a sealed run's deadline with a message of many empty parts)."""

    def __init__(self, limit: int = MAX_MESSAGE_BYTES):
        self.limit = limit
        self._restart()

    def _restart(self) -> None:
        self.count: int | None = None
        self.at = HEADER.size
        self.spans: list[tuple[int, int]] = []

    def parse(self, buffer: bytes | bytearray) -> tuple[list[bytes], int] | None:
        """The message at the front of ``buffer`` and the bytes it took (the caller takes them off), or
        None while it is incomplete; see :func:`parse`."""
        if self.count is None:
            if len(buffer) < HEADER.size:
                return None
            self.count = _count(buffer, self.limit)
        while len(self.spans) < self.count:
            if len(buffer) < self.at + HEADER.size:
                return None
            (size,) = HEADER.unpack_from(buffer, self.at)
            start = self.at + HEADER.size
            if start + size > self.limit:
                self._restart()
                raise ValueError("message too large")
            if len(buffer) < start + size:
                return None
            self.spans.append((start, size))
            self.at = start + size
        found = [bytes(buffer[start:start + size]) for start, size in self.spans], self.at
        self._restart()
        return found
