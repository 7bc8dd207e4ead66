"""Verdicts and diagnosis: decide a graded function from its calls' outcomes, and name the mistake.

Everything here runs in the judge, a process that never executes student code. The judge sends
each call's arguments to the student's kernel, receives the raw return values, and decides with
the assignment's judges; when a function fails, the assignment's catalogue of mistakes is run on
the same inputs, and the entry whose outcomes equal the student's is named in the feedback; when
none does, :mod:`structure` says what the answers show piece by piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..protocol.outcome import Status
from ..protocol.text import one_line
from ..public.compare import LOOSE_ATOL, LOOSE_RTOL, Answer, same_answer, shape_of, structure_of
from ..public.encode import encode_value, private_copy
from ..public.finding import Finding
from ..public.spec import AssignmentSpec, Check, Mistake, Question
from ..public.structure import describe
from . import truths


@dataclass
class Verdict:
    """The judge's decision on one graded function."""

    question: str
    passed: bool
    message: str
    """what the student reads: the first failure, then the line that names the mistake, if any"""
    mistake: Optional[dict] = None
    """``{"title", "fix"}`` of the catalogued mistake that the message's last line names"""
    finding: Optional[str] = None
    """what the answers show where no catalogued mistake explains them (as the message says it)"""


def outcome_problem(outcome: dict, check: Optional[Check] = None, vocabulary: frozenset = frozenset()) -> Optional[str]:
    """A call that did not return: not implemented, raised, timed out or ran out of memory.

    The outcome comes from a process that ran student code, and the text goes to the student:
    it is written here from the status alone, and an exception's message is shown only where it
    reads as NumPy's or Python's own (:func:`shown_exception`), so that a submission cannot carry
    the hidden inputs out in a message of its own making.
    """
    from ..protocol import limits

    status = outcome.get("status")
    if status == Status.RETURNED:
        return None
    detail = str(outcome.get("detail", ""))[:300]
    if status == Status.MISSING:
        return "is not defined in the submission."
    if status == Status.NOT_IMPLEMENTED:
        return "is not implemented yet (it raises NotImplementedError)."
    if status == Status.TIMEOUT:
        return f"did not return within {limits.TIME_LIMIT_S:g} seconds: is there an endless loop?"
    if status == Status.MEMORY:
        return f"ran out of memory (limit {limits.MEMORY_LIMIT_MB} MiB): does it build a huge array?"
    if status == Status.FORBIDDEN:
        if "TensorFlow" in detail:
            return "calls TensorFlow or Keras: this exercise asks for the computation in NumPy."
        return ("switches off the grader's checks or starts another process: this exercise asks for the "
                "computation in NumPy, in the function itself.")
    if status == Status.EXITED:
        return "stopped the process (sys.exit, os._exit or a signal) instead of returning."
    if status == Status.CHANGED_ARGUMENTS:
        return "changed the arrays it was given (in place): leave them as they are and return new arrays."
    return f"raised {shown_exception(detail, check.sizes if check is not None else {}, vocabulary)}"


EXCEPTION_TEMPLATES = tuple(re.compile(t) for t in (
    r"operands could not be broadcast together with (?:remapped )?shapes(?: \[original->remapped\])?:?(?: {S}(?:->{S})?)+",
    r"matmul: Input operand {N} has a mismatch in its core dimension {N}, with gufunc signature "
    r"\(n\?,k\),\(k,m\?\)->\(n\?,m\?\) \(size {N} is different from {N}\)",
    r"shapes {S} and {S} not aligned: {N} \(dim {N}\) != {N} \(dim {N}\)",
    r"cannot reshape array of size {N} into shape {S}",
    r"index {N} is out of bounds for axis {N} with size {N}",
    r"axis {N} is out of bounds for array of dimension {N}",
    r"too many indices for array: array is {N}-dimensional, but {N} were indexed",
    r"(?:tuple|list|string) index out of range",
    r"not enough values to unpack \(expected {N}, got {N}\)",
    r"too many values to unpack \(expected {N}\)",
    r"name '{I}' is not defined",
    r"cannot access local variable '{I}' where it is not associated with a value",
    r"'{I}' object has no attribute '{I}'",
    r"module '{I}' has no attribute '{I}'",
    r"'{I}' object is not (?:callable|subscriptable|iterable)",
    r"'{I}' object cannot be interpreted as an integer",
    r"unsupported operand type\(s\) for [^ ]{1,3}: '{I}' and '{I}'",
    r"{I}\(\) takes {N} positional arguments? but {N} (?:was|were) given",
    r"{I}\(\) missing {N} required positional arguments?: (?:'{I}'(?:, | and )?)+",
    r"(?:integer )?division(?: or modulo)? by zero|float division by zero",
    r"all the input array dimensions except for the concatenation axis must match exactly, but along "
    r"dimension {N}, the array at index {N} has size {N} and the array at index {N} has size {N}",
    r"all the input arrays must have same number of dimensions, but the array at index {N} has {N} "
    r"dimension\(s\) and the array at index {N} has {N} dimension\(s\)",
    r"could not broadcast input array from shape {S} into shape {S}",
    r"only integer scalar arrays can be converted to a scalar index",
    r"The truth value of an array with more than one element is ambiguous. Use a.any\(\) or a.all\(\)",
    r"setting an array element with a sequence\.?.{0,0}",
    r"math domain error",
    r"",
))
"""Messages that NumPy and Python give for the mistakes a graded function makes, with ``{N}`` a
number, ``{S}`` a shape and ``{I}`` a name: the only messages the feedback repeats."""

SHOWN_EXCEPTIONS = frozenset((
    "ArithmeticError", "AssertionError", "AttributeError", "BufferError", "EOFError", "Exception",
    "FloatingPointError", "ImportError", "IndexError", "KeyError", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "NotImplementedError", "OSError", "OverflowError", "RecursionError",
    "ReferenceError", "RuntimeError", "StopIteration", "SystemError", "TypeError", "UnboundLocalError",
    "UnicodeError", "ValueError", "ZeroDivisionError", "AxisError", "LinAlgError", "ComplexWarning",
    "TimeLimitExceeded", "PermissionError", "FileNotFoundError",
))
"""Exception classes the feedback names: Python's and NumPy's, and the submission's own where its
code names the class (any other name is the submission's to choose)."""

_CLASS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,60}(?:\.[A-Za-z_][A-Za-z0-9_]{0,60}){0,5}")
"""An exception's class name as the feedback may repeat it: a plain, dotted Python name."""
_NUMBER = re.compile(r"-?\d+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_COMMON_NAMES = frozenset((
    "int", "float", "str", "list", "tuple", "dict", "set", "NoneType", "bool", "object", "function", "module",
    "numpy", "np", "ndarray", "numpy.ndarray", "numpy.float64", "numpy.float32", "numpy.int64", "float64",
    "float32", "int64", "range", "map", "zip", "generator", "builtin_function_or_method", "method", "type",
))


def _allowed_numbers(sizes: dict, depth: int = 5) -> set[int]:
    """The case's sizes, the products of up to ``depth`` of them, each times 1 to 4 (the gates)."""
    values = sorted({int(v) for v in sizes.values() if isinstance(v, int) and 0 < int(v) < 10**6})
    products = {1}
    for _ in range(depth):
        products |= {p * v for p in products for v in values if p * v < 10**9}
    return {p * k for p in products for k in (1, 2, 3, 4)} | set(range(0, 5)) | {-1, -2}


def shown_exception(detail: str, sizes: dict, vocabulary: frozenset = frozenset()) -> str:
    """``Type: message`` as the feedback may show it: the type where it is a plain name, the
    message where it is one of :data:`EXCEPTION_TEMPLATES` whose numbers are the case's sizes (or
    products of them) and whose names are Python's, NumPy's or the submission's own."""
    kind, _, message = detail.partition(":")
    kind, message = kind.strip(), message.strip()
    # the class's name is the submission's to choose (``type(name, ...)``): only a plain dotted
    # name of one of the known classes, or of one its code names, is repeated
    plain = _CLASS_NAME.fullmatch(kind) is not None
    if not plain or (kind.rsplit(".", 1)[-1] not in SHOWN_EXCEPTIONS and kind not in vocabulary):
        return "an exception of a class of its own" + (" (its message is not repeated here)" if message else "")
    numbers = _allowed_numbers(sizes)
    shape = r"\((?:-?\d+,? ?)*\)"
    shown = False
    if message and len(message) <= 240:
        for template in EXCEPTION_TEMPLATES:
            pattern = template.pattern.replace("{N}", r"-?\d+").replace("{S}", shape).replace("{I}", r"[A-Za-z_][A-Za-z0-9_.]*")
            if pattern and re.fullmatch(pattern, message):
                quoted = [n for n in re.findall(r"'([^']*)'", message) if n not in _COMMON_NAMES]
                # at most one of the submission's own names: a sequence of them could spell values
                names_ok = len(quoted) <= 1 and all(n in vocabulary for n in quoted)
                numbers_ok = all(int(n) in numbers for n in _NUMBER.findall(message))
                shown = names_ok and numbers_ok
                break
    if shown:
        return one_line(f"{kind}: {message}")
    if message:
        return f"{kind} (its message is not repeated here: it names values the grader does not show)"
    return kind


def raised(detail: str) -> Answer:
    """An exception as an answer, from the kernel's ``"Type: message"`` detail."""
    return Answer("raised", detail.split(":", 1)[0].strip(), detail)


def _entry_outcome(entry: Mistake, check: Check) -> dict:
    args = [private_copy(a) for a in check.local_args]
    try:
        value = entry.function(*args)
    except Exception as e:
        return {"kind": "raised", "detail": f"{type(e).__name__}: {str(e)[:200]}"}
    return encode_value(value)


def run_entry(entry: Mistake, check: Check) -> Answer:
    """Run a catalogue entry on a check's inputs and describe its outcome as the kernel would.

    For a check that ships its outcomes, the build ran the entry and the judge reads the result.
    """
    if check.ships_outcomes:
        inputs = ("outcome", entry.question, entry.id, truths.code_digest(entry.function), check.question, check.label, check.args)
        outcome = truths.lookup(inputs, lambda: _entry_outcome(entry, check))
    else:
        outcome = _entry_outcome(entry, check)
    if outcome.get("kind") == "raised":
        return raised(str(outcome.get("detail", "")))
    return Answer.decode(outcome)


def _outcomes_agree(mine: Answer, theirs: Answer, loose: bool) -> bool:
    if mine.kind == "raised" or theirs.kind == "raised":
        return mine.kind == theirs.kind and mine.type_name == theirs.type_name
    if loose:
        return same_answer(mine, theirs, LOOSE_RTOL, LOOSE_ATOL, same_dtype=True)
    return same_answer(mine, theirs)


def _has_arrays(structure) -> bool:
    if structure[0] == "ndarray":
        return True
    if structure[0] == "sequence":
        return any(_has_arrays(s) for s in structure[1])
    if structure[0] == "dict":
        return any(_has_arrays(s) for _, s in structure[1])
    return False


@dataclass
class Diagnosis:
    """The catalogued mistake that explains a student's answers, and how sure the match is."""

    mistake: Mistake
    by_shape: bool = False
    """True when only the shapes (and exceptions) agree: the values hide a second mistake"""

    PREFIX = "Likely mistake: "
    SECOND_MISTAKE = "(The shapes match this mistake but the values differ from it too: look for a second one.)"

    def message(self) -> str:
        text = f"{self.PREFIX}{self.mistake.title}. Fix: {self.mistake.hint}."
        if self.by_shape:
            text += f" {self.SECOND_MISTAKE}"
        return text

    def facts(self) -> dict:
        """The mistake as the verdict carries it (:attr:`Verdict.mistake`); the fix as the message says it."""
        fix = f"{self.mistake.hint}. {self.SECOND_MISTAKE}" if self.by_shape else self.mistake.hint
        return {"title": self.mistake.title.strip(), "fix": fix.strip()}


def find_diagnosis(spec: AssignmentSpec, question: str, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Diagnosis]:
    """Find the catalogued mistake whose outcomes equal the student's on every answered check.

    Entries are tried in catalogue order, first on their values (an exception equals an exception
    of the same type), then the ``loose`` entries with their tolerance, then on the shapes alone
    for entries whose shape differs from the expected one. Where no wrong value shows the mistake
    (the student's code raised, or returned right values, on every check), an entry must raise
    the very same messages.

    Args:
        spec: the assignment, whose catalogue is searched.
        question: the graded function.
        checks: its hidden checks.
        answers: the student's answer of each check (``kind == "raised"`` for an exception),
            None where the call gave no answer (time or memory limit, arguments changed): then
            no entry is named, as none can explain that failure.
    """
    answered = [(c, a) for c, a in zip(checks, answers) if a is not None]
    if not answered or len(answered) < len(checks):
        # A check that gave no answer (it changed its arguments, ran out of time or memory) failed
        # in a way no entry's outcomes can show: a name found on the others would not explain it.
        return None
    entries = spec.catalogue.for_question(question)
    outcomes = {entry.id: [run_entry(entry, c) for c, _ in answered] for entry in entries}
    only_raised = all(a.kind == "raised" for _, a in answered)
    # A wrong value that an entry gives too shows its mistake. Without one, the evidence is the
    # exceptions alone, and many mistakes raise the same type where shapes do not fit: they must
    # then be the very same exceptions, messages and all.
    graded = spec.question(question)
    wrong_value = any(a.kind != "raised" and graded.problem_with(a, c.expected) for c, a in answered)

    def agrees(entry: Mistake, loose: bool) -> bool:
        mine = outcomes[entry.id]
        if not all(_outcomes_agree(m, a, loose) for m, (_, a) in zip(mine, answered)):
            return False
        return wrong_value or all(m.kind != "raised" or m.value == a.value for m, (_, a) in zip(mine, answered))

    for entry in entries:
        if not entry.loose and agrees(entry, loose=False):
            return Diagnosis(entry)
    for entry in entries:
        if entry.loose and agrees(entry, loose=True):
            return Diagnosis(entry)
    if only_raised:
        return None
    for entry in entries:
        mine = outcomes[entry.id]
        distinct = any(
            m.kind != "raised"
            and shape_of(m)[0] == structure_of(c.expected)[0]
            and _has_arrays(shape_of(m))
            and shape_of(m) != structure_of(c.expected)
            for m, (c, _) in zip(mine, answered)
        )
        if distinct and all(
            (m.kind == a.kind == "raised" and m.type_name == a.type_name)
            or (m.kind != "raised" and a.kind != "raised" and shape_of(m) == shape_of(a))
            for m, (_, a) in zip(mine, answered)
        ):
            return Diagnosis(entry, by_shape=True)
    return None


def diagnose(spec: AssignmentSpec, question: str, checks: list[Check], answers: list[Optional[Answer]]) -> Optional[Mistake]:
    """The catalogued mistake that explains the student's answers (see :func:`find_diagnosis`)."""
    found = find_diagnosis(spec, question, checks, answers)
    return found.mistake if found else None


def _shape_problem(question: Question, check: Check, answer: Optional[Answer]) -> bool:
    """Whether a failure is about the type or the shape (reported before wrong values)."""
    if answer is None or answer.kind == "raised" or question.tolerance is None:
        return True
    return shape_of(answer) != structure_of(check.expected)


def _naming(spec: AssignmentSpec, graded: Question, checks: list[Check],
            answers: list[Optional[Answer]]) -> Optional[Diagnosis | Finding]:
    """What names the mistake: a catalogued one, else what the answers show, else None.

    The verdict is already decided: an answer no diagnosis foresaw (an int too large for a float, say)
    must cost the line at most, never the verdict.
    """
    try:
        return find_diagnosis(spec, graded.name, checks, answers) or describe(graded, checks, answers)
    except Exception:  # noqa: BLE001 - see the docstring
        return None


def decide(spec: AssignmentSpec, question: str, checks: list[Check], outcomes: list[dict], seed: int,
          vocabulary: frozenset = frozenset()) -> Verdict:
    """Decide one graded function from the outcomes of its calls (``vocabulary``: the names the
    submission's code uses, which an exception's message may repeat)."""
    if len(outcomes) != len(checks):
        return Verdict(question, False, f"{question}: the grader received no answers for its checks.")
    graded = spec.question(question)
    failures, answers = [], []
    for check, outcome in zip(checks, outcomes):
        problem = outcome_problem(outcome, check, vocabulary)
        answer = None
        if problem is None:
            answer = Answer.decode(outcome.get("value"))
            problem = graded.problem_with(answer, check.expected)
        else:
            if outcome.get("status") in (Status.MISSING, Status.NOT_IMPLEMENTED):
                return Verdict(question, False, f"{question} {problem}")
            if outcome.get("status") == Status.RAISED:
                answer = raised(str(outcome.get("detail", "")))
            problem = f"{question} {problem}"
        answers.append(answer)
        if problem:
            failures.append((check, answer, problem))
    if not failures:
        return Verdict(question, True, f"{question}: all {len(checks)} checks passed.")
    # Shapes first: a wrong shape or type says more than wrong values.
    check, _, problem = min(failures, key=lambda f: not _shape_problem(graded, f[0], f[1]))
    lines = [
        f"{question}: {len(failures)} of {len(checks)} checks failed.",
        f"First failure ({check.label}): {problem}",
    ]
    text = scrub("\n".join(lines), check, len(checks))
    named = _naming(spec, graded, checks, answers)
    if isinstance(named, Diagnosis):
        # a catalogued mistake's title is the grader's own text; what the answers show is scrubbed
        return Verdict(question, False, f"{text}\n{named.message()}", mistake=named.facts())
    if named is not None:
        return Verdict(question, False, f"{text}\n{scrub(named.message(), check, len(checks))}",
                       finding=scrub(named.text, check, len(checks)))
    return Verdict(question, False, text)


_CASE = re.compile(r"^case [0-9a-f]{8}(?:[0-9a-f]{8})?,")
"""A check's label begins with its case's id: 8 hex digits (the build's cases) or 16 (a grading's)."""
_TOKEN = re.compile(r"case [0-9a-f]{8}(?:[0-9a-f]{8})?\b|\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def scrub(message: str, shown: Check, count: int) -> str:
    """A verdict as it may reach the student: every number in it is one the grader chose (a size of
    the check it shows, a product of those sizes, a count of checks, a limit); any other (a length,
    a shape, a count the submission returned) becomes ``…``, so that no answer can carry the hidden
    inputs out in the numbers the feedback repeats of it."""
    from ..protocol import limits

    sizes = {int(v) for v in shown.sizes.values() if isinstance(v, int)}
    sizes.update(int(n) for n in re.findall(r"\b\d+\b", _CASE.sub("", shown.label)))
    allowed = {str(n) for n in _allowed_numbers({str(i): v for i, v in enumerate(sorted(sizes))}, depth=3)}
    allowed |= {str(n) for n in range(0, 17)} | {str(n) for n in range(count + 1)}
    allowed |= {f"{limits.TIME_LIMIT_S:g}", str(limits.MEMORY_LIMIT_MB)}

    def keep(match: re.Match) -> str:
        token = match.group(0)
        return token if token.startswith("case ") or token in allowed else "…"

    return _TOKEN.sub(keep, message)


def error_of(spec: AssignmentSpec, check: Check, answer: Answer) -> float:
    """How far an answer is from the expected one, in units of the tolerance rule.

    Above 1 the check fails. Infinite for an exception, a wrong type or a wrong shape; for the
    questions without a tolerance (counts, shapes, weights) 0 when the judge accepts the answer.
    """
    question = spec.question(check.question)
    if answer.kind == "raised":
        return float("inf")
    if question.tolerance is not None and shape_of(answer) == structure_of(check.expected):
        return question.tolerance(answer, check.expected)
    return 0.0 if question.problem_with(answer, check.expected) is None else float("inf")


def mistake_errors(spec: AssignmentSpec, checks: dict[str, list[Check]]) -> dict[str, list[float]]:
    """Each catalogue entry's error on each check of its question (see :func:`error_of`)."""
    return {
        entry.id: [error_of(spec, c, run_entry(entry, c)) for c in checks[entry.question]] for entry in spec.catalogue
    }
