"""The instructor's secret, what the judge derives from it, and the case ids it makes.

Every hidden case comes from the instructor's secret (32 random bytes, kept outside the
repository by :mod:`gradecore.cli.secret` and shipped in the autograder zip as
:data:`SECRET_FILE`, beside the grader):

- the **build's cases** (those of questions whose argument the library builds, such as the Keras
  model ``extract_weights`` is handed: nothing about them is secret) come from :func:`build_seed`,
  and their truths are computed by the build and shipped;
- every **grading** draws a new 48-bit nonce (:func:`new_nonce`, from :mod:`secrets`) and the
  cases of its data-argument questions come from :func:`grading_seed` of the secret and that
  nonce: what leaks from one grading tells nothing about the next one's cases.

A case id (:class:`CaseIds`) is the case's nonce and index, enciphered under the secret by a
small Feistel network whose rounds are HMAC-SHA256: 16 hex digits, a permutation of 64-bit
values, so the instructor's ``rnn-shapes case ID`` deciphers it back to its grading and case,
and a student, without the secret, learns nothing from it.

Only the trusted side imports this: the judge, the build and the instructor's commands.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from typing import Optional

SECRET_FILE = "secret.json"
"""The secret's file in the zip, beside the assignment's grader: ``{"secret": HEX}``."""

NONCE_BITS = 48
"""Bits of a grading's nonce: two gradings share cases with odds of about n²/2⁴⁹ for n gradings."""
INDEX_BITS = 16
"""Bits of a case's index within its grading (its seed's offset from the grading's seed)."""
ID_DIGITS = (NONCE_BITS + INDEX_BITS) // 4
"""Hex digits of a fresh case's id."""
_ROUNDS = 4
_HALF = (NONCE_BITS + INDEX_BITS) // 2


def from_seed(seed: int) -> bytes:
    """A secret made from a plain seed: the ``SEED`` setting (tests, development) and a checkout
    without a built zip (the assignment's development seed). Never an instructor's real one."""
    return hashlib.sha256(f"gradecore seed {int(seed)}".encode()).digest()


def derive(secret: bytes, purpose: str) -> int:
    """A 63-bit seed for ``purpose``, from the secret alone (HMAC-SHA256)."""
    digest = hmac.new(secret, f"gradecore {purpose}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def build_seed(secret: bytes) -> int:
    """The base seed of the build's cases (those whose truths and outcomes the zip ships)."""
    return derive(secret, "build")


def grading_seed(secret: bytes, nonce: int) -> int:
    """The base seed of one grading's fresh cases."""
    return derive(secret, f"grading {int(nonce)}")


def new_nonce() -> int:
    """A grading's nonce: new randomness from the system, never derived from anything a student
    could see or repeat."""
    return secrets.randbits(NONCE_BITS)


class CaseIds:
    """The ids of the cases of one secret: enciphered (nonce, index) pairs, and back."""

    def __init__(self, secret: bytes):
        self._keys = [hmac.new(secret, f"gradecore case id round {r}".encode(), hashlib.sha256).digest()
                      for r in range(_ROUNDS)]

    def _round(self, r: int, half: int) -> int:
        digest = hmac.new(self._keys[r], half.to_bytes(8, "big"), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big") & ((1 << _HALF) - 1)

    def encode(self, nonce: int, index: int) -> str:
        """The id of case ``index`` of the grading with ``nonce``."""
        if not (0 <= nonce < 1 << NONCE_BITS and 0 <= index < 1 << INDEX_BITS):
            raise ValueError("a case id holds a 48-bit nonce and a 16-bit index")
        block = nonce << INDEX_BITS | index
        left, right = block >> _HALF, block & ((1 << _HALF) - 1)
        for r in range(_ROUNDS):
            left, right = right, left ^ self._round(r, right)
        return f"{left << _HALF | right:0{ID_DIGITS}x}"

    def decode(self, case_id: str) -> tuple[int, int]:
        """The (nonce, index) that :meth:`encode` enciphered into ``case_id``."""
        block = int(case_id, 16)
        left, right = block >> _HALF, block & ((1 << _HALF) - 1)
        for r in reversed(range(_ROUNDS)):
            left, right = right ^ self._round(r, left), left
        value = left << _HALF | right
        return value >> INDEX_BITS, value & ((1 << INDEX_BITS) - 1)


def shipped(assignment: str, default_seed: int) -> bytes:
    """The secret the hidden checks come from: the ``SEED`` setting's where set (tests,
    development), else the zip's (:data:`SECRET_FILE` beside the grader), else the one made from
    ``default_seed`` (a checkout, in development)."""
    from ..protocol.settings import value
    from .truths import shipped_path

    if value("SEED") is not None:
        return from_seed(value("SEED"))
    path: Optional[str] = shipped_path(assignment)
    if path is not None:
        secret_file = os.path.join(os.path.dirname(path), SECRET_FILE)
        if os.path.isfile(secret_file):
            with open(secret_file) as f:
                return bytes.fromhex(json.load(f)["secret"])
    return from_seed(default_seed)


def file_text(secret: bytes) -> bytes:
    """:data:`SECRET_FILE`'s bytes for ``secret`` (the same each build)."""
    return (json.dumps({"secret": secret.hex()}) + "\n").encode()
