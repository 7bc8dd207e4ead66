"""The one framing of the grading's channels (gradecore.protocol.frames): the judge's pipes, the sealed
runs' pipes, the kernel side's children and the template's requests all cut messages the same way."""

from __future__ import annotations

import io
import os
import socket
import threading

import numpy as np
import pytest

from gradecore.host import forkserver_client
from gradecore.kernel import calls as kernel
from gradecore.protocol import frames, wire


def test_a_message_read_whole_or_in_pieces_is_the_same():
    message = {"question": "q", "outcomes": [{"status": "returned", "value": np.arange(6.0).reshape(2, 3)}]}
    buf = io.BytesIO()
    wire.send(buf, message)
    data = buf.getvalue()
    assert frames.pack(frames.read(io.BytesIO(data))) == data
    for cut in range(len(data)):
        assert wire.parse(data[:cut]) is None, "an incomplete message is waited for"
    got, used = wire.parse(data + b"next")
    assert used == len(data) and got["question"] == "q"
    np.testing.assert_array_equal(got["outcomes"][0]["value"], message["outcomes"][0]["value"])
    with pytest.raises(EOFError):
        frames.read(io.BytesIO(data[:-1]))


def test_a_message_over_the_limit_is_refused_at_its_header():
    header = frames.pack([b"{}"])[: 2 * frames.HEADER.size]
    too_long = frames.HEADER.pack(1) + frames.HEADER.pack(frames.MAX_MESSAGE_BYTES)
    for read in (lambda: frames.parse(too_long), lambda: frames.read(io.BytesIO(too_long)),
                 lambda: frames.parse(header, limit=2 * frames.HEADER.size + 1)):
        with pytest.raises(ValueError, match="too large"):
            read()
    many_empty = frames.HEADER.pack(2**32 - 1) + frames.HEADER.pack(0) * 64
    with pytest.raises(ValueError, match="too large"):
        frames.parse(many_empty, limit=64)
    with pytest.raises(ValueError, match="empty"):
        wire.parse(frames.pack([]))


def test_a_message_of_too_many_parts_is_refused_at_its_header():
    """2**32 - 1 declared parts (or just past MAX_PARTS) fit well within the byte limit at 4 bytes each,
    and a reader that walked them would hold a core and a list as long: refused from the count alone."""
    for count in (frames.MAX_PARTS + 1, 2**32 - 1):
        header = frames.HEADER.pack(count) + frames.HEADER.pack(0) * 16
        for read in (frames.parse, lambda h: frames.read(io.BytesIO(h)), lambda h: frames.Parser().parse(bytearray(h))):
            with pytest.raises(ValueError, match="too large"):
                read(header)
    most = frames.pack([b""] * frames.MAX_PARTS)
    assert frames.parse(most) == ([b""] * frames.MAX_PARTS, len(most))


def test_a_parser_goes_on_where_it_stopped_and_starts_again_after_each_message():
    parts = [b"{}", b"x" * 10, b"", b"yz"]
    first, second = frames.pack(parts), frames.pack([b'{"a": 1}'])
    data = first + second
    ends = [frames.HEADER.size + sum(frames.HEADER.size + len(p) for p in parts[:k]) for k in range(1, len(parts))]
    parser, buffer, found = frames.Parser(), bytearray(), []
    for i, byte in enumerate(data):
        buffer.append(byte)
        message = parser.parse(buffer)
        if message is None:
            # what is whole of the message so far is kept, not walked again at the next byte
            assert len(parser.spans) == sum(1 for end in ends if i + 1 >= end) or len(found) == 1
            continue
        parts, used = message
        del buffer[:used]
        found.append(parts)
    assert found == [[b"{}", b"x" * 10, b"", b"yz"], [b'{"a": 1}']] and buffer == b""
    with pytest.raises(ValueError, match="too large"):
        frames.Parser(limit=20).parse(bytearray(first))


def test_a_kernel_child_answer_that_cannot_be_read_costs_its_own_call_only():
    unreadable = frames.pack([b"not json"])
    buffer = bytearray(unreadable + frames.pack([b'{"status": "returned"}']) + b"\0")
    assert kernel._read_frames(buffer) == ([kernel._UNREADABLE, {"status": "returned"}], True)
    assert buffer == b"\0"
    buffer = bytearray(frames.pack([b'{"status": "returned"}']) + frames.HEADER.pack(1) + frames.HEADER.pack(2**31))
    assert kernel._read_frames(buffer) == ([{"status": "returned"}, kernel._UNREADABLE], False)


def test_a_template_request_brings_its_descriptors_whatever_its_length():
    left, right = socket.socketpair()
    pipes = [os.pipe() for _ in range(2)]
    fds = [fd for pair in pipes for fd in pair]
    try:
        request = {"kind": "kernel", "args": ["-f", "x"], "env": {"BIG": "x" * (1 << 18)}}
        sender = threading.Thread(target=forkserver_client._request, args=(left, request, fds))
        sender.start()
        got, received = forkserver_client._receive(right)
        sender.join()
        assert got == request and len(received) == 4
        for fd in received:
            os.close(fd)
        left.sendall(frames.pack([b"{}"]))  # no descriptors: refused, nothing kept open
        with pytest.raises(ValueError, match="not a kernel request"):
            forkserver_client._receive(right)
    finally:
        for fd in fds:
            os.close(fd)
        left.close()
        right.close()


def _npy_header(shape: tuple, descr: str = "<f8") -> bytes:
    """The header of an ``.npy`` that claims ``shape``, with none of its bytes."""
    import io

    import numpy as np

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue()


@pytest.mark.parametrize("header, blobs", [
    (b'{"__ndarray__": 3}', []),                       # an array index out of range
    (b'{"__ndarray__": "zero"}', [b""]),               # an index that is not a number
    (b'[{"__ndarray__": 0}]', [b"\x93NUMPY\x01\x00"]),  # a .npy cut short
    (b"[" * 100_000 + b"]" * 100_000, []),             # nested beyond the interpreter's depth
    (b"not json", []),
    (b'{"__ndarray__": 0}', [_npy_header((2**40,))]),  # claims 8 TiB: MemoryError, were it allocated
    (b'{"__ndarray__": 0}', [_npy_header((3,)) + bytes(16)]),  # claims 24 bytes, holds 16
    (b'{"__ndarray__": 0}', [_npy_header((2,), "|O") + bytes(16)]),  # objects: pickles
])
def test_a_malformed_message_is_a_value_error_whatever_is_wrong(header, blobs):
    """What a sandboxed process sends may be anything: every reader of the wire catches
    ValueError for it, never a crash of the trusted side."""
    with pytest.raises(ValueError):
        wire.decode([header, *blobs])


def test_a_message_of_too_many_json_values_is_refused_before_it_is_decoded():
    # 3 bytes of "[]," made about 72 bytes of objects in the reader: a sealed run's answers of
    # 12 MB a question grew otter's process from 147 to 785 MiB (attack7, sealed_json_amplify.py)

    too_many = b'{"outcomes": [' + b"[]," * wire.MAX_JSON_VALUES + b"[]]}"
    with pytest.raises(ValueError, match="JSON values"):
        wire.decode([too_many])
    assert wire.json_values(too_many) > wire.MAX_JSON_VALUES
    # what a question's answers hold passes: thousands of values
    answers = {"question": "q", "outcomes": [{"status": "returned", "value": {"kind": "list", "type": "list",
               "value": [{"kind": "float", "type": "float", "value": 0.5}] * 5000}}] * 10}
    buffer = io.BytesIO()
    wire.send(buffer, answers)
    assert wire.recv(io.BytesIO(buffer.getvalue())) == answers
