"""What wrong lists, tuples and dicts show (:mod:`.structure`): items reordered, one too many or missing, shapes
written in size letters."""

from __future__ import annotations

import itertools
from typing import Optional

import numpy as np

from .compare import Answer, _alike, _equal, same_answer
from .finding import Finding
from .spec import Check


def _items(answer: Answer, expected) -> Optional[tuple[list[Answer], list, list[str]]]:
    """An answer and its expected value as lists of items, with each item's name (its index or its key)."""
    if isinstance(expected, (list, tuple)) and answer.kind in ("list", "tuple"):
        return list(answer.value), list(expected), [str(i) for i in range(len(expected))]
    if isinstance(expected, dict) and answer.kind == "dict" and answer.value.keys() == expected.keys():
        keys = list(expected)
        return [answer.value[k] for k in keys], [expected[k] for k in keys], [repr(k) for k in keys]
    return None


def _order_text(order: tuple[int, ...], names: list[str], what: str) -> str:
    moved = [i for i, j in enumerate(order) if i != j]
    if len(moved) == 2:
        a, b = (names[i] for i in moved)
        return f"the right {what} in the wrong order: {a} and {b} are swapped"
    where = ", ".join(f"{names[i]} holds what belongs in {names[j]}" for i, j in enumerate(order) if i != j)
    return f"the right {what} in the wrong order: {where}"


def _item_findings(checks: list[Check], answers: list[Optional[Answer]], failing: list[int]) -> Optional[Finding]:
    """The items of a list, tuple or dict answer: reordered, one too many or one missing; or, for a dict of
    sequences, the same reordering inside every value."""
    pairs = [_items(answers[i], checks[i].expected) for i in failing]
    if not pairs or any(p is None for p in pairs):
        return None
    names = pairs[0][2]
    kind = "items" if names[0] == "0" else "values of the keys"
    label = (lambda i: f"item {i}") if names[0] == "0" else (lambda k: f"the value of {k}")

    counts = {(len(got), len(want)) for got, want, _ in pairs}
    if len(counts) == 1:
        (n_got, n_want), = counts
        if n_got == n_want and 1 < n_want <= 6:
            orders = [
                p for p in itertools.permutations(range(n_want))
                if p != tuple(range(n_want)) and all(all(_equal(got[i], want[p[i]]) for i in range(n_want)) for got, want, _ in pairs)
            ]
            if len(orders) == 1:
                return Finding("items_reordered", _order_text(orders[0], [label(n) for n in names], kind))
        if n_got == n_want + 1 and names[0] == "0":
            extra = [k for k in range(n_got) if all(all(_equal(a, w) for a, w in zip(got[:k] + got[k + 1:], want)) for got, want, _ in pairs)]
            # a repeated item can be dropped at either place: the same answer
            if extra and all(all(same_answer(got[k], got[extra[0]]) for k in extra) for got, _, _ in pairs):
                return Finding("item_extra", f"one item too many: without item {extra[0]} the answer would be right")
        if n_got == n_want - 1 and names[0] == "0":
            gone = [k for k in range(n_want) if all(all(_equal(a, w) for a, w in zip(got, want[:k] + want[k + 1:])) for got, want, _ in pairs)]
            if gone and all(all(_alike(want[k], want[gone[0]]) for k in gone) for _, want, _ in pairs):
                return Finding("item_missing", f"one item is missing: the answer has the others, in order, but not "
                               f"the expected item {gone[0]}")
    # a dict (or list) whose values are sequences, each reordered the same way
    inner = None
    for got, want, _ in pairs:
        if len(got) != len(want):
            return None
        for a, w in zip(got, want):
            if (not isinstance(w, (list, tuple)) or a.kind not in ("list", "tuple") or len(a.value) != len(w)
                    or not 1 < len(w) <= 6 or not all(isinstance(x, np.ndarray) for x in w) or _equal(a, w)):
                return None
            orders = {p for p in itertools.permutations(range(len(w))) if all(_equal(a.value[i], w[p[i]]) for i in range(len(w)))}
            inner = orders if inner is None else inner & orders
            if not inner:
                return None
    if inner is not None and len(inner) == 1:
        order = next(iter(inner))
        return Finding("inner_reordered", _order_text(order, [f"item {i}" for i in range(len(order))], "arrays") +
                       f" inside each of the {kind.split()[0]}")
    return None


def _letters_of(values: list[int], sizes_per_check: list[dict[str, int]]) -> list[str]:
    """The size letters equal to the value of every check (one value per check)."""
    return [a for a in sizes_per_check[0] if all(s.get(a) == v for s, v in zip(sizes_per_check, values))]


def _shape_letters(dims, sizes_per_check: list[dict[str, int]]) -> Optional[str]:
    """A tuple of ints (the same position in every check's answer) written in size letters, or None."""
    text = []
    for k in range(len(dims[0])):
        letters = _letters_of([d[k] for d in dims], sizes_per_check)
        if len(letters) == 1:
            text.append(letters[0])
        elif all(d[k] == 1 for d in dims):
            text.append("1")
        else:
            return None
    return "(" + ", ".join(text) + ("," if len(text) == 1 else "") + ")"


def _shapes_finding(checks: list[Check], answers: list[Optional[Answer]], failing: list[int]) -> Optional[Finding]:
    """A list of shapes (tuples of ints) as long as the expected one: each wrong item written in size letters."""
    rows = []
    for i in failing:
        answer, want = answers[i], checks[i].expected
        if not checks[i].sizes or not isinstance(want, list) or answer.kind not in ("list", "tuple") or len(answer.value) != len(want):
            return None
        got = []
        for item in answer.value:
            if item.kind == "int":
                got.append(item.value)
            elif item.kind in ("list", "tuple") and all(d.kind == "int" for d in item.value):
                got.append(tuple(d.value for d in item.value))
            else:
                return None
        rows.append((checks[i].sizes, got, want))
    if len(rows) < 2 or len({len(g) for _, g, _ in rows}) != 1:
        return None
    sizes = [s for s, _, _ in rows]
    wrong = sorted({k for _, got, want in rows for k, (g, w) in enumerate(zip(got, want)) if g != tuple(w)})
    parts = []
    for k in wrong:
        items = [got[k] for _, got, _ in rows]
        if all(isinstance(x, int) for x in items):
            letters = _letters_of(items, sizes)
            if len(letters) != 1:
                return None
            parts.append(f"item {k} is the number {letters[0]}, not a tuple such as ({letters[0]},)")
            continue
        if not all(isinstance(x, tuple) and x for x in items) or len({len(x) for x in items}) != 1:
            return None
        written = _shape_letters(items, sizes)
        if written is None:
            return None
        parts.append(f"item {k} is {written}")
    if not parts:
        return None
    rest = ", and the other items are right" if len(wrong) < len(rows[0][1]) else ""
    return Finding("shape_items", "; ".join(parts) + " on every check that fails" + rest)
