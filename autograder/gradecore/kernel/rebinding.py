"""What the submission rebinds in NumPy's namespaces and the builtins the grader uses: noted before its
code runs, compared after, and reported (a wrong answer cannot pass this way; the student is told)."""

from __future__ import annotations

import sys
from typing import Any

WATCHED_NAMESPACES = ("numpy", "numpy.linalg", "numpy.testing", "builtins")
"""Namespaces whose rebinding is reported: a wrong answer cannot pass this way (the judge never
uses the kernel's NumPy), but the student is told that the submission changes them."""


WATCHED_BUILTINS = (
    "abs", "all", "any", "bool", "callable", "dict", "float", "getattr", "hasattr", "id", "int",
    "isinstance", "issubclass", "iter", "len", "list", "max", "min", "next", "open", "print",
    "range", "repr", "round", "set", "sorted", "str", "sum", "tuple", "type", "zip",
)
"""The builtins the grader's kernel side and otter's checks use (IPython changes others)."""


_snapshot: dict[str, dict[str, Any]] = {}


def take_snapshot() -> None:
    import numpy.linalg  # noqa: F401
    import numpy.testing  # noqa: F401

    for name in WATCHED_NAMESPACES:
        namespace = vars(sys.modules[name])
        keys = WATCHED_BUILTINS if name == "builtins" else list(namespace)
        _snapshot[name] = {k: namespace[k] for k in keys}


def rebound_names() -> list[str]:
    """Public names of the watched namespaces that now point elsewhere than when armed."""
    changed = []
    for name, objects in _snapshot.items():
        module = sys.modules.get(name)
        current = vars(module) if module is not None else {}
        for key, original in objects.items():
            if key.startswith("_"):
                continue
            if key not in current or current[key] is not original:
                changed.append(f"{name}.{key}")
    return sorted(changed)
