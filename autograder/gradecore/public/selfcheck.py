"""The public checks' helper: the student's function against the student's own Keras, on sizes
everyone can see, with the same structural diagnosis as the hidden checks.

A public check (in the notebook's ``grader.check`` cells and the student folder's pytest file)
builds a few Keras models of its own, adds each as a case to a :class:`SelfCheck` and calls
:meth:`SelfCheck.run` with the student's function. What a wrong answer shows ("right for the
first sample only", "off by the same vector for every sample", "it grows with T") comes from
:func:`gradecore.public.structure.describe`, as at grading. A function that must compute with NumPy
alone is watched while it runs: a call into TensorFlow, Keras, PyTorch or JAX is reported, as
grading would score it 0.

This module and the others of :mod:`gradecore.public` are shipped to students (the build packs
them into the notebook as ``gradecore_public``). They hold no hidden
case, truth or mistake, and import nothing but NumPy.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from .compare import Answer, check_array, same_answer
from .encode import encode_value, private_copy
from .spec import Check, Question
from .structure import CALLED_AGAIN, describe

LIBRARIES = ("tensorflow", "keras", "tf_keras", "torch", "jax", "jaxlib")
"""Packages a NumPy-only function must not call (the hidden checks cannot even import them)."""


TIME_LIMIT_S = 10
"""Seconds one call of the student's function may take, as at grading (the references need under a
millisecond): a call that never returns is stopped and named instead of keeping the check running."""


FAILS = "a wrong answer"
"""An alternative's value on a check where the mistake it names gives some wrong answer, whatever it is
(``{"fails only where k > T": FAILS}`` on those checks, the expected answer on the others)."""


def miscounted(sizes: dict[str, int], steps: int = 0, packed: Optional[dict[str, int]] = None,
               biases: tuple[str, ...] = ()) -> dict[str, int]:
    """What a parameter count answers with one array miscounted, by the sentence that names the mistake: for
    :meth:`SelfCheck.add`'s ``alternatives`` of a count question.

    Args:
        sizes: the number of values of each weight array of the model (``model.get_weights()``), by the
            name the sentences give it; their sum is the right count.
        steps: the sequence length T of the check (an array counted once per step), 0 where it has none.
        packed: for arrays that hold several gates side by side, how many (an array counted as one gate's).
        biases: the names of the bias arrays. A count off by one bias's size for another's (total - a + b)
            is just as well one bias left out and the other counted twice (two biases, as in PyTorch, and
            the Dense bias forgotten): the count cannot tell which, so neither is named.
    """
    total = sum(sizes.values())
    found = {}
    for name, size in sizes.items():
        found[f"{name} is not counted"] = total - size
        found[f"{name} is counted twice"] = total + size
        if steps:
            found[f"{name} is counted once per step (T times): every step uses the same weights"] = total + (steps - 1) * size
        if packed and name in packed:
            found[f"{name} is counted as one gate's: it holds {packed[name]} gates side by side"] = total - size + size // packed[name]
    if packed:
        gates = next(iter(packed.values()))
        for blocks in (gates - 1, gates + 1):
            found[f"{blocks} gate blocks are counted where the layer has {gates}"] = total + sum(
                (blocks - gates) * sizes[name] // gates for name in packed)
    for name, size in sizes.items():
        for other, other_size in sizes.items():
            if other != name and not (name in biases and other in biases):
                found[f"{name} is counted with the size of {other}"] = total - size + other_size
    return found


class TimedOut(BaseException):
    """A call ran past :data:`TIME_LIMIT_S` (a BaseException, so that the student's ``except Exception`` cannot swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise :class:`TimedOut` in the block after ``seconds``, where a timer signal can be had (the main
    thread on Linux and macOS: Jupyter's cells and pytest's tests run there); elsewhere, no limit."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise TimedOut()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def predict(model: Any, X: np.ndarray) -> np.ndarray:
    """``model.predict(X)``, without TensorFlow's retracing warnings in the student's notebook."""
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return model.predict(X, verbose=0)
    finally:
        logger.setLevel(level)


class NotNumpyOnly(Exception):
    """A NumPy-only function called into one of :data:`LIBRARIES`."""


def _library_of(filename: str) -> Optional[str]:
    parts = filename.replace("\\", "/").split("/")
    for i, part in enumerate(parts[:-1]):
        if part in ("site-packages", "dist-packages") and parts[i + 1].split(".")[0] in LIBRARIES:
            return parts[i + 1].split(".")[0]
    return None


def numpy_only_call(function: Callable, *args: Any) -> Any:
    """Call ``function``, raising :class:`NotNumpyOnly` when it (or a thread it starts) calls a library.

    The hidden checks enforce the rule by running the function where those libraries cannot be
    imported; this watch only tells the student early, with the library's name.
    """
    seen: list[str] = []

    def watch(frame, event, arg):
        if event == "call":
            library = _library_of(frame.f_code.co_filename)
        elif event == "c_call":
            library = str(getattr(arg, "__module__", "") or "").split(".")[0]
            library = library if library in LIBRARIES else None
        else:
            return
        if library and not seen:
            seen.append(library)

    previous, previous_threads = sys.getprofile(), threading.getprofile()
    threading.setprofile(watch)
    sys.setprofile(watch)
    try:
        result = function(*args)
    finally:
        sys.setprofile(previous)
        threading.setprofile(previous_threads)
    if seen:
        raise NotNumpyOnly(seen[0])
    return result


def _unchanged(given: Any, original: Any) -> bool:
    """Whether an argument still holds what it was given (arrays, also inside lists and tuples)."""
    if isinstance(original, np.ndarray):
        return isinstance(given, np.ndarray) and given.shape == original.shape and np.array_equal(given, original, equal_nan=True)
    if isinstance(original, (list, tuple)):
        return len(given) == len(original) and all(_unchanged(g, o) for g, o in zip(given, original))
    return True


def compare(answer: Answer, expected: Any, what: str, names: tuple[str, ...] = (), truth: str = "Keras") -> Optional[str]:
    """None when an answer equals the expected value, else what differs first, named by its place.

    Arrays are compared as the hidden checks compare them (type, then shape, then values within
    the tolerance); sequences and dicts item by item, ``names`` naming the top-level items.
    """
    if isinstance(expected, np.ndarray):
        return check_array(answer, expected, what, truth)
    if isinstance(expected, tuple) and expected and all(type(d) is int for d in expected):
        got = tuple(item.value for item in answer.value) if answer.kind in ("list", "tuple") else None
        if got is None or any(item.kind != "int" for item in answer.value):
            return f"{what} should be a tuple of ints such as {expected}, got a {answer.type_name}."
        return None if got == expected else f"{what} should be {expected}, got {got}."
    if isinstance(expected, (list, tuple)):
        if answer.kind not in ("list", "tuple") or len(answer.value) != len(expected):
            size = f"{len(answer.value)} items" if answer.kind in ("list", "tuple") else f"a {answer.type_name}"
            return f"{what} should be a sequence of {len(expected)} items, got {size}."
        for i, (item, want) in enumerate(zip(answer.value, expected)):
            problem = compare(item, want, names[i] if i < len(names) else f"{what}[{i}]", truth=truth)
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        if answer.kind != "dict" or set(answer.value) != set(expected):
            keys = ", ".join(repr(k) for k in expected)
            return f"{what} should be a dict with the keys {keys}, got a {answer.type_name}."
        for key, want in expected.items():
            problem = compare(answer.value[key], want, f"{what}[{key!r}]", truth=truth)
            if problem:
                return problem
        return None
    if same_answer(answer, Answer.decode(encode_value(expected))) and (answer.kind == "bool") == isinstance(expected, bool):
        return None
    return f"{what} differs from {truth}."


@dataclass
class SelfCheck:
    """Cases of one question, checked together so that what the wrong answers show can be said.

    Args mirror :class:`gradecore.public.spec.Question`: ``axes`` names the axes of an array answer,
    ``sizes`` the size arguments of a count, ``parts`` the arrays of a tuple answer.
    """

    name: str
    """the student's function, as the question is named"""
    axes: str = ""
    sizes: str = ""
    parts: tuple[str, ...] = ()
    numpy_only: bool = False
    """the function must compute with NumPy alone"""
    truth: str = "Keras"
    """what the expected answers come from, as the messages say it"""
    names: tuple[str, ...] = ()
    """the names of the items of a tuple answer, for the messages (``("Wx", "Wh", ...)``)"""
    keeps_arguments: bool = False
    """the function must leave the arrays it is given as they are (and return new ones)"""
    cases: list[tuple[str, list, Any, dict]] = field(default_factory=list)
    alternatives: list[dict[str, Callable[[], Any]]] = field(default_factory=list)
    """for each case, what a mistaken function would answer: a sentence naming the mistake, and a
    function computing that answer with the student's own library (called only when a check fails)"""
    time_limit_s: float = TIME_LIMIT_S
    """seconds one call may take before it is stopped and reported as an endless loop"""
    probes: dict[str, Callable[[Callable], bool]] = field(default_factory=dict)
    """mistakes no alternative can show (a random initial state has values no model can know), by the
    sentence that names each: a test that calls the student's function on inputs of its own and says
    whether the mistake shows. Run only when a check fails and no alternative explains every check; a
    probe that raises or runs past the time limit names nothing."""

    def add(self, label: str, args: list, expected: Any, sizes: Optional[dict] = None,
            alternatives: Optional[dict[str, Callable[[], Any]]] = None) -> None:
        """One call to check: its label (the sizes, in letters), arguments and expected answer.

        Args:
            alternatives: what the answer would be with one mistake (the same model with a bias
                zeroed, a kernel transposed, the gates in another order, ...), by the sentence that
                names the mistake; each is computed, with the student's own library, only when a
                check fails, and named only when it explains every check (see :meth:`run`).
        """
        self.cases.append((label, list(args), expected, dict(sizes or {})))
        self.alternatives.append(dict(alternatives or {}))

    def _alternative(self, answers: list[Answer], failing: list[int]) -> Optional[str]:
        """The first alternative that equals the student's answer on every check that has it,
        failing checks included (each failing check must have it, and one at least must compute it):
        None when none explains every check. An alternative that cannot be computed on a check (its
        arrays do not fit) stands for a call that raises there."""
        names = [n for n in (self.alternatives[failing[0]] if failing else {}) if all(n in self.alternatives[i] for i in failing)]
        order = failing + [i for i in range(len(answers)) if i not in failing]
        for name in names:
            computed = False
            for i in order:
                compute = self.alternatives[i].get(name)
                if compute is None:
                    continue
                if compute is FAILS:
                    if i not in failing:
                        break
                    computed = True
                    continue
                try:
                    value = compute() if callable(compute) else compute
                except Exception as e:
                    # The mistake cannot be made on this check (a kernel of another shape): it would raise.
                    if answers[i].kind != "raised":
                        break
                    # The very same exception (type and message) is evidence; another one only fits.
                    computed = computed or (i in failing and answers[i].value == f"{type(e).__name__}: {e}")
                    continue
                computed = computed or i in failing
                if answers[i].kind == "raised" or compare(answers[i], value, "the answer", self.names or self.parts, self.truth) is not None:
                    break
            else:
                if computed:
                    return name
        return None

    def _probed(self, function: Callable) -> Optional[str]:
        """The sentence of the first probe whose mistake shows in ``function``, if any."""
        for sentence, shows in self.probes.items():
            try:
                with time_limit(self.time_limit_s):
                    if shows(function):
                        return sentence
            except (Exception, TimedOut):
                continue
        return None

    def _called_again(self, function: Callable, answers: list[Answer], which: list[int]) -> Optional[str]:
        """:data:`~gradecore.public.structure.CALLED_AGAIN` where ``function``, called again on the cases
        ``which``, answers one of them other than the first time (a state kept from one call to the next, or
        randomness): another value, or an exception where it had answered, or the other way round. None
        where it answers each the same, or a call runs past the time limit."""
        for i in dict.fromkeys(which):
            try:
                with time_limit(self.time_limit_s):
                    again = Answer.decode(encode_value(function(*[private_copy(a) for a in self.cases[i][1]])))
            except TimedOut:
                return None
            except Exception as e:
                again = Answer("raised", type(e).__name__, f"{type(e).__name__}: {e}")
            if not same_answer(again, answers[i]):
                return CALLED_AGAIN
        return None

    def _question(self) -> Question:
        def problem_with(answer: Answer, expected: Any) -> Optional[str]:
            return compare(answer, expected, f"the answer of {self.name}", self.names or self.parts, self.truth)

        return Question(self.name, 1, self.name, problem_with, axes=self.axes, sizes=self.sizes, parts=self.parts)

    def run(self, function: Callable) -> None:
        """Call ``function`` on every case; raise AssertionError saying what is wrong, if anything is."""
        question = self._question()
        checks, answers, problems, failing = [], [], [], []
        for label, args, expected, sizes in self.cases:
            call_args = [private_copy(a) for a in args]
            try:
                with time_limit(self.time_limit_s):
                    got = numpy_only_call(function, *call_args) if self.numpy_only else function(*call_args)
            except NotImplementedError:
                raise
            except TimedOut:
                raise AssertionError(
                    f"{self.name} did not return within {self.time_limit_s:g} seconds (on {label}): is there an endless loop?"
                ) from None
            except NotNumpyOnly as e:
                raise AssertionError(
                    f"{self.name} called {e.args[0]}: it must compute with NumPy alone. At grading, "
                    f"TensorFlow, Keras, PyTorch and JAX are not loaded, and a call into one earns 0 for {self.name}."
                ) from None
            except NameError as e:
                raise AssertionError(
                    f"{self.name} raised NameError: {e} (on {label}). If a later cell defines that name, run it "
                    f"first: grading runs every cell before it calls {self.name}, so that order is fine there."
                ) from None
            except Exception as e:
                # Go on with the other checks: where it raises and where it does not can name the mistake.
                checks.append(Check(self.name, label, args, expected, list(args), sizes=sizes))
                answers.append(Answer("raised", type(e).__name__, f"{type(e).__name__}: {e}"))
                problems.append((label, f"{self.name} raised {type(e).__name__}: {e}"))
                failing.append(len(answers) - 1)
                continue
            if self.keeps_arguments and not all(_unchanged(a, b) for a, b in zip(call_args, args)):
                raise AssertionError(
                    f"{self.name} changed the arrays it was given (on {label}): leave them as they are and return new arrays."
                )
            answer = Answer.decode(encode_value(got))
            checks.append(Check(self.name, label, args, expected, list(args), sizes=sizes))
            answers.append(answer)
            problem = question.problem_with(answer, expected)
            if problem:
                problems.append((label, problem))
                failing.append(len(answers) - 1)
        if not problems:
            # As the hidden checks ask a check again: an answer that changes from one call to the next fails.
            # The last check is asked, right after its own call: a state kept in a global is then its own.
            if answers and self._called_again(function, answers, [len(answers) - 1]):
                raise AssertionError(f"{self.name} answers {self.cases[-1][0]} right, then otherwise when it is called "
                                     f"again with the same arguments. What these checks show: {CALLED_AGAIN}")
            return
        label, problem = problems[0]
        message = f"{problem.rstrip('.')} (on {label}; {len(problems)} of {len(checks)} checks fail)."
        named = self._alternative(answers, failing)
        if named is None:
            named = self._probed(function)
        if named is None:
            named = self._called_again(function, answers, [len(answers) - 1, failing[0]])
        if named is not None:
            end = "" if named.endswith("?") else "."
            raise AssertionError(f"{message} Likely mistake: {named}{end}")
        finding = describe(question, checks, answers)
        if finding is not None:
            end = "" if finding.text.endswith("?") else "."
            message += f" What these checks show: {finding.text}{end}"
        raise AssertionError(message)
