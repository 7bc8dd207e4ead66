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

import logging
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from .compare import Answer, check_array, same_answer
from .encode import encode_value, private_copy
from .spec import Check, Question
from .structure import describe

LIBRARIES = ("tensorflow", "keras", "tf_keras", "torch", "jax", "jaxlib")
"""Packages a NumPy-only function must not call (the hidden checks cannot even import them)."""


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

    def add(self, label: str, args: list, expected: Any, sizes: Optional[dict] = None) -> None:
        """One call to check: its label (the sizes, in letters), arguments and expected answer."""
        self.cases.append((label, list(args), expected, dict(sizes or {})))

    def _question(self) -> Question:
        def problem_with(answer: Answer, expected: Any) -> Optional[str]:
            return compare(answer, expected, f"the answer of {self.name}", self.names or self.parts, self.truth)

        return Question(self.name, 1, self.name, problem_with, axes=self.axes, sizes=self.sizes, parts=self.parts)

    def run(self, function: Callable) -> None:
        """Call ``function`` on every case; raise AssertionError saying what is wrong, if anything is."""
        question = self._question()
        checks, answers, problems = [], [], []
        for label, args, expected, sizes in self.cases:
            call_args = [private_copy(a) for a in args]
            try:
                got = numpy_only_call(function, *call_args) if self.numpy_only else function(*call_args)
            except NotImplementedError:
                raise
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
                raise AssertionError(f"{self.name} raised {type(e).__name__}: {e} (on {label})") from None
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
        if not problems:
            return
        label, problem = problems[0]
        message = f"{problem.rstrip('.')} (on {label}; {len(problems)} of {len(checks)} checks fail)."
        finding = describe(question, checks, answers)
        if finding is not None:
            end = "" if finding.text.endswith("?") else "."
            message += f" What these checks show: {finding.text}{end}"
        raise AssertionError(message)
