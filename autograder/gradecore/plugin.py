"""Otter plugin: start the judge before the notebook runs and take its verdicts as final.

Otter runs hidden tests inside the student's kernel, where the student's code could rewrite the
test machinery itself. This plugin runs in otter's own process instead. Before execution it
checks that every cell parses, starts the judge (so its Keras work overlaps the notebook's),
pins the kernel to this Python, and arms the kernel (limits on time, memory and output, a guard
against ``os._exit``). It also keeps a kernel that dies from ending the grading run. After
grading it replaces the outcome of every hidden test with the verdict the judge recorded, fails
the hidden test of any function the judge never saw, and says in one line each what went wrong
in the submission's own code.
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from typing import Any, Optional

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files.abstract_test import TestCaseResult

from . import limits, procs, spec, wire
from .launch import PACKAGE_ROOT, start_judge

GUARD_CELL = """\
import gradecore.kernel as _gradecore_kernel
_gradecore_kernel.arm()
del _gradecore_kernel
"""

KERNEL_NAME = "python3"

QUIET_KERNEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quiet.py")

CELL_KEY = "gradecore"
"""Metadata key that numbers the submission's own code cells, to name them in feedback."""

MAX_PROBLEMS_PER_QUESTION = 3

JUDGE_ATTEMPTS = 3
"""Times the plugin asks a judge that is alive for its verdicts before it gives up."""
JUDGE_REPLY_S = 60
"""Seconds one such request may take (the judge answers in milliseconds; a loaded machine is slower)."""
"""How many lines about the submission's own code follow a failed function's verdict."""

_OTTER_NOTEBOOK = re.compile(r"""otter\.Notebook\(\s*["']([^"'/\\]+\.ipynb)["']""")
"""``grader = otter.Notebook("<name>.ipynb")``: otter reads that file by name when grading."""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def _parse_problem(source: str) -> Optional[tuple[int, str]]:
    """``(line, message)`` when a code cell does not parse as IPython would run it, else None."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:
        pass
    try:
        ast.parse(source)
    except SyntaxError as e:
        return e.lineno or 0, e.msg
    return None


def _one_line(text: Any, limit: int = 200) -> str:
    text = " ".join(_ANSI.sub("", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


SKIPPED_LINE_MAGICS = frozenset({"pip", "conda", "mamba", "micromamba", "uv", "system", "sx", "sc", "tensorflow_version"})
"""Line magics that change the environment or run a shell: never run at grading."""
SKIPPED_CELL_MAGICS = frozenset(
    {"bash", "sh", "shell", "script", "system", "sx", "perl", "ruby", "python", "python2", "python3", "pypy"}
)
"""Cell magics that run their body in a shell or another process: never run at grading."""
SKIPPED_COMMAND_CHARS = 120


def _ipython_call(node: ast.AST) -> Optional[tuple[str, list[Optional[str]]]]:
    """``(method, string arguments)`` of a ``get_ipython().method(...)`` call, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    owner = node.func.value
    if not (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "get_ipython"):
        return None
    args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
    return node.func.attr, args


def _shell_command(method: str, args: list[Optional[str]]) -> Optional[str]:
    """The line as the student wrote it, when this IPython call runs a shell or changes the environment."""
    first = args[0] if args else None
    second = args[1] if len(args) > 1 else ""
    if method in ("system", "getoutput"):
        return f"!{first or ''}"
    if method == "run_line_magic" and first in SKIPPED_LINE_MAGICS:
        return f"%{first} {second or ''}".strip()
    if method == "run_cell_magic" and first in SKIPPED_CELL_MAGICS:
        return f"%%{first} {second or ''}".strip()
    return None


def without_shell_escapes(source: str, where: str) -> tuple[str, list[str]]:
    """``(source, commands)``: ``source`` with each shell escape and environment magic replaced by
    a call that runs nothing and says, when reached, that it was skipped (``kernel.skipped``),
    and the commands so replaced. ``where`` names the cell in that message. The source comes back
    unchanged when it has none, or when it does not parse (that is reported elsewhere)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        python = TransformerManager().transform_cell(source)
        tree = ast.parse(python)
    except Exception:
        return source, []
    lines = python.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    skipped: list[str] = []

    def at(line: int, col: int) -> int:  # ast columns count UTF-8 bytes
        return offsets[line - 1] + len(lines[line - 1].encode()[:col].decode())

    kernel = f"__import__({__name__.rsplit('.', 1)[0] + '.kernel'!r}, fromlist=['skipped'])"
    for node in ast.walk(tree):
        call = _ipython_call(node)
        if call is None:
            continue
        method, args = call
        start, end = at(node.lineno, node.col_offset), at(node.end_lineno, node.end_col_offset)
        command = _shell_command(method, args)
        if command is not None:
            shown = _one_line(command, SKIPPED_COMMAND_CHARS)
            edits.append((start, end, f"{kernel}.skipped({f'{where} (line {node.lineno})'!r}, {shown!r})"))
            skipped.append(shown)
        elif method == "run_cell_magic" and len(args) > 2 and args[2] is not None:
            body, inner = without_shell_escapes(args[2], where)
            if inner:
                # %%capture, %%time ...: their body is IPython code too.
                arg = node.args[2]
                edits.append((at(arg.lineno, arg.col_offset), at(arg.end_lineno, arg.end_col_offset), repr(body)))
                skipped += inner
    if not edits:
        return source, []
    edits.sort()
    for start, end, text in reversed([e for i, e in enumerate(edits) if i == 0 or e[0] >= edits[i - 1][1]]):
        python = python[:start] + text + python[end:]
    return python, skipped


class JudgePlugin(AbstractOtterPlugin):
    """Runs the assignment's judge beside otter and makes its verdicts authoritative.

    Its configuration in ``otter_config.json`` names the assignment: ``{"assignment": NAME}``.
    """

    judge: subprocess.Popen | None = None
    workdir: str | None = None

    def before_execution(self, submission):
        self.script = os.path.splitext(str(self.submission_path))[1] == ".py"
        self.problems: list[str] = []
        self.unparsable: set[int] = set()
        self.kernel_died_in: Optional[Any] = None
        self.judge_silent = False
        self.oom_kills_before = procs.oom_kills()
        self.running_cell: Optional[Any] = None
        self.assignment = str((self.plugin_config or {}).get("assignment", ""))
        self.questions = spec.load(self.assignment).names
        self._check_cells(submission)
        self._skip_shell_escapes(submission)
        self._answer_to_its_own_name(submission)
        self.workdir = tempfile.mkdtemp(prefix="rnn-shapes-")
        shared = os.environ.get(limits.SHARED_JUDGE_VARIABLE, "")
        self.judge_was_ours = not (shared and os.path.exists(shared))
        if not self.judge_was_ours:
            # A batch (rnn-shapes grade) started one judge for all its submissions.
            socket_path = shared
        else:
            socket_path = os.path.join(self.workdir, "judge.sock")
            self.judge = start_judge(socket_path, self.assignment, self._zip_root())
            os.environ[limits.JUDGE_PID_VARIABLE] = str(self.judge.pid)
        os.environ[limits.JUDGE_VARIABLE] = socket_path
        os.environ[limits.SESSION_VARIABLE] = secrets.token_hex(16)
        os.environ[limits.ASSIGNMENT_VARIABLE] = self.assignment
        self._pin_kernel(submission)
        submission.cells.insert(0, nbformat.v4.new_code_cell(GUARD_CELL))
        self._survive_kernel_death()
        return submission

    def _zip_root(self) -> str:
        """Where the judge's code comes from: the autograder zip being graded.

        otter unpacks the zip into ``<dir>/source`` and runs the submission from ``<dir>/submission``.
        The zip's own grader, with the truths its build shipped, judges, even where this plugin
        was imported from an installed copy of the package.
        """
        source = os.path.abspath(os.path.join(os.pardir, "source"))
        grader = os.path.join(source, *spec.module_name(self.assignment).split("."))
        if os.path.isfile(os.path.join(source, "gradecore", "judge.py")) and os.path.isdir(grader):
            return source
        return PACKAGE_ROOT

    def _system_killed_for_memory(self) -> bool:
        """Whether the system killed a process for lack of memory while this submission was graded
        (its out-of-memory count rose): the kernel's death is then the grader's limit, not the
        submission's doing."""
        after = procs.oom_kills()
        return self.oom_kills_before is not None and after is not None and after > self.oom_kills_before

    def _where(self, cell, line: Optional[int] = None) -> str:
        at = f" (line {line})" if line else ""
        if self.script:
            return f"the script{at}"
        number = cell.get("metadata", {}).get(CELL_KEY, {}).get("cell") if cell is not None else None
        return f"code cell {number}{at}" if number else "the grader's own cells"

    def _check_cells(self, notebook) -> None:
        """Number the submission's code cells and note those that do not parse."""
        code = [c for c in notebook.cells if c.cell_type == "code"]
        for number, cell in enumerate(code, start=1):
            cell.metadata[CELL_KEY] = {"cell": number}
            problem = _parse_problem(cell.source)
            if problem is None:
                continue
            line, message = problem
            self.unparsable.add(number)
            if self.script:
                self.problems.append(
                    f"the submission does not parse: line {line}: {message}. Python could not run any of it."
                )
            else:
                self.problems.append(
                    f"code cell {number} does not parse: line {line}: {message}. Nothing in that cell ran."
                )
        if not any(c.source.strip() for c in code):
            self.problems.append("the submission is empty: it has no code, so none of the functions exist.")

    def _skip_shell_escapes(self, notebook) -> None:
        """Keep shell escapes and environment magics (``!``, ``%pip``, ``%conda``, ``%%bash``,
        ``%system``) from running: grading without containers shares one environment and disk
        between submissions. Each becomes a call that tells the feedback it was skipped."""
        for cell in notebook.cells:
            if cell.cell_type == "code" and cell.get("metadata", {}).get(CELL_KEY, {}).get("cell") not in self.unparsable:
                cell.source, _ = without_shell_escapes(cell.source, self._where(cell))

    def _answer_to_its_own_name(self, notebook) -> None:
        """Let a notebook saved under another file name find itself.

        The notebook's first cell, ``grader = otter.Notebook("<name>.ipynb")``, reads that
        file: under another name the cell fails, ``grader`` is undefined and every public check
        cell fails with it. A copy under the expected name, beside the submission, fixes that.
        """
        self.name_copy = None
        if self.script:
            return
        for cell in notebook.cells:
            found = _OTTER_NOTEBOOK.search(cell.source) if cell.cell_type == "code" else None
            if found:
                if not os.path.exists(found.group(1)):
                    nbformat.write(notebook, found.group(1))
                    self.name_copy = os.path.abspath(found.group(1))
                return

    def _survive_kernel_death(self) -> None:
        """Keep a dead kernel from ending the grading run without results.

        nbclient raises ``DeadKernelError`` out of otter's ``grade_notebook`` when the kernel
        process dies (killed by the system for memory, ``os.kill``, a crash in C code), and otter
        then writes no results at all. Here the run goes on to ``after_grading``, which gives each
        function the judge's verdict, or says that its checks did not run and why.
        """
        from nbclient.exceptions import DeadKernelError
        from nbconvert.preprocessors import ExecutePreprocessor

        plugin = self
        preprocess, preprocess_cell = ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell

        def watched_cell(ep, cell, resources, index):
            plugin.running_cell = cell
            return preprocess_cell(ep, cell, resources, index)

        def surviving(ep, nb, resources=None, km=None):
            try:
                return preprocess(ep, nb, resources, km)
            except DeadKernelError:
                plugin.kernel_died_in = plugin.running_cell or {}
                return nb, resources or {}

        def restore():
            ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell = preprocess, preprocess_cell

        ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell = surviving, watched_cell
        self._restore_executor = restore

    def _pin_kernel(self, notebook) -> None:
        """Run the notebook in this Python, whatever kernel it was saved with.

        A notebook saved with another kernel name fails to start, and a user-level ``python3``
        kernelspec elsewhere would win over this environment's; ``JUPYTER_PATH`` comes first.
        """
        spec_dir = os.path.join(self.workdir, "jupyter", "kernels", KERNEL_NAME)
        os.makedirs(spec_dir)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump(
                {
                    # ipykernel_launcher, with TensorFlow's start-up chatter kept off the terminal.
                    "argv": [sys.executable, QUIET_KERNEL, "-f", "{connection_file}"],
                    "display_name": "Python 3 (rnn-shapes grading)",
                    "language": "python",
                },
                f,
            )
        previous = os.environ.get("JUPYTER_PATH")
        jupyter_dir = os.path.join(self.workdir, "jupyter")
        os.environ["JUPYTER_PATH"] = jupyter_dir + (os.pathsep + previous if previous else "")
        notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}

    def _ask_judge(self, op: str) -> Any:
        """The judge's answer to ``op``, or None when the judge is gone (the student may kill it).

        A judge that runs but does not answer (a grading machine too loaded to schedule it) is
        asked again; if it never answers, ``judge_silent`` is set: the feedback then says that the
        machine failed, not the submission.
        """
        path = os.environ.get(limits.JUDGE_VARIABLE, "")
        for _ in range(JUDGE_ATTEMPTS):
            if not os.path.exists(path):
                return None
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                    sock.settimeout(JUDGE_REPLY_S)
                    sock.connect(path)
                    with sock.makefile("rb") as rfile, sock.makefile("wb") as wfile:
                        wire.send(wfile, {"op": op, "session": os.environ.get(limits.SESSION_VARIABLE, "")})
                        return wire.recv(rfile)
            except (OSError, EOFError, ValueError):
                pid = int(os.environ.get(limits.JUDGE_PID_VARIABLE, "0") or 0)
                if not (pid and procs.alive(pid)):
                    return None
        self.judge_silent = True
        return None

    def _execution_problems(self, notebook) -> list[str]:
        """One line for each error, stop or flood of output in the submission's own cells."""
        from .limits import CELL_TIME_LIMIT_S, OUTPUT_LIMIT_CHARS, OUTPUT_TRUNCATED

        rest = "the rest of the script did not run" if self.script else "the rest of that cell did not run"
        problems = []
        for cell in (notebook.cells if notebook is not None else []):
            if cell.cell_type != "code":
                continue
            number = cell.get("metadata", {}).get(CELL_KEY, {}).get("cell")
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and OUTPUT_TRUNCATED in output.get("text", ""):
                    problems.append(
                        f"{self._where(cell)} printed more than {OUTPUT_LIMIT_CHARS} characters; the grader "
                        "dropped the rest of the output."
                    )
                if output.get("output_type") != "error" or number is None:
                    continue
                ename, evalue = str(output.get("ename", "")), _one_line(output.get("evalue", ""))
                if ename in ("SyntaxError", "IndentationError", "TabError") and number in self.unparsable:
                    continue
                found = _CELL_LINE.search(_ANSI.sub("", "\n".join(output.get("traceback", []))))
                where = self._where(cell, int(found.group(1)) if found else None)
                if ename == "TimeLimitExceeded":
                    problems.append(
                        f"{where} was stopped after {CELL_TIME_LIMIT_S:g} seconds, the grader's limit per "
                        f"cell: is there an endless loop at top level? ({rest})."
                    )
                elif ename == "SystemExit" and evalue.startswith("os._exit"):
                    problems.append(f"{where} called {evalue.split(' is ')[0]}, which grading refuses; {rest}.")
                elif ename == "SystemExit":
                    problems.append(f"{where} called sys.exit({evalue}); {rest}.")
                elif ename == "MemoryError":
                    problems.append(f"{where} ran out of memory (MemoryError): does it build a huge array? {rest}.")
                else:
                    problems.append(f"{where} raised {ename}: {evalue}; {rest}.")
        return problems

    def after_grading(self, results):
        try:
            verdicts = self._ask_judge("verdicts") or {}
            notes = [] if self.judge_silent else self._ask_judge("notes") or []
        finally:
            self._stop()
        problems = list(self.problems)
        missing = not isinstance(verdicts, dict) or any(q not in verdicts for q in self.questions)
        self.out_of_memory = (self.kernel_died_in is not None or missing) and self._system_killed_for_memory()
        if self.kernel_died_in is not None and self.out_of_memory:
            problems.append(
                f"{limits.OUT_OF_MEMORY}: the system killed the kernel for lack of memory while it ran "
                f"{self._where(self.kernel_died_in)}, so nothing after it ran. This is a limit of the grading "
                f"machine, not a wrong answer: {limits.RAISE_MEMORY}."
            )
        elif self.out_of_memory:
            problems.append(
                f"{limits.OUT_OF_MEMORY}: the system killed a grading process for lack of memory. This is a "
                f"limit of the grading machine, not a wrong answer: {limits.RAISE_MEMORY}."
            )
        elif self.kernel_died_in is not None:
            problems.append(
                f"the kernel died while running {self._where(self.kernel_died_in)} (stopped by the submission, "
                "a crash or the system); nothing after it ran."
            )
        problems += self._execution_problems(results.notebook)
        if getattr(results, "_catastrophic_error", None) is not None:
            # otter could not read its own results (the kernel died or its last cell was stopped);
            # the judge's verdicts below are complete without them.
            results._catastrophic_error = None
        problems += [str(n) for n in notes if isinstance(n, str)]
        problems = list(dict.fromkeys(problems))
        self._replace_hidden_results(results, verdicts, problems)
        if problems:
            results.output = "Problems found while running the submission:\n" + "\n".join(f"- {p}" for p in problems)

    def _replace_hidden_results(self, results, verdicts: dict, problems: list[str]) -> None:
        from otter.nbmeta_config import NBMetadataConfig
        from otter.test_files import create_test_file

        why = "".join(f"\n⚠ {p}" for p in problems[:MAX_PROBLEMS_PER_QUESTION])
        for question in self.questions:
            test_file = results.results.get(question)
            if test_file is None:
                path = os.path.join("tests", f"{question}.py")
                if not os.path.exists(path):
                    continue
                test_file = create_test_file(path, NBMetadataConfig())
                test_file.test_case_results = [
                    TestCaseResult(tc, "not run: the notebook stopped before this check", False)
                    for tc in test_file.test_cases
                ]
                results.results[question] = test_file
            verdict = verdicts.get(question) if isinstance(verdicts, dict) else None
            for i, result in enumerate(test_file.test_case_results):
                if not result.test_case.hidden:
                    continue
                if not isinstance(verdict, dict) and getattr(self, "out_of_memory", False):
                    message = (
                        f"❌ {question}: not graded: {limits.OUT_OF_MEMORY} before its hidden checks ran; "
                        f"{limits.RAISE_MEMORY}." + why
                    )
                    test_file.test_case_results[i] = TestCaseResult(result.test_case, message, False)
                elif not isinstance(verdict, dict) and getattr(self, "judge_silent", False):
                    message = (
                        f"❌ {question}: not graded: {limits.JUDGE_SILENT} (asked {JUDGE_ATTEMPTS} times, "
                        f"{JUDGE_REPLY_S:g} s each). This is a fault of the grading machine, not of the "
                        "submission: grade it again." + why
                    )
                    test_file.test_case_results[i] = TestCaseResult(result.test_case, message, False)
                elif not isinstance(verdict, dict):
                    message = (
                        f"❌ {question}: the hidden checks did not run. The submission stopped the "
                        "kernel, or changed the grader, before they could." + why
                    )
                    test_file.test_case_results[i] = TestCaseResult(result.test_case, message, False)
                else:
                    passed = verdict.get("passed") is True
                    mark = "✅" if passed else "❌"
                    message = f"{mark} {verdict.get('message', '')}" + ("" if passed else why)
                    test_file.test_case_results[i] = TestCaseResult(result.test_case, message, passed)

    def _stop(self) -> None:
        restore = getattr(self, "_restore_executor", None)
        if restore is not None:
            restore()
            self._restore_executor = None
        if self.judge is not None:
            self.judge.kill()
            self.judge.wait()
            self.judge = None
        if getattr(self, "name_copy", None):
            os.remove(self.name_copy)
            self.name_copy = None
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
        os.environ.pop(limits.JUDGE_VARIABLE, None)
        os.environ.pop(limits.SESSION_VARIABLE, None)
        os.environ.pop(limits.ASSIGNMENT_VARIABLE, None)
        if getattr(self, "judge_was_ours", False):
            os.environ.pop(limits.JUDGE_PID_VARIABLE, None)

    def generate_report(self):
        return ""
