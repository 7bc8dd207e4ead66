"""What an assignment tells the grading core: its questions, hidden checks and mistakes.

Each assignment is one folder, ``assignments/<name>/``, whose ``grader`` package defines
``SPEC``, an :class:`AssignmentSpec`. The judge loads it by name (:func:`load`); the core itself
names no assignment, question or layer.

This module is on the judge's side of the trust boundary: it never runs student code.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from .compare import Answer

ASSIGNMENTS_PACKAGE = "assignments"
"""The package that holds one sub-package per assignment (the repository's ``assignments/``)."""

NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Question:
    """One graded function: one otter question, named after the function."""

    name: str
    """the function's name, which is also the question's"""
    points: float
    """what the hidden check is worth (the one place the points are written)"""
    title: str
    """the hidden check's one-line title, read by students as the name of what was checked"""
    problem_with: Callable[[Answer, Any], Optional[str]]
    """``problem_with(answer, expected)``: None when the answer is right, else what is wrong with it,
    shapes first, never naming a hidden value"""
    numpy_only: bool = False
    """whether calling TensorFlow, Keras, PyTorch or JAX inside the function earns nothing"""
    keeps_arguments: bool = False
    """whether the function must leave the arrays it is given as they are (and return new ones):
    a call that changes one, even inside a list, fails"""
    tolerance: Optional[Callable[[Answer, Any], float]] = None
    """``tolerance(answer, expected)``: the distance in units of the tolerance rule (above 1
    fails), for questions answered with floating-point values; None for exact answers"""
    short: str = ""
    """a column header of at most 8 characters for the grades table (default: the name)"""
    axes: str = ""
    """what each axis of the returned array means, in the course's letters (``"NTK"``: samples,
    steps, units): the structural diagnosis speaks of samples (N) and steps (T)"""
    parts: tuple[str, ...] = ()
    """for a question answered with a tuple of arrays, each with ``axes``: their names in the
    feedback (``("h_T", "c_T")``); the structural diagnosis looks at each one"""
    sizes: str = ""
    """for a question answered with a count, which argument is which size (``"TDMK"``): the
    structural diagnosis writes the difference from the truth in these letters"""


@dataclass
class Check:
    """One call of a student's function and the expected answer."""

    question: str
    label: str
    """what the feedback says about the case: its seed and sizes, never its values"""
    args: list[Any]
    """the arguments sent to the kernel (JSON and arrays); a ``{"build": NAME, "with": {...}}``
    dict is built in the kernel by ``BUILDERS[NAME](**with)`` of the spec's ``kernel_builders``"""
    expected: Any = field(repr=False)
    local_args: list[Any] = field(repr=False, default_factory=list)
    """the same arguments as the catalogue's functions take them in the judge"""
    ships_outcomes: bool = False
    """whether the catalogue's outcomes on this check are computed at build time and shipped
    (:mod:`gradecore.judge.truths`), for local_args that need the library (a Keras model): the judge
    then needs no TensorFlow to name a mistake"""
    repeats: Optional[int] = None
    """the index of the earlier check of the same question that this one asks again, with the
    same arguments: a function that answers the two differently is not deterministic"""
    sizes: dict[str, int] = field(default_factory=dict)
    """the case's sizes by letter (``{"D": 3, "M": 5}``), those the call's arguments have: the
    structural diagnosis looks for what the checks that pass have in common (``D = M``)"""


_case_names: Optional[Callable[[int], Optional[str]]] = None
"""How the judge names the cases of its grading (:func:`name_cases`); None: by digest alone."""


def name_cases(names: Optional[Callable[[int], Optional[str]]]) -> Optional[Callable[[int], Optional[str]]]:
    """Make ``names(seed)`` give the ids of the cases it knows (the judge's fresh cases, enciphered
    under the instructor's secret); return the previous namer."""
    global _case_names
    previous, _case_names = _case_names, names
    return previous


def case_id(seed: int) -> str:
    """The name a failure message gives a hidden case. A grading's fresh cases are named by the
    judge's namer (:func:`name_cases`: their grading and index, enciphered under the instructor's
    secret, 16 hex digits); any other case by a digest of its own seed (8 hex digits), which the
    instructor can map back (every case's seed comes from the secret) and a student cannot invert."""
    import hashlib

    if _case_names is not None:
        named = _case_names(int(seed))
        if named is not None:
            return named
    return hashlib.sha256(f"gradecore case {int(seed)}".encode()).hexdigest()[:8]


def asked_again(checks: list[Check]) -> list[Check]:
    """The checks, then the first one asked again (see :attr:`Check.repeats`)."""
    first = checks[0]
    return [*checks, replace(first, label=f"{first.label}, asked again", repeats=0)]


@dataclass(frozen=True)
class Mistake:
    """One realistic mistake in one graded function."""

    id: str
    """short identifier, used in tests and in the class report"""
    question: str
    """the graded function that has the mistake"""
    title: str
    """what the student did, as the feedback says it"""
    hint: str
    """how to fix it"""
    function: Callable
    """the mistaken implementation, with the signature of the graded function"""
    signature: bool = True
    """whether its output differs from every other entry's, so the feedback can name it"""
    loose: bool = False
    """match the student's answer within ``compare.LOOSE_RTOL`` and with the same dtype, for
    mistakes whose rounding differs from one implementation to the next (float16)"""
    concept: str = ""
    """the concept this entry applies to its function (one mistake written once for every
    function it fits); empty for an entry written for one function only"""
    source: str = ""
    """the entry as submission source text defining the graded function, where ``function`` was
    generated from a concept (tests write it into buggy submissions)"""


@functools.lru_cache(maxsize=None)
def _helpers_run(helpers: tuple[Callable, ...]) -> tuple[str, dict]:
    """The helpers' source text, and a copy of their module's namespace with that very text run in
    it; read and compiled once for every concept that shares them (which was most of what a judge's
    start cost)."""
    shared = "\n\n".join(inspect.getsource(h) for h in helpers)
    namespace = dict(helpers[-1].__globals__)
    exec(compile(shared, f"<helpers {', '.join(h.__name__ for h in helpers)}>", "exec"), namespace)
    return shared, namespace


def applied(change: str, calls: dict[str, tuple[str, str]], helpers: tuple[Callable, ...]) -> dict[str, tuple[Callable, str]]:
    """A concept's change applied to graded functions: each a thin function over shared helpers.

    Args:
        change: the change's name, passed to the helpers (where ``{change}`` appears in a call).
        calls: for each graded function, its parameters and the helper call it returns, such as
            ``("X, W", "_forward(X, W, 'batch', {change})")``.
        helpers: the module-level functions the calls use, written as the reference computation
            with each change it can make; their source goes into each entry's source text.

    Returns:
        for each graded function, the function and its source text: the function runs that very
        source (the helpers' text, run in a copy of their module, then the function's own lines),
        so the judge and a test submission run the same code.
    """
    shared, helpers_namespace = _helpers_run(tuple(helpers))
    result = {}
    for question, (parameters, call) in calls.items():
        own = f"def {question}({parameters}):\n    return {call.format(change=repr(change))}\n"
        namespace = dict(helpers_namespace)
        exec(compile(own, f"<concept {change} in {question}>", "exec"), namespace)
        result[question] = (namespace[question], f"{shared}\n\n{own}")
    return result


class Catalogue:
    """The mistakes of one assignment, registered with a decorator, in the order they are tried."""

    def __init__(self):
        self.entries: list[Mistake] = []

    def mistake(self, question: str, title: str, hint: str, signature: bool = True, loose: bool = False):
        def register(function: Callable) -> Callable:
            self.entries.append(Mistake(function.__name__, question, title, hint, function, signature, loose))
            return function

        return register

    def concept(
        self,
        id: str,
        title: str,
        hint: str,
        applied: dict[str, tuple[Callable, str]],
        signature: bool = True,
        loose: bool = False,
    ) -> None:
        """Register one concept: the same mistake applied to every function it fits.

        Args:
            id: the concept's identifier; each entry's is ``<id>@<question>``.
            title: what the student did, in words that hold for every function it is applied to.
            hint: how to fix it.
            applied: for each graded function it fits, the mistaken implementation and its
                source text.
        """
        for question, (function, source) in applied.items():
            self.entries.append(Mistake(f"{id}@{question}", question, title, hint, function, signature, loose, id, source))

    def for_question(self, question: str) -> list[Mistake]:
        return [m for m in self.entries if m.question == question]

    def by_id(self, id: str) -> Mistake:
        return next(m for m in self.entries if m.id == id)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class AssignmentSpec:
    """Everything the core needs to know about one assignment."""

    name: str
    """the folder's name under ``assignments/``, the notebook's name and otter's assignment name"""
    questions: tuple[Question, ...]
    """the graded functions, in the order of the notebook"""
    default_seed: int
    """base seed of the hidden checks (``RNN_SHAPES_SEED`` overrides it), printed in failures"""
    build_checks: Callable[[int], dict[str, list[Check]]]
    """``build_checks(seed)``: every hidden check of every question, with the true answers
    computed by the real library through :func:`gradecore.judge.truths.lookup`, so that the build can
    compute them once and ship them"""
    catalogue: Catalogue
    """the realistic mistakes, used to name a student's mistake in feedback"""
    kernel_builders: str = ""
    """the module whose ``BUILDERS`` dict builds, inside the student's kernel, the arguments that
    cannot travel as data (a Keras model); empty when every argument is data"""

    def question(self, name: str) -> Question:
        return next(q for q in self.questions if q.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions)

    @property
    def points(self) -> dict[str, float]:
        return {q.name: q.points for q in self.questions}


def module_name(assignment: str) -> str:
    """The grader package of an assignment: ``assignments.<name>.grader``."""
    if not NAME.match(assignment):
        raise ValueError(f"not an assignment name: {assignment!r}")
    return f"{ASSIGNMENTS_PACKAGE}.{assignment}.grader"


def load(assignment: str) -> AssignmentSpec:
    """The ``SPEC`` of ``assignments/<assignment>/grader``."""
    spec = importlib.import_module(module_name(assignment)).SPEC
    if not isinstance(spec, AssignmentSpec) or spec.name != assignment:
        raise TypeError(f"{module_name(assignment)}.SPEC is not the AssignmentSpec of {assignment!r}")
    return spec
