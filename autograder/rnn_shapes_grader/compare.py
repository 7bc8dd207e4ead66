"""The one comparison helper of the hidden checks: type, then shape, then values."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

RTOL = 1e-4
ATOL = 1e-4
"""Keras computes in float32 and students usually in float64: their outputs differ by about
1e-6 (tests/test_tolerance.py and bench/tolerance.py measure it over 1000 models). float16
arithmetic, the closest real mistake, is off by about 1e-3. 1e-4 sits between the two with a
margin of 10x on each side."""


def describe_type(value: Any) -> str:
    """Name a received value the way a student would recognise it."""
    if isinstance(value, Answer):
        return value.type_name
    return type(value).__name__


class Answer:
    """A student's return value as the kernel reported it: its data and the type it had."""

    def __init__(self, kind: str, type_name: str, value: Any = None):
        self.kind = kind
        self.type_name = type_name
        self.value = value

    @classmethod
    def decode(cls, encoded: Any, depth: int = 0) -> "Answer":
        if not isinstance(encoded, dict) or depth > 8:
            return cls("other", "unknown")
        kind = encoded.get("kind")
        type_name = str(encoded.get("type", kind))[:80]
        if kind == "ndarray" and isinstance(encoded.get("value"), np.ndarray):
            return cls(kind, type_name, encoded["value"])
        if kind in ("int", "float", "bool") and isinstance(encoded.get("value"), (int, float)):
            return cls(kind, type_name, encoded["value"])
        if kind in ("list", "tuple") and isinstance(encoded.get("value"), list):
            return cls(kind, type_name, [cls.decode(item, depth + 1) for item in encoded["value"]])
        return cls("other", type_name)

    def plain(self) -> Any:
        """The value as plain Python and NumPy objects (lists for sequences)."""
        if self.kind in ("list", "tuple"):
            return [item.plain() for item in self.value]
        return self.value


def check_array(answer: Answer, expected: np.ndarray, what: str) -> Optional[str]:
    """Compare a returned array with the expected one.

    Returns:
        None when they agree, else a message saying what was expected and what was received,
        shapes first. Expected values are never part of the message.
    """
    if answer.kind != "ndarray":
        hint = ""
        if answer.kind in ("list", "tuple"):
            hint = " Convert it with np.array(...) before returning."
        elif "Variable" in answer.type_name or "Tensor" in answer.type_name:
            hint = " Convert it to NumPy (for example with .numpy() or get_weights())."
        return f"{what} should be a NumPy array of shape {expected.shape}, got a {answer.type_name}.{hint}"
    got = answer.value
    if got.shape != expected.shape:
        return f"{what} should have shape {expected.shape}, got shape {got.shape}."
    if got.dtype.kind not in "fiu":
        return f"{what} should hold real numbers, got dtype {got.dtype}."
    got = got.astype(np.float64)
    if not np.all(np.isfinite(got)):
        return f"{what} has the right shape {expected.shape} but contains NaN or infinity."
    if not np.allclose(got, expected, rtol=RTOL, atol=ATOL):
        return f"{what} has the right shape {expected.shape} but its values differ from model.predict."
    return None


def arrays_agree(a: Any, b: Any) -> bool:
    """Whether two plain values are the same answer (used to match a student to a mistake)."""
    try:
        a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a_arr.shape == b_arr.shape and bool(np.allclose(a_arr, b_arr, rtol=RTOL, atol=ATOL))
