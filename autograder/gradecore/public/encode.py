"""A returned value described as data only, as the kernel sends it and the judge reads it.

Both sides of the trust boundary use it: the kernel describes the student's return values, the
judge describes its catalogued mistakes' return values the same way, so that the two compare.
It imports nothing but NumPy and runs no code of the value it describes beyond type checks.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

_ndarray = np.ndarray
_isinstance, _len, _type, _getattr = builtins.isinstance, builtins.len, builtins.type, builtins.getattr

MAX_DEPTH = 4
MAX_ITEMS = 10_000


def type_name(value: Any) -> str:
    kind = _type(value)
    module = _getattr(kind, "__module__", "") or ""
    name = _getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "numpy") else f"{module}.{name}"


def private_copy(value: Any) -> Any:
    """``value`` with its arrays copied, inside lists and tuples too: a call that changes its
    arguments changes its own copy, never another call's."""
    if _isinstance(value, _ndarray):
        return _ndarray.copy(value)
    if _isinstance(value, list):
        return [private_copy(v) for v in value]
    if _isinstance(value, tuple):
        return tuple(private_copy(v) for v in value)
    return value


def encode_value(value: Any, depth: int = 0) -> dict:
    """Describe a returned value as data only: arrays lose any subclass, objects their methods."""
    if _isinstance(value, _ndarray):
        base = _ndarray.copy(_ndarray.view(value, _ndarray))
        if base.dtype.kind not in "biuf":
            return {"kind": "other", "type": f"array of dtype {base.dtype}"}
        return {"kind": "ndarray", "type": type_name(value), "value": base}
    if _isinstance(value, (bool, np.bool_)):
        return {"kind": "bool", "type": type_name(value), "value": bool(value)}
    if _isinstance(value, (int, np.integer)):
        return {"kind": "int", "type": type_name(value), "value": int(value)}
    if _isinstance(value, (float, np.floating)):
        return {"kind": "float", "type": type_name(value), "value": float(value)}
    if _isinstance(value, (list, tuple)) and depth < MAX_DEPTH and _len(value) <= MAX_ITEMS:
        kind = "list" if _isinstance(value, list) else "tuple"
        return {"kind": kind, "type": type_name(value), "value": [encode_value(v, depth + 1) for v in value]}
    if (
        _type(value) is dict
        and depth < MAX_DEPTH
        and _len(value) <= MAX_ITEMS
        and all(_type(k) is str and not k.startswith("__") for k in value)
    ):
        return {"kind": "dict", "type": "dict", "value": {k: encode_value(v, depth + 1) for k, v in value.items()}}
    return {"kind": "other", "type": type_name(value)}
