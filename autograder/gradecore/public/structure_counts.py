"""What wrong counts show (:mod:`.structure`): the difference from the truth as a formula in the question's size
letters, a part counted once per time step, a count that changes with T."""

from __future__ import annotations

import itertools
from typing import Optional

import numpy as np

from .finding import Finding
from .spec import Check, Question


def _terms(sizes: str) -> list[str]:
    letters = [s for s in sizes if s.isalpha()]
    return letters + [f"{a}·{b}" for a, b in itertools.combinations_with_replacement(letters, 2)]


def _value(term: str, values: dict[str, int]) -> int:
    result = 1
    for letter in term.split("·"):
        result *= values[letter]
    return result


def _formula(coefficients: tuple[int, ...], terms: tuple[str, ...]) -> str:
    parts = []
    for c, term in sorted(zip(coefficients, terms), key=lambda ct: ct[0] < 0):
        sign = "−" if c < 0 else "+"
        amount = term if abs(c) == 1 else f"{abs(c)}·{term}"
        parts.append((sign, amount))
    text = " ".join(f"{s} {a}" for s, a in parts)
    return text[2:] if text.startswith("+ ") else "−" + text[2:]


def _fits(terms: list[str], rows: list[tuple[dict[str, int], float]], width: int) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Every formula of ``width`` terms, small whole coefficients, that gives each row's difference."""
    fits = []
    for chosen in itertools.combinations(terms, width):
        for coefficients in itertools.product([c for c in range(-4, 5) if c], repeat=width):
            if all(sum(c * _value(t, v) for c, t in zip(coefficients, chosen)) == d for v, d in rows):
                fits.append((coefficients, chosen))
    return fits


def _per_step_finding(terms: list[str], rows: list[tuple[dict[str, int], float]]) -> Optional[Finding]:
    """The difference as (T − 1) times a formula without T: a part counted at every step instead of once."""
    if not all("T" in v for v, _ in rows) or len({v["T"] for v, _ in rows}) < 2 or any(v["T"] == 1 for v, _ in rows):
        return None
    per_step = [(v, d / (v["T"] - 1)) for v, d in rows]
    if any(q != int(q) for _, q in per_step):
        return None
    for width in (1, 2):
        fits = _fits([t for t in terms if "T" not in t], per_step, width)
        if len(fits) == 1:
            formula = _formula(*fits[0])
            text = f"the count changes with T: it is off by (T − 1)·({formula})"
            if all(q > 0 for _, q in per_step):
                text += f", as if {formula} were counted once per time step instead of once"
            return Finding("count_with_T", text)
        if fits:
            return None
    return None


def _count_finding(question: Question, failing: list[tuple[Check, float]], some_pass: bool = False) -> Optional[Finding]:
    """The difference from the truth as one or two terms in the size letters, the same formula on every failing
    check; or, where T is a size, as (T − 1) times such a formula. ``some_pass``: other checks of the question
    pass, so the formula holds on the failing ones only."""
    where = "on every check that fails" if some_pass else "for every size tried"
    letters = question.sizes
    rows = []
    for check, got in failing:
        values = {s: int(v) for s, v in zip(letters, check.local_args) if s.isalpha() and isinstance(v, (int, np.integer))}
        rows.append((values, got - float(check.expected)))
    terms = [t for t in _terms(letters) if all(all(x in v for x in t.split("·")) for v, _ in rows)]
    if len(rows) < 3:
        return None
    for width in (1, 2):
        fits = _fits(terms, rows, width)
        if len(fits) == 1:
            coefficients, chosen = fits[0]
            formula = _formula(coefficients, chosen)
            if "T" in "".join(chosen):
                return Finding("count_with_T", f"the count changes with T: it is off by {formula}")
            if all(d > 0 for _, d in rows):
                return Finding("count_off", f"the count is {formula} too many {where}: a term counted too often?")
            if all(d < 0 for _, d in rows):
                negated = _formula(tuple(-c for c in coefficients), chosen)
                return Finding("count_off", f"the count is {negated} too few {where}: a term missing?")
            return Finding("count_off", f"the count is off by {formula} (yours minus the truth) {where}")
        if fits:
            return None
    return _per_step_finding(terms, rows) or _changes_with_T(rows)


def _changes_with_T(rows: list[tuple[dict[str, int], float]]) -> Optional[Finding]:
    """Two checks with the same sizes but T give two counts (whatever the formula of the difference)."""
    for (a, da), (b, db) in itertools.combinations(rows, 2):
        if "T" in a and a["T"] != b.get("T") and {k: v for k, v in a.items() if k != "T"} == {
            k: v for k, v in b.items() if k != "T"
        } and da != db:
            others = ", ".join(k for k in a if k != "T")
            return Finding("count_with_T", f"the count changes with T: the same {others} at two sequence lengths give "
                           "two counts, but every step uses the same weights")
    return None
