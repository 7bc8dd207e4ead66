"""The submission's code, as the host reads and rewrites it before any of it runs.

Its code cells are numbered (:data:`CELL_KEY`), so that the feedback names each (:func:`where`),
and those that do not parse are noted (:func:`check_cells`); its shell escapes and environment
magics become calls that run nothing (:func:`without_shell_escapes`), in the kernel and in the
sealed runs alike; a notebook saved under another name finds itself
(:func:`answer_to_its_own_name`). What the code imports and names is read here too: whether its
kernel will load the library, the names an exception's message may repeat, the rebound names the
grader watches.
"""

from __future__ import annotations

import ast
import os
import re
from typing import Any, Optional

import nbformat

from ..protocol.text import one_line as text_line

GUARD_CELL = """\
import gradecore.kernel.calls as _gradecore_kernel
_gradecore_kernel.arm()
del _gradecore_kernel
"""
"""The kernel's first cell, before any of the submission's (:func:`gradecore.kernel.cells.arm`)."""

CELL_KEY = "gradecore"
"""Metadata key that numbers the submission's own code cells, to name them in feedback."""

_OTTER_NOTEBOOK = re.compile(r"""otter\.Notebook\(\s*["']([^"'/\\]+\.ipynb)["']""")
"""``grader = otter.Notebook("<name>.ipynb")``: otter reads that file by name when grading."""

ANSI = re.compile(r"\x1b\[[0-9;]*m")
"""A terminal colour, as IPython writes tracebacks."""


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


def one_line(text: Any, limit: int = 200) -> str:
    """``text`` on one line of printable text, cut to ``limit`` characters
    (:func:`gradecore.protocol.text.one_line`)."""
    return text_line(text, limit)


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
            shown = one_line(command, SKIPPED_COMMAND_CHARS)
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


def skipped_note(where: str, command: str) -> str:
    return (f"{where}: the grader skipped `{command}`: shell commands and environment magics "
            "(!, %pip, %conda, %%bash, %system) do not run at grading.")


def where(cell, script: bool, line: Optional[int] = None) -> str:
    """How the feedback names ``cell`` (and ``line`` in it): the script, or its code cell's number."""
    at = f" (line {line})" if line else ""
    if script:
        return f"the script{at}"
    number = cell.get("metadata", {}).get(CELL_KEY, {}).get("cell") if cell is not None else None
    return f"code cell {number}{at}" if number else "the grader's own cells"


def check_cells(notebook, script: bool) -> tuple[set[int], list[str]]:
    """Number the submission's code cells and note those that do not parse.

    Returns:
        The numbers of the cells that do not parse, and a line of feedback for each (and for a
        submission with no code).
    """
    unparsable: set[int] = set()
    problems: list[str] = []
    code = [c for c in notebook.cells if c.cell_type == "code"]
    for number, cell in enumerate(code, start=1):
        cell.metadata[CELL_KEY] = {"cell": number}
        problem = _parse_problem(cell.source)
        if problem is None:
            continue
        line, message = problem
        message = one_line(message)  # Python's, but it may quote the offending character
        unparsable.add(number)
        if script:
            problems.append(
                f"the submission does not parse: line {line}: {message}. Python could not run any of it."
            )
        else:
            problems.append(
                f"code cell {number} does not parse: line {line}: {message}. Nothing in that cell ran."
            )
    if not any(c.source.strip() for c in code):
        problems.append("the submission is empty: it has no code, so none of the functions exist.")
    return unparsable, problems


def sealed_cells(notebook, script: bool, unparsable: set[int]) -> tuple[list[str], dict[tuple[str, str], None]]:
    """The submission's code as the sealed run gets it: each cell as IPython would run it, its
    shell escapes and environment magics replaced by calls that run nothing.

    Returns:
        The cells, and each command so replaced as ``(where, command)``, in order.
    """
    cells = []
    skipped_commands: dict[tuple[str, str], None] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("metadata", {}).get(CELL_KEY, {}).get("cell") in unparsable:
            continue
        named = where(cell, script)
        source, commands = without_shell_escapes(cell.source, named)
        for command in commands:
            skipped_commands.setdefault((named, command), None)
        try:
            from IPython.core.inputtransformer2 import TransformerManager

            source = TransformerManager().transform_cell(source)
        except Exception:
            pass
        cells.append(source)
    return cells, skipped_commands


def skip_shell_escapes(notebook, script: bool, unparsable: set[int]) -> None:
    """Keep shell escapes and environment magics (``!``, ``%pip``, ``%conda``, ``%%bash``,
    ``%system``) from running in the kernel too: each becomes a call that runs nothing."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("metadata", {}).get(CELL_KEY, {}).get("cell") not in unparsable:
            cell.source, _ = without_shell_escapes(cell.source, where(cell, script))


def answer_to_its_own_name(notebook, script: bool) -> Optional[str]:
    """Let a notebook saved under another file name find itself.

    The notebook's first cell, ``grader = otter.Notebook("<name>.ipynb")``, reads that
    file: under another name the cell fails, ``grader`` is undefined and every public check
    cell fails with it. A copy under the expected name, beside the submission, fixes that.

    Returns:
        The copy's path, for the plugin to remove; None where it made none.
    """
    if script:
        return None
    for cell in notebook.cells:
        found = _OTTER_NOTEBOOK.search(cell.source) if cell.cell_type == "code" else None
        if found:
            if not os.path.exists(found.group(1)):
                nbformat.write(notebook, found.group(1))
                return os.path.abspath(found.group(1))
            return None
    return None


WATCHED_NAME = re.compile(r"^(numpy|numpy\.linalg|numpy\.testing|builtins)\.[A-Za-z_][A-Za-z0-9_]{0,40}$")


def is_watched_name(name: str) -> bool:
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


def imports_library(cells: list[str]) -> bool:
    """Whether the submission's code imports TensorFlow, Keras or another library a NumPy-only
    question may not use (its kernel will load it)."""
    from ..sandbox.sealed import FORBIDDEN

    for node in _nodes(cells):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in FORBIDDEN for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN:
            return True
    return False


def names_in(cells: list[str]) -> set[str]:
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
