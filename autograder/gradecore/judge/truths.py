"""Truths as data, keyed by what they are computed from: shipped by the build, or computed by a
grading's truth worker.

The true answers of the hidden checks come from the real library (Keras models and
``model.predict``): the expensive part of grading, and the reason the judge never computes them
itself. ``make dist`` computes those of the build's cases (drawn from the instructor's secret) and
ships them beside the assignment's grader as :data:`SHIPPED_FILE`; each grading's fresh cases get
theirs from its truth worker (:mod:`gradecore.judge.truth_worker`), in the same format. :func:`lookup`
finds a truth by a fingerprint of everything it is computed from, so a case that no one computed
finds nothing and is computed live; in a store of drafts (the judge's first pass over a grading's
cases) it gives the truth's draft instead.

The file holds JSON and ``.npy`` arrays only (the wire format, pickles refused). The judge reads
it once at start-up, before any student code runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import inspect
import io
import os
from typing import Any, Callable, Optional

import numpy as np

from ..protocol import wire

SHIPPED_FILE = "truths.bin"
"""The shipped truths' file name, in the assignment's grader package (``assignments/<name>/grader``),
beside the instructor's secret (:data:`gradecore.judge.secret.SECRET_FILE`)."""


def fingerprint(value: Any) -> str:
    """A digest of a value made of data: arrays (dtype, shape and bytes), scalars, strings,
    containers and dataclasses of those. Equal digests mean equal inputs, bit for bit."""
    digest = hashlib.sha256()

    def feed(v: Any) -> None:
        if isinstance(v, np.ndarray):
            digest.update(f"a{v.dtype.str}{v.shape}".encode())
            digest.update(np.ascontiguousarray(v).tobytes())
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            digest.update(f"c{type(v).__qualname__}(".encode())
            for f in dataclasses.fields(v):
                digest.update(f"{f.name}=".encode())
                feed(getattr(v, f.name))
            digest.update(b")")
        elif isinstance(v, dict):
            digest.update(b"d{")
            for key in sorted(v, key=repr):
                feed(key)
                feed(v[key])
            digest.update(b"}")
        elif isinstance(v, (list, tuple)):
            digest.update(b"l[" if isinstance(v, list) else b"t[")
            for item in v:
                feed(item)
            digest.update(b"]")
        elif isinstance(v, np.generic):
            feed(v.item())
        elif v is None or isinstance(v, (bool, int, float, str)):
            digest.update(f"s{type(v).__name__}:{v!r};".encode())
        else:
            raise TypeError(f"cannot fingerprint a {type(v).__name__}: truths are keyed by data only")

    feed(value)
    return digest.hexdigest()


def code_digest(function: Callable) -> str:
    """A digest of a function's source (its bytecode where the source is not on disk)."""
    try:
        text = inspect.getsource(function)
    except (OSError, TypeError):
        text = repr(getattr(function, "__code__", function).co_code)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Tuples and dicts with keys that are not strings survive the JSON of the wire as tagged values.
_TUPLE, _ITEMS = "__tuple__", "__items__"


def _tag(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, tuple):
        return {_TUPLE: [_tag(v) for v in value]}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: _tag(v) for k, v in value.items()}
        return {_ITEMS: [[_tag(k), _tag(v)] for k, v in value.items()]}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a shipped truth must be data, not a {type(value).__name__}")


def _untag(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
        return value
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {_TUPLE}:
            return tuple(_untag(v) for v in value[_TUPLE])
        if set(value) == {_ITEMS}:
            return {_untag(k): _untag(v) for k, v in value[_ITEMS]}
        return {k: _untag(v) for k, v in value.items()}
    return value


class NoDraft(Exception):
    """A lookup in a store of drafts whose caller gave no draft: the checks' arguments can only
    be known once the truths are."""


class Store:
    """Truths by fingerprint: those read from a shipped file, and, while building, those computed."""

    def __init__(self, known: Optional[dict[str, Any]] = None, record: bool = False, drafts: bool = False,
                 on_computed: Optional[Callable[[], None]] = None):
        self.known = dict(known or {})
        """shipped truths, the only ones a lookup returns"""
        self.record = record
        """whether computed truths are kept, to be written by :meth:`dumps` (the build)"""
        self.recorded: dict[str, Any] = {}
        self.live = 0
        """how many lookups found nothing and computed their truth"""
        self.drafts = drafts
        """whether a lookup that finds nothing gives its draft instead of computing (the judge's
        first pass over a grading's fresh cases: their arguments, before the truths are ready)"""
        self.on_computed = on_computed
        """called after each truth computed (the truth worker's progress)"""

    def lookup(self, inputs: Any, compute: Callable[[], Any], draft: Optional[Callable[[], Any]] = None) -> Any:
        key = fingerprint(inputs)
        if key in self.known:
            return self.known[key]
        if self.drafts:
            if draft is None:
                raise NoDraft(str(inputs)[:80])
            return draft()
        value = compute()
        self.live += 1
        if self.on_computed is not None:
            self.on_computed()
        if self.record:
            self.recorded[key] = value
        return value

    def dumps(self) -> bytes:
        entries = {**self.known, **self.recorded}
        buf = io.BytesIO()
        wire.send(buf, {key: _tag(entries[key]) for key in sorted(entries)})
        return buf.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> "Store":
        return cls(_untag(wire.recv(io.BytesIO(data))))


_store = Store()


def use(store: Store) -> Store:
    """Make ``store`` the one :func:`lookup` consults; return the previous one."""
    global _store
    previous, _store = _store, store
    return previous


def lookup(inputs: Any, compute: Callable[[], Any], draft: Optional[Callable[[], Any]] = None) -> Any:
    """The shipped truth computed from ``inputs``, else ``compute()`` (data only: arrays, scalars,
    strings, lists, tuples and dicts of those).

    ``inputs`` must hold everything the truth depends on (the case's sizes, weights and inputs,
    and a name for the computation), so that a changed case never finds a stale truth.
    ``draft`` gives a stand-in of the truth's structure (zeros of its shapes, the same keys),
    cheaply and without the library: the judge builds a grading's checks with drafts first, to
    hand out their arguments while the real truths are computed (:func:`gradecore.judge.service.fresh_checks`).
    No verdict is ever given on a draft.
    """
    return _store.lookup(inputs, compute, draft)


def current() -> Store:
    return _store


def shipped_path(assignment: str) -> Optional[str]:
    """Where the assignment's shipped truths lie beside its grader, whether or not they exist."""
    from ..public.spec import module_name

    try:
        found = importlib.util.find_spec(module_name(assignment))
    except ModuleNotFoundError:
        return None
    if found is None or not found.submodule_search_locations:
        return None
    return os.path.join(list(found.submodule_search_locations)[0], SHIPPED_FILE)


def load_shipped(assignment: str) -> Store:
    """The assignment's shipped truths, or an empty store when it has none (a checkout, not a zip)."""
    path = shipped_path(assignment)
    if path is None or not os.path.isfile(path):
        return Store()
    with open(path, "rb") as f:
        return Store.loads(f.read())
