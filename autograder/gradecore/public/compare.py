"""The one comparison helper of the hidden checks: type, then shape, then values."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

RTOL = 1e-4
ATOL = 1e-4
"""Keras computes in float32 and students usually in float64: over 1000 random models with T up
to 100, correct NumPy code (float32 or float64) stays within 1% of this tolerance of
``model.predict`` (bench/tolerance.py). float16 arithmetic, the closest real mistake, misses it
by 4x to 9x, and every other catalogued mistake by at least 100x (tests/test_cases.py)."""

LOOSE_RTOL = 1e-2
LOOSE_ATOL = 1e-2
"""Two float16 implementations of the same maths differ by about 1e-3 (their rounding differs
with the order of operations): a catalogue entry marked ``loose`` matches a student's answer
within this tolerance, provided the dtypes are the same too."""



SHOWN_TYPES = frozenset((
    "int", "float", "bool", "complex", "str", "bytes", "list", "tuple", "dict", "set", "frozenset", "NoneType",
    "range", "map", "zip", "filter", "generator", "function", "builtin_function_or_method", "method", "type",
    "module", "object", "ndarray", "matrix", "memmap", "float16", "float32", "float64", "longdouble", "int8",
    "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool_", "str_", "bytes_", "unknown",
))
"""Type names that the feedback may repeat: Python's and NumPy's. Any other type name is the
submission's to choose (a class may have any name), so it is not repeated."""


def shown_type(name: str) -> str:
    """A type name as the feedback may say it (see :data:`SHOWN_TYPES`)."""
    name = str(name)
    if name in SHOWN_TYPES:
        return name
    if name.split(".")[0] in ("tensorflow", "keras", "tf_keras") and ("Tensor" in name or "Variable" in name):
        return "TensorFlow Tensor" if "Tensor" in name else "TensorFlow Variable"
    if name.startswith("array of dtype"):
        return "array of another dtype"
    return "object of a type of its own"


class Answer:
    """A student's return value as the kernel reported it: its data and the type it had (its name
    as the feedback may repeat it, :func:`shown_type`)."""

    def __init__(self, kind: str, type_name: str, value: Any = None):
        self.kind = kind
        self.type_name = type_name
        self.value = value

    @classmethod
    def decode(cls, encoded: Any, depth: int = 0) -> "Answer":
        if not isinstance(encoded, dict) or depth > 8:
            return cls("other", "unknown")
        kind = encoded.get("kind")
        type_name = shown_type(str(encoded.get("type", kind))[:80])
        if kind == "ndarray" and isinstance(encoded.get("value"), np.ndarray):
            return cls(kind, type_name, encoded["value"])
        if kind in ("int", "float", "bool") and isinstance(encoded.get("value"), (int, float)):
            return cls(kind, type_name, encoded["value"])
        if kind in ("list", "tuple") and isinstance(encoded.get("value"), list):
            return cls(kind, type_name, [cls.decode(item, depth + 1) for item in encoded["value"]])
        if kind == "dict" and isinstance(encoded.get("value"), dict):
            return cls(kind, type_name, {str(k): cls.decode(v, depth + 1) for k, v in encoded["value"].items()})
        return cls("other", type_name)


def tolerance_ratio(got: np.ndarray, expected: np.ndarray) -> float:
    """How far ``got`` is from ``expected`` in units of the tolerance rule (above 1 fails).

    The rule is ``|got - expected| <= ATOL + RTOL * |expected|`` elementwise, as
    ``np.allclose`` applies it; the ratio is the largest ``|got - expected| / (ATOL + RTOL *
    |expected|)``, infinite for a different shape or a value that is not finite.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return float("inf")
    if got.size == 0:
        return 0.0
    if not np.all(np.isfinite(got)):
        return float("inf")
    return float(np.max(np.abs(got - expected) / (ATOL + RTOL * np.abs(expected))))


def check_array(answer: Answer, expected: np.ndarray, what: str, truth: str = "model.predict") -> Optional[str]:
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
        return f"{what} has the right shape {expected.shape} but its values differ from {truth}."
    return None



def _kind(answer: Answer) -> str:
    return {"tuple": "sequence", "list": "sequence", "float": "number", "int": "number"}.get(answer.kind, answer.kind)


def same_answer(a: Answer, b: Answer, rtol: float = RTOL, atol: float = ATOL, same_dtype: bool = False) -> bool:
    """Whether two answers are the same: the same structure, shapes and type, and close values.

    Lists and tuples count as the same kind of sequence and ints as floats (the judge accepts
    both); an exception (``kind == "raised"``) equals an exception of the same type; any other
    object equals an object of the same type name. Used to match a student to a mistake.
    """
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind == "ndarray":
        x, y = a.value, b.value
        if x.shape != y.shape or (same_dtype and x.dtype != y.dtype):
            return False
        return bool(np.allclose(x.astype(np.float64), y.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True))
    if kind == "number":
        return bool(np.isclose(float(a.value), float(b.value), rtol=rtol, atol=atol))
    if kind == "bool":
        return a.value == b.value
    if kind == "sequence":
        return len(a.value) == len(b.value) and all(
            same_answer(x, y, rtol, atol, same_dtype) for x, y in zip(a.value, b.value)
        )
    if kind == "dict":
        return a.value.keys() == b.value.keys() and all(
            same_answer(a.value[k], b.value[k], rtol, atol, same_dtype) for k in a.value
        )
    return a.type_name == b.type_name


def shape_of(answer: Answer) -> Any:
    """The structure of an answer without its values: kinds, lengths and array shapes."""
    kind = _kind(answer)
    if kind == "ndarray":
        return ("ndarray", answer.value.shape)
    if kind == "sequence":
        return ("sequence", tuple(shape_of(item) for item in answer.value))
    if kind == "dict":
        return ("dict", tuple((k, shape_of(answer.value[k])) for k in sorted(answer.value)))
    if kind in ("number", "bool"):
        return (kind,)
    return (kind, answer.type_name)


def structure_of(expected: Any) -> Any:
    """The structure of an expected answer, in the terms of :func:`shape_of`."""
    if isinstance(expected, np.ndarray):
        return ("ndarray", expected.shape)
    if isinstance(expected, (list, tuple)):
        return ("sequence", tuple(structure_of(item) for item in expected))
    if isinstance(expected, dict):
        return ("dict", tuple((k, structure_of(expected[k])) for k in sorted(expected)))
    if isinstance(expected, bool):
        return ("bool",)
    if isinstance(expected, (int, float, np.integer, np.floating)):
        return ("number",)
    return ("other", type(expected).__name__)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _same_values(got: np.ndarray, want: np.ndarray) -> bool:
    """Whether two arrays hold the same values, wherever they are (sorting keeps the tolerance)."""
    return got.size == want.size and _close(np.sort(got, axis=None), np.sort(want, axis=None))


def _equal(answer: Answer, expected) -> bool:
    """Whether an answer equals an expected value (arrays within the tolerance, shapes as tuples of ints)."""
    if isinstance(expected, np.ndarray):
        return (answer.kind == "ndarray" and answer.value.shape == expected.shape and answer.value.dtype.kind in "fiu"
                and _close(answer.value.astype(np.float64), np.asarray(expected, np.float64)))
    if isinstance(expected, (list, tuple)):
        return answer.kind in ("list", "tuple") and len(answer.value) == len(expected) and all(
            _equal(a, e) for a, e in zip(answer.value, expected))
    if isinstance(expected, dict):
        return answer.kind == "dict" and answer.value.keys() == expected.keys() and all(
            _equal(answer.value[k], expected[k]) for k in expected)
    if isinstance(expected, (bool, np.bool_)):
        return answer.kind == "bool" and answer.value == expected
    if isinstance(expected, (int, np.integer)):
        return answer.kind == "int" and answer.value == expected
    if isinstance(expected, (float, np.floating)):
        try:
            return answer.kind in ("int", "float") and abs(float(answer.value) - expected) <= ATOL + RTOL * abs(expected)
        except OverflowError:
            return False
    return False


def _alike(x, y) -> bool:
    """Whether two expected values are the same (arrays within the tolerance)."""
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return np.shape(x) == np.shape(y) and _close(np.asarray(x, np.float64), np.asarray(y, np.float64))
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_alike(a, b) for a, b in zip(x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_alike(x[k], y[k]) for k in x)
    return type(x) is type(y) and x == y
