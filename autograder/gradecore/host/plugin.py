"""Otter plugin: grade in sealed processes, and write the results from the trusted side alone.

Otter runs hidden tests inside the student's kernel, and reads back what the kernel hands it (a
pickle). This plugin runs in otter's own process and trusts none of it. Trust steps, in order:

1. ``before_grading``: otter's own ways for the kernel to run code here are shut (the pickled
   results, the pickled log records of its logging server, a submitted ``.OTTER_LOG``), and the
   grading code otter copied beside the submission (the truths, the seed, the catalogue) is
   removed from it;
2. ``before_execution``: the points and titles come from the zip's ``assignment.json``; the judge
   starts on private pipes; the submission's code, as read from the file, runs in a sealed run
   (:mod:`gradecore.host.sealing`) that answers the hidden calls whose arguments are data, and
   another that may load the library for the calls whose argument is a Keras model; the kernel
   is pinned to a confined launcher and sees no hidden input;
3. ``after_grading``: everything the sandbox started is ended, and the results are built afresh:
   a question's points are the judge's verdict on its calls, nothing else; beside the messages, the
   grading's facts (:mod:`gradecore.protocol.facts`) go in ``results.json``'s ``extra_data``, from the
   verdicts and the plugin alone.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sys
import threading
from typing import Any, Callable, Optional

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files import GradingResults
from otter.test_files.abstract_test import TestCase, TestCaseResult, TestFile

from ..kernel import memory
from ..protocol import about, facts, limits, settings
from ..public import spec
from ..sandbox import confine
from . import procs, sealing
from .judge_client import ATTEMPTS as JUDGE_ATTEMPTS
from .judge_client import REPLY_S as JUDGE_REPLY_S
from .judge_client import JudgeClient, JudgeGone, JudgeSilent
from .launch import PACKAGE_ROOT

GUARD_CELL = """\
import gradecore.kernel.calls as _gradecore_kernel
_gradecore_kernel.arm()
del _gradecore_kernel
"""

KERNEL_NAME = "python3"

QUIET_KERNEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernelspec.py")

CELL_KEY = "gradecore"
"""Metadata key that numbers the submission's own code cells, to name them in feedback."""

MAX_PROBLEMS_PER_QUESTION = 3

"""How many lines about the submission's own code follow a failed function's verdict."""

KERNEL_POLICY_VARIABLE = "GRADECORE_KERNEL_POLICY"
"""Set in the kernelspec for the launcher (:mod:`gradecore.host.kernelspec`): the file with the kernel's
sandbox policy. Read and removed by the launcher before anything of the student's runs."""

GRADER_COPIES = ("gradecore", "assignments")
"""What otter's runner copies from the zip's ``files/`` beside the submission: the grading code,
the truths and the seed. The kernel must not see them; the plugin removes them first."""

OTTER_LOG = ".OTTER_LOG"
"""otter unpickles a submitted file of this name in its own process: the plugin removes it."""

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

    kernel = f"__import__({__name__.rsplit('.', 2)[0] + '.kernel.calls'!r}, fromlist=['skipped'])"
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


ISOLATION_LINE = "Isolation: "
FAULT_LINE = "Machine fault: "
"""The first lines of the overall output, written by the plugin alone (the submission's own text
comes after them, each line behind "- "): the grading's isolation and a fault of the grading
machine, for people. Programs read the same from the grading's facts (:mod:`gradecore.protocol.facts`)."""


class SealedResults(GradingResults):
    """otter's results as the plugin builds them: no "Public Tests" entry, since grading runs no
    public check (otter would write "All test cases passed!" for none), and the grading's facts
    (:mod:`gradecore.protocol.facts`) in Gradescope's ``extra_data``."""

    grading_facts: Optional[facts.GradingFacts] = None
    """set by the plugin (:meth:`JudgePlugin.after_grading`)"""

    def to_gradescope_dict(self, ag_config):
        output = super().to_gradescope_dict(ag_config)
        output["tests"] = [t for t in output.get("tests", []) if t.get("name") != "Public Tests"]
        if self.grading_facts is not None:
            output.setdefault("extra_data", {})[facts.EXTRA_DATA_KEY] = self.grading_facts.to_json()
        return output


class Verdicts(TestFile):
    """One question's result, built by the plugin from the judge's verdict."""

    @classmethod
    def from_file(cls, path):
        raise NotImplementedError("built by the plugin, never read from a file")

    @classmethod
    def from_metadata(cls, s, path):
        raise NotImplementedError("built by the plugin, never read from a notebook")

    def run(self, global_environment):
        raise NotImplementedError("decided by the judge, never run in the kernel")


def _not_a_pickle(*args, **kwargs):
    """otter's ``pickle`` where it reads the kernel's results: nothing of the kernel is unpickled;
    the plugin writes every result itself (:meth:`JudgePlugin.after_grading`)."""
    return SealedResults([])


def _no_log_server():
    """otter's logging server unpickles whatever connects to it: none is started."""
    return ("127.0.0.1", 9), lambda: None


def shut_otters_doors() -> None:
    """Keep otter's process from running code that the kernel chose (see the module's docstring)."""
    import types

    import otter.execute

    otter.execute.pickle = types.SimpleNamespace(load=_not_a_pickle, loads=_not_a_pickle)
    otter.execute.start_server = _no_log_server


class JudgePlugin(AbstractOtterPlugin):
    """Grades each submission in sealed processes and writes the results from the trusted side.

    Its configuration in ``otter_config.json`` names the assignment: ``{"assignment": NAME}``.
    """

    judge: Optional[JudgeClient] = None
    box: Optional[sealing.Sandbox] = None

    # --- before anything of the submission is read ----------------------------------------------

    def before_grading(self, ag_config):
        shut_otters_doors()
        # otter's runner works in the submission's folder: what it copied there, and a log that
        # it would unpickle next, go before the notebook is even read.
        for name in (OTTER_LOG, *GRADER_COPIES):
            path = os.path.join(os.getcwd(), name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                os.remove(path)

    # --- before the kernel runs ---------------------------------------------------------------

    def before_execution(self, submission):
        shut_otters_doors()
        self.script = os.path.splitext(str(self.submission_path))[1] == ".py"
        self.problems: list[str] = []
        self.unparsable: set[int] = set()
        self.kernel_died_in: Optional[Any] = None
        self.kernel_not_started: Optional[str] = None
        self.judge_silent = False
        self.oom_kills_before = memory.oom_kills()
        self.running_cell: Optional[Any] = None
        self.assignment = str((self.plugin_config or {}).get("assignment", ""))
        self.root = self._zip_root()
        self.about = about.read(self.root) or about.about(spec.load(self.assignment))
        self.questions = tuple(str(q["name"]) for q in self.about["questions"])
        self.verdicts: dict[str, dict] = {}
        self.library_calls: dict[str, dict] = {}
        self.skipped_commands: dict[tuple[str, str], None] = {}
        self.rebound: list[str] = []
        self._check_cells(submission)
        self.sealed_cells = sealed_cells = self._sealed_cells(submission)
        self._skip_shell_escapes(submission)
        self._answer_to_its_own_name(submission)
        procs.become_subreaper()
        self.box = sealing.Sandbox(prefix="rnn-shapes-")
        self.isolation = confine.available()
        self._close_the_zip()
        try:
            self.judge = JudgeClient(self.assignment, self.root)
            self._seal(sealed_cells)
        except JudgeGone:
            self.judge_gone = True
        except JudgeSilent:
            self.judge_silent = True
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
        if os.path.isfile(os.path.join(source, "gradecore", "judge", "service.py")) and os.path.isdir(grader):
            return source
        return PACKAGE_ROOT

    def _close_the_zip(self) -> None:
        """Where the grader is root: the zip's folder (truths, seed, catalogue) and otter's results
        become the grader's alone, and the submission's folder the sandbox user's."""
        if self.box is None or self.box.uid is None:
            return
        if self.root != PACKAGE_ROOT:
            os.chmod(self.root, 0o700)
        results = os.path.abspath(os.path.join(os.pardir, "results"))
        if os.path.isdir(results):
            os.chmod(results, 0o700)
        sealing.open_the_way([os.getcwd()])
        self.box.own(os.getcwd())

    def _sealed_cells(self, notebook) -> list[str]:
        """The submission's code as the sealed run gets it: each cell as IPython would run it, its
        shell escapes and environment magics replaced by calls that run nothing."""
        cells = []
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            if cell.get("metadata", {}).get(CELL_KEY, {}).get("cell") in self.unparsable:
                continue
            where = self._where(cell)
            source, commands = without_shell_escapes(cell.source, where)
            for command in commands:
                self.skipped_commands.setdefault((where, command), None)
            try:
                from IPython.core.inputtransformer2 import TransformerManager

                source = TransformerManager().transform_cell(source)
            except Exception:
                pass
            cells.append(source)
        return cells

    def _seal(self, cells: list[str]) -> None:
        """Run the calls with data arguments in sealed runs and have the judge decide them; the
        kernel gets none of them.

        The NumPy-only run starts at once and defines the submission's code while the judge starts
        and gives its calls; where the assignment has questions whose argument the library builds
        (a Keras model), the library's run follows once it is gone, never beside it
        (:func:`gradecore.host.sealing.Sandbox.start_sealed`).
        """
        from ..kernel.calls import needs_library

        # Forked from a template that imported TensorFlow (the library's sealed run, the kernel)
        # only where the submission imports it itself, so would have it from its top level on:
        # a process that never would have it would carry its pages for nothing, and so would
        # each process it forks (a submission that forks 256 went out of memory at 768 MB).
        self.kernel_from_template = bool(settings.value("TEMPLATE")) and _imports_library(cells)
        if self.kernel_from_template:
            self.box.use_template()  # TensorFlow's import runs beside the judge and the NumPy-only run
        asked = threading.Event()
        sealed: dict[str, dict] = {}
        library: dict[str, Any] = {}

        def calls(of: dict) -> Callable[[], dict]:
            def calls_of() -> dict:
                asked.wait(JUDGE_REPLY_S * JUDGE_ATTEMPTS * (1 + len(self.questions)))
                return dict(of)
            return calls_of

        runs = [sealing.SealedRun(cells, calls(sealed), submission_dir=os.getcwd())]
        if self._builders():
            runs.append(sealing.SealedRun(cells, calls(library), submission_dir=os.getcwd(), library=True))
        started = self.box.start_sealed(runs, keep=(self.judge.pid,))
        try:
            self.judge.request({"op": "vocabulary", "names": sorted(_names_in(cells))}, attempts=JUDGE_ATTEMPTS)
            for question in self.questions:
                reply = self.judge.request({"op": "calls", "question": question}, attempts=JUDGE_ATTEMPTS)
                if not isinstance(reply, dict) or "calls" not in reply:
                    continue
                if any(needs_library(a) for args in reply["calls"] for a in args):
                    self.library_calls[question] = reply
                else:
                    sealed[question] = reply
            if self.library_calls:
                library.update(self.library_calls, builders_file=self.box.copy_builders(self.root, self._builders()))
        finally:
            asked.set()  # a judge that failed leaves the runs no calls: they end at once
            found = started.results()
        self._numpy_found(found[0], sealed)
        if len(found) > 1:
            self._library_found(found[1])

    def _numpy_found(self, found: dict, sealed: dict[str, dict]) -> None:
        """What the NumPy-only sealed run (which cannot load TensorFlow or Keras) returned."""
        self.isolation = found.get("confined") or self.isolation
        if found.get("died") and self._system_killed_for_memory():
            # the system killed the sealed run for lack of memory: the machine's limit, not an answer
            self.out_of_memory = True
            return
        self.rebound = [n for n in found.get("rebound", []) if _is_watched_name(n)]
        for where, command in found.get("skipped", []):
            # the sealed run says which were reached; the note is the plugin's, for its own rewrite
            if (str(where).split(" (line ")[0], command) in self.skipped_commands:
                self.problems.append(_skipped_note(str(where)[:80], command))
        self._decide(found, sealed)

    def _decide(self, found: dict, asked: dict[str, dict]) -> None:
        """The judge's verdict on each question ``asked`` whose calls all came back."""
        for question in asked:
            outcomes = found.get("outcomes", {}).get(question)
            if outcomes is None:
                continue
            verdict = self.judge.request({"op": "judge", "question": question, "outcomes": outcomes})
            if isinstance(verdict, dict) and "passed" in verdict:
                self.verdicts[question] = verdict

    def _builders(self) -> str:
        """The module that builds the arguments of the library's questions, from ``assignment.json``
        (a zip built before it said so: from the spec); empty where the assignment has none."""
        if "builders" in self.about:
            return str(self.about["builders"] or "")
        return spec.load(self.assignment).kernel_builders

    def _system_killed_for_memory(self) -> bool:
        """Whether the system killed a process for lack of memory while this submission was graded
        (its out-of-memory count rose): the kernel's death is then the grader's limit, not the
        submission's doing."""
        after = memory.oom_kills()
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
        ``%system``) from running in the kernel too: each becomes a call that runs nothing."""
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
        process dies (killed by the system for memory, ``os.kill``, a crash in C code), and a
        ``RuntimeError`` when it dies or stays silent before its first reply; otter then writes no
        results at all. Here the run goes on to ``after_grading``: the hidden checks ran in the
        sealed runs, apart from the kernel, and their verdicts stand.
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
            except RuntimeError as e:  # nbclient's "Kernel died before replying to kernel_info"
                if plugin.running_cell is not None:
                    raise
                plugin.kernel_not_started = _one_line(e)
                return nb, resources or {}

        def restore():
            ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell = preprocess, preprocess_cell

        ExecutePreprocessor.preprocess, ExecutePreprocessor.preprocess_cell = surviving, watched_cell
        self._restore_executor = restore

    def _pin_kernel(self, notebook) -> None:
        """Run the notebook in this Python, through the confining launcher, whatever kernel it was
        saved with.

        A notebook saved with another kernel name fails to start, and a user-level ``python3``
        kernelspec elsewhere would win over this environment's; ``JUPYTER_PATH`` comes first.
        """
        spec_dir = os.path.join(self.box.root, "jupyter", "kernels", KERNEL_NAME)
        os.makedirs(spec_dir)
        policy_path = os.path.join(self.box.root, "kernel-policy.json")
        report_path = os.path.join(self.box.root, "kernel-report.json")
        policy = self.box.kernel_policy(os.getcwd())
        env = self.box.environment(self.box.kernel_home)
        env.update(settings.for_sandbox())
        env["PYTHONPATH"] = self.box.lib
        with open(policy_path, "w") as f:
            json.dump({"policy": policy.to_json(), "report": report_path, "env": env,
                       "home": self.box.kernel_home}, f)
        with open(os.path.join(spec_dir, "kernel.json"), "w") as f:
            json.dump(
                {
                    # ipykernel_launcher, confined, with TensorFlow's start-up chatter kept off the terminal.
                    "argv": [sys.executable, QUIET_KERNEL, "-f", "{connection_file}"],
                    "env": {KERNEL_POLICY_VARIABLE: policy_path},
                    "display_name": "Python 3 (rnn-shapes grading)",
                    "language": "python",
                },
                f,
            )
        self.kernel_report_path = report_path
        if self.box.template and getattr(self, "kernel_from_template", False) and limits.WARM_KERNELS_VARIABLE not in os.environ:
            # the kernel's launcher asks this grading's template for the kernel (gradecore.host.template)
            os.environ[limits.WARM_KERNELS_VARIABLE] = self.box.template
            self.own_template_variable = True
        previous = os.environ.get("JUPYTER_PATH")
        jupyter_dir = os.path.join(self.box.root, "jupyter")
        os.environ["JUPYTER_PATH"] = jupyter_dir + (os.pathsep + previous if previous else "")
        notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": "python"}

    def _execution_problems(self, notebook) -> list[str]:
        """One line for each error, stop or flood of output in the submission's own cells."""
        from ..protocol.limits import CELL_TIME_LIMIT_S, OUTPUT_LIMIT_CHARS, OUTPUT_TRUNCATED

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

    # --- after the kernel is gone -------------------------------------------------------------

    def after_grading(self, results):
        try:
            restore = getattr(self, "_restore_executor", None)
            if restore is not None:
                restore()
            if self.box is not None:
                self.box.sweep(keep=(self.judge.pid,) if self.judge else ())
            self._read_kernel_report()
        finally:
            self._stop()
        problems = list(self.problems)
        if self.rebound:
            problems.append(f"the submission replaces {', '.join(self.rebound[:5])}; the grader ignores this.")
        missing = any(q not in self.verdicts for q in self.questions)
        self.out_of_memory = getattr(self, "out_of_memory", False) or (
            (self.kernel_died_in is not None or self.kernel_not_started is not None or missing)
            and self._system_killed_for_memory())
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
        elif self.kernel_not_started is not None:
            problems.append(
                f"the kernel did not start ({self.kernel_not_started}), so no cell ran in it and no cell's error "
                "is reported; the hidden checks ran apart from it and count as usual."
            )
        problems += self._execution_problems(results.notebook)
        problems = list(dict.fromkeys(problems))
        found = facts.GradingFacts(isolation=confine.isolation_summary(self.isolation), fault=self._machine_fault())
        self._write_results(results, problems, found)
        lines = [f"{ISOLATION_LINE}{found.isolation}."]
        if found.fault:
            lines.append(f"{FAULT_LINE}{found.fault.text}")
        if problems:
            lines += ["Problems found while running the submission:", *(f"- {p}" for p in problems)]
        results.output = "\n".join(lines)
        results._catastrophic_error = None
        results.grading_facts = found

    def _machine_fault(self) -> Optional[facts.Fault]:
        """Why the grading machine, not the submission, left questions ungraded; None if it did not."""
        if getattr(self, "out_of_memory", False):
            # a process of the grading was killed for memory: no verdict of it can be trusted to
            # be the submission's, whatever the sealed runs answered
            return facts.Fault(facts.FaultKind.OUT_OF_MEMORY, f"{limits.OUT_OF_MEMORY}; {limits.RAISE_MEMORY}")
        ungraded = [q for q in self.questions if q not in self.verdicts]
        if not ungraded:
            return None
        if self.judge_silent:
            return facts.Fault(facts.FaultKind.JUDGE_SILENT, f"{limits.JUDGE_SILENT} (asked {JUDGE_ATTEMPTS} "
                               f"times, {JUDGE_REPLY_S:g} s each); grade it again")
        return None

    def _library_found(self, found: dict) -> None:
        """What the library's sealed run returned: the calls whose argument the library builds (a
        Keras model) run there, where the library may load (nothing it could compute there is
        secret), never in the kernel, which sees no hidden input at all."""
        if found.get("died") and self._system_killed_for_memory():
            self.out_of_memory = True
            return
        self._decide(found, self.library_calls)

    def _read_kernel_report(self) -> None:
        """What the kernel's confinement got, as its launcher (trusted) wrote it."""
        report = None
        try:
            with open(self.kernel_report_path) as f:
                report = json.load(f)
        except (OSError, ValueError, AttributeError):
            return
        if isinstance(report, dict):
            for name, value in report.items():
                if not str(value).startswith("on") and str(name) in self.isolation:
                    self.isolation[str(name)] = f"{value} (kernel)"

    def _write_results(self, results, problems: list[str], found: facts.GradingFacts) -> None:
        """Every question's result, from the judge's verdicts and the zip's points and titles; its
        facts into ``found``."""
        shown = problems[:MAX_PROBLEMS_PER_QUESTION]
        why = "".join(f"\n{facts.PROBLEM_MARK} {p}" for p in shown)
        results.results = {}
        for q in self.about["questions"]:
            question, points = str(q["name"]), float(q["points"])
            verdict = self.verdicts.get(question)
            mistake = finding = None
            if verdict is not None:
                passed = verdict.get("passed") is True
                text = str(verdict.get("message", ""))
                mistake, finding = _verdict_mistake(verdict), verdict.get("finding")
            elif getattr(self, "out_of_memory", False):
                passed, text = False, (
                    f"{question}: not graded: {limits.OUT_OF_MEMORY} before its hidden checks ran; "
                    f"{limits.RAISE_MEMORY}."
                )
            elif self.judge_silent:
                passed, text = False, (
                    f"{question}: not graded: {limits.JUDGE_SILENT} (asked {JUDGE_ATTEMPTS} times, "
                    f"{JUDGE_REPLY_S:g} s each). This is a fault of the grading machine, not of the "
                    "submission: grade it again."
                )
            else:
                passed, text = False, (
                    f"{question}: the hidden checks did not run: the sealed run of the submission "
                    "stopped before they could."
                )
            message = f"{'✅' if passed else '❌'} {text}" + ("" if passed else why)
            checks = [line.strip() for line in text.splitlines() if line.strip()]
            if mistake is not None:
                checks = checks[:-1]  # the verdict's last line names the mistake, which the facts carry
            found.questions[question] = facts.QuestionFacts(
                passed=passed,
                checks=[] if passed else checks,
                mistake=None if passed else mistake,
                finding=str(finding) if finding is not None and not passed else None,
                problems=[] if passed else list(shown),
            )
            case = TestCase(f"{question} - 1", None, True, points, None, None)
            test_file = Verdicts(question, f"tests/{question}.py", [case])
            test_file.test_case_results = [TestCaseResult(case, message, passed)]
            results.results[question] = test_file

    def _stop(self) -> None:
        if getattr(self, "own_template_variable", False):
            os.environ.pop(limits.WARM_KERNELS_VARIABLE, None)
            self.own_template_variable = False
        if self.judge is not None:
            self.judge.stop()
            self.judge = None
        if getattr(self, "name_copy", None):
            try:
                os.remove(self.name_copy)
            except OSError:
                pass
            self.name_copy = None
        if self.box is not None:
            self.box.remove()
            self.box = None

    def generate_report(self):
        return ""


def _verdict_mistake(verdict: dict) -> Optional[facts.Mistake]:
    """The mistake the judge's verdict names (:attr:`gradecore.judge.diagnosis.Verdict.mistake`), if any."""
    mistake = verdict.get("mistake")
    if not isinstance(mistake, dict) or not isinstance(mistake.get("title"), str) or not isinstance(mistake.get("fix"), str):
        return None
    return facts.Mistake(mistake["title"], mistake["fix"])


WATCHED_NAME = re.compile(r"^(numpy|numpy\.linalg|numpy\.testing|builtins)\.[A-Za-z_][A-Za-z0-9_]{0,40}$")


def _is_watched_name(name: str) -> bool:
    """Whether a name the sealed run says was rebound is one the grader watches (it writes the
    note itself; the sealed run only picks among real names)."""
    if not WATCHED_NAME.match(name):
        return False
    import importlib

    module, _, attr = name.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), attr)
    except ImportError:
        return False


def _nodes(cells: list[str]):
    """Every node of the submission's code, cell by cell (a cell that does not parse has none)."""
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        yield from ast.walk(tree)


def _imports_library(cells: list[str]) -> bool:
    """Whether the submission's code imports TensorFlow, Keras or another library a NumPy-only
    question may not use (its kernel will load it)."""
    from ..sandbox.sealed import FORBIDDEN

    for node in _nodes(cells):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in FORBIDDEN for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN:
            return True
    return False


def _names_in(cells: list[str]) -> set[str]:
    """Every name the submission's code writes (variables, attributes, functions, arguments): the
    names an exception's message may repeat in the feedback."""
    found: set[str] = set()
    for node in _nodes(cells):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            found.add(node.name)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
    return found


def _skipped_note(where: str, command: str) -> str:
    return (f"{where}: the grader skipped `{command}`: shell commands and environment magics "
            "(!, %pip, %conda, %%bash, %system) do not run at grading.")
