"""Run a public check as the student reads it: the check's own message, without a test runner's framing.

The public checks travel as otter's exception-format test files (the notebook's metadata and the
student folder's pytest file carry them). The notebook's ``grader.check`` and ``grader.check_all``
and the student folder's pytest file all run them here, so that a failed check reads the same
everywhere: what the check says, not otter's "Error at line 31 in test ..." around it. Where
otter-grader could not be installed, :class:`ChecksWithoutOtter` stands in for it, so that the
checks still run and the submit cell says what to do.

Like the rest of :mod:`gradecore.public`, this is shipped to students and imports nothing but the
standard library.
"""

from __future__ import annotations

import ast
import sys
import traceback
from dataclasses import dataclass
from typing import Optional


def check_functions(source: str) -> list[tuple[str, object]]:
    """The test functions of a public check's file, each with its title (its docstring), ready to call.

    otter's decorators are left out: the functions run without otter.
    """
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            node.decorator_list = []
            space: dict = {}
            exec(compile(ast.Module(body=[node], type_ignores=[]), f"<public check {node.name}>", "exec"), space)
            found.append((ast.get_docstring(node) or node.name, space[node.name]))
    return found


def failure_of(question: str, source: str, namespace: dict) -> Optional[str]:
    """What is wrong with ``question`` as its public check says it, or None when it passes.

    Args:
        question: the graded function's name.
        source: its public check, in otter's exception format.
        namespace: where the student's code ran (a notebook's globals, or a script's namespace).
    """
    if not callable(namespace.get(question)):
        return f"{question} is not defined: run the cell that defines it first"
    for title, function in check_functions(source):
        names = function.__code__.co_varnames[: function.__code__.co_argcount]
        args = [namespace if name == "env" else namespace.get(name) for name in names]
        try:
            function(*args)
        except NotImplementedError:
            return f"{question} is not implemented yet: it raises NotImplementedError"
        except AssertionError as e:
            return f"{title}: {e}"
        except Exception as e:  # the check itself failed (its Keras, say): say where
            where = "".join(traceback.format_exception(e)[-3:])
            return f"{title}: raised {type(e).__name__}: {e}\n{where}"
    return None


@dataclass
class CheckResult:
    """One public check's outcome, as a notebook cell shows it."""

    question: str
    """the graded function"""
    failure: Optional[str]
    """what the check says is wrong; None when it passed"""

    @property
    def passed(self) -> bool:
        return self.failure is None

    def __repr__(self) -> str:
        if self.failure is None:
            return f"✅ {self.question}: its public check passed."
        return f"❌ {self.question}: its public check failed.\n{self.failure}"


@dataclass
class CheckResults:
    """Every public check's outcome, in the notebook's order."""

    results: list[CheckResult]
    """one per graded function"""

    def __repr__(self) -> str:
        return "\n\n".join(repr(r) for r in self.results)


class PublicChecks:
    """The notebook's public checks, run on the notebook's own globals.

    Args:
        tests: each question's public check (otter's exception format), by question.
        order: the questions in the order of the notebook's cells.
    """

    def __init__(self, tests: dict[str, str], order: list[str]):
        self.tests = dict(tests)
        self.order = [q for q in order if q in self.tests] + [q for q in self.tests if q not in order]

    def check(self, question: str, global_env: Optional[dict] = None) -> CheckResult:
        env = global_env if global_env is not None else sys._getframe(1).f_globals
        if question not in self.tests:
            return CheckResult(question, f"there is no public check named {question!r}: the checks are {', '.join(self.order)}")
        return CheckResult(question, failure_of(question, self.tests[question], env))

    def check_all(self, global_env: Optional[dict] = None) -> CheckResults:
        env = global_env if global_env is not None else sys._getframe(1).f_globals
        return CheckResults([self.check(q, env) for q in self.order])


def notebook_order(notebook: dict) -> list[str]:
    """The questions in the order of the notebook's ``grader.check("...")`` cells."""
    order = []
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", [])) if isinstance(cell.get("source"), list) else cell.get("source", "")
        for part in source.split('grader.check("')[1:]:
            question = part.split('"', 1)[0]
            if question not in order:
                order.append(question)
    return order


class ChecksWithoutOtter(PublicChecks):
    """``grader`` where otter-grader could not be installed: the same public checks, run without it,
    and a submit cell that says what to do instead of raising.

    Args:
        notebook: the notebook (its metadata holds the checks).
        assignment: the assignment's name.
        otter_version: the otter-grader the first cell installs.
    """

    def __init__(self, notebook: dict, assignment: str, otter_version: str):
        super().__init__(notebook["metadata"]["otter"]["tests"], notebook_order(notebook))
        self.assignment = assignment
        self.otter_version = otter_version

    def export(self, *args, **kwargs) -> None:
        print(
            f"otter-grader is not installed here (the first cell could not install it: its output says why), so "
            f"no zip can be made. Submit the notebook file itself, {self.assignment}.ipynb (saved; on Colab: File > "
            f"Download > Download .ipynb): it is graded the same way. Or install it with "
            f"%pip install otter-grader=={self.otter_version}, restart the kernel and run the notebook again."
        )
