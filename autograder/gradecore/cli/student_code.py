"""A submission's own code, for the similarity check (:mod:`gradecore.cli.similarity`, steps 1 to 3):
read from the file, the handout removed, and normalised so that renaming, reformatting and
recommenting change nothing."""

from __future__ import annotations

import ast
import json
import zipfile
from pathlib import Path
from typing import Iterable, Optional

MAX_FILE_BYTES = 64 << 20
"""A submission file (or the notebook in a zip) larger than this is not compared (a notebook's
outputs may be large; otter grades it all the same)."""
MAX_CODE_CHARS = 500_000
"""... nor one holding more code than this: an answer is a few hundred lines, and a file made to
be slow to compare costs the class nothing."""

PLACEHOLDER = "v"


# --- 1. the student's code ----------------------------------------------------------------------


def _notebook_cells(text: str) -> list[str]:
    """The code cells of a notebook's JSON (whatever else a hostile file put around them is skipped).

    Raises:
        ValueError: the text is not JSON, or not a notebook's.
    """
    notebook = json.loads(text)
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a notebook: it has no list of cells")
    chunks = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        # IPython's magics and shell escapes are not Python, and carry nothing of the answer
        chunks.append("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    return chunks


def student_code(path: Path) -> list[str]:
    """The chunks of Python a submission holds: the file, or its notebook's code cells.

    Raises:
        ValueError: the file is not a notebook, a ``.py`` file or a zip holding one notebook.
    """
    path = Path(path)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            notebooks = [n for n in zf.namelist() if n.endswith(".ipynb") and "/" not in n]
            if len(notebooks) != 1:
                raise ValueError("the zip does not hold exactly one notebook")
            if zf.getinfo(notebooks[0]).file_size > MAX_FILE_BYTES:  # read nothing of a zip bomb
                raise ValueError(f"its notebook is over {MAX_FILE_BYTES >> 20} MiB")
            chunks = _notebook_cells(zf.read(notebooks[0]).decode("utf-8", errors="replace"))
    elif path.suffix in (".py", ".ipynb"):
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"it is over {MAX_FILE_BYTES >> 20} MiB")
        text = path.read_text(encoding="utf-8", errors="replace")
        chunks = [text] if path.suffix == ".py" else _notebook_cells(text)
    else:
        raise ValueError(f"not a submission: {path.suffix}")
    if sum(map(len, chunks)) > MAX_CODE_CHARS:
        raise ValueError(f"it holds over {MAX_CODE_CHARS} characters of code")
    return chunks


def _parsed(chunks: Iterable[str]) -> list[ast.stmt]:
    """The statements of every chunk that is Python; a chunk that is not is skipped."""
    statements = []
    for chunk in chunks:
        try:
            statements += ast.parse(chunk).body
        except (SyntaxError, ValueError, MemoryError, RecursionError):  # the last two: nested too deep to parse
            continue
    return statements


# --- 2. the handout removed ---------------------------------------------------------------------


def _without_docstrings(node: ast.AST) -> ast.AST:
    """``node`` with the docstring of every function and class in it dropped (statements only are
    walked: a docstring is never inside an expression)."""
    body = getattr(node, "body", None)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
        first = body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            node.body = body[1:] or [ast.Pass()]
    for name in ("body", "orelse", "finalbody", "handlers"):
        for inner in getattr(node, name, None) or ():
            if isinstance(inner, (ast.stmt, ast.excepthandler)):
                _without_docstrings(inner)
    return node


def _key(node: ast.AST) -> str:
    return ast.dump(node, annotate_fields=False)


def _kind(node: ast.AST) -> tuple[str, str, int]:
    """What a statement is, names and holds, cheap to compare before the whole statement is."""
    return type(node).__name__, getattr(node, "name", ""), len(getattr(node, "body", ()))


class Handout:
    """The statements the handout gives every student, to be removed from each submission."""

    def __init__(self, chunks: Iterable[str] = ()):
        self.statements: set[str] = set()
        """every top-level statement of the handout (docstrings dropped)"""
        self.stub_lines: set[str] = set()
        """every statement inside the handout's functions"""
        self._kinds: set[tuple[str, str, int]] = set()
        self._stub_kinds: set[str] = set()
        chunks = list(chunks)
        self.cells: set[str] = {chunk.strip() for chunk in chunks}
        """the handout's cells as they are: a cell left untouched is dropped before it is parsed"""
        for node in _parsed(chunks):
            node = _without_docstrings(node)
            self.statements.add(_key(node))
            self._kinds.add(_kind(node))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.stub_lines |= {_key(inner) for inner in node.body}
                self._stub_kinds |= {type(inner).__name__ for inner in node.body}

    @classmethod
    def from_notebook(cls, notebook: Optional[Path]) -> Handout:
        """The handout of the built student notebook; none when there is no such file."""
        if notebook is None or not Path(notebook).is_file():
            return cls()
        return cls(_notebook_cells(Path(notebook).read_text(encoding="utf-8")))

    def remove(self, chunks: list[str]) -> list[ast.stmt]:
        """The statements the student wrote in ``chunks``: the handout's own removed, docstrings dropped."""
        kept = []
        for node in _parsed(chunk for chunk in chunks if chunk.strip() not in self.cells):
            node = _without_docstrings(node)
            if _kind(node) in self._kinds and _key(node) in self.statements:
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                node.body = [
                    inner for inner in node.body
                    if type(inner).__name__ not in self._stub_kinds or _key(inner) not in self.stub_lines
                ] or [ast.Pass()]
            kept.append(node)
        return kept


def student_folder_notebook(autograder: Path, assignment: str) -> Optional[Path]:
    """The built student notebook next to the autograder zip (``dist/<name>/student/<name>.ipynb``)."""
    candidate = Path(autograder).resolve().parent.parent / "student" / f"{assignment}.ipynb"
    return candidate if candidate.is_file() else None


# --- 3. normalised --------------------------------------------------------------------------------


class _Placeholders(ast.NodeTransformer):
    """Every name the submission binds becomes one placeholder; imported modules their own name."""

    def __init__(self, modules: dict[str, str]):
        self.modules = modules

    def visit_Name(self, node):
        node.id = self.modules.get(node.id, PLACEHOLDER)
        return node

    def visit_arg(self, node):
        node.arg = PLACEHOLDER
        node.annotation = None
        return node

    def visit_FunctionDef(self, node):
        node.name = PLACEHOLDER
        node.returns = None
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        node.name = PLACEHOLDER
        self.generic_visit(node)
        return node

    def visit_alias(self, node):
        node.asname = None
        return node


def _imported_modules(statements: list[ast.stmt]) -> dict[str, str]:
    modules = {}
    for node in statements:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import):
                for alias in inner.names:
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
            elif isinstance(inner, ast.ImportFrom):
                for alias in inner.names:
                    modules[alias.asname or alias.name] = alias.name
    return modules


def _harmless(node: ast.stmt, read: set[str]) -> bool:
    """Whether a statement does nothing the answer needs: ``pass``, a lone constant, a ``print``,
    an ``assert``, ``del``, a block under a false constant (``if False:``), a name stored in
    itself or added 0, or a value stored in names that nothing reads. These are what a copier
    inserts to change the text; no answer depends on them."""
    if isinstance(node, (ast.Pass, ast.Assert, ast.Delete)):
        return True
    if isinstance(node, (ast.If, ast.While)) and isinstance(node.test, ast.Constant):
        return not node.test.value and not node.orelse
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        if isinstance(node.value, ast.Name) and node.value.id == node.targets[0].id:
            return True
    if isinstance(node, ast.AugAssign) and isinstance(node.value, ast.Constant):
        identity = {ast.Add: 0, ast.Sub: 0, ast.Mult: 1, ast.Div: 1}.get(type(node.op))
        return identity is not None and node.value.value == identity and type(node.value.value) is int
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, ast.Constant):
            return True
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print"
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return all(isinstance(t, ast.Name) and t.id not in read for t in targets)
    return False


def _loads(node: ast.AST) -> set[str]:
    """The names that ``node`` reads anywhere inside it."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _without_harmless(block: list[ast.stmt], read: set[str], scopes: Optional[dict[int, set[str]]] = None) -> list[ast.stmt]:
    """``block`` and the blocks inside it without their harmless statements (:func:`_harmless`).

    ``read`` is what the block's scope reads; a function's body is judged by what the function
    itself reads (a name stored and never read there is unused, whatever another function reads),
    taken from ``scopes`` (by ``id`` of the function's node) where it is known already.
    """
    kept = []
    for node in block:
        if _harmless(node, read):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            own = scopes.get(id(node)) if scopes else None
            node.body = _without_harmless(node.body, _loads(node) if own is None else own) or [ast.Pass()]
            kept.append(node)
            continue
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(node, name, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                setattr(node, name, _without_harmless(inner, read) or ([ast.Pass()] if name == "body" else []))
        for handler in getattr(node, "handlers", ()):
            handler.body = _without_harmless(handler.body, read) or [ast.Pass()]
        kept.append(node)
    return kept


def normalise(statements: list[ast.stmt], shown: bool = True) -> tuple[list[str], list[str]]:
    """The top-level statements as shown (names kept, as lines; none unless ``shown``) and
    normalised (names made placeholders, one text per statement, line for line with the shown lines)."""
    scopes = {id(node): _loads(node) for node in statements}  # one walk of each statement
    read = set().union(*scopes.values())
    placeholders = _Placeholders(_imported_modules(statements))
    lines, pieces = [], []
    for node in _without_harmless(statements, read, scopes):
        if shown:
            text = ast.unparse(node).splitlines()
            lines += text + [""]
        normalised = ast.unparse(placeholders.visit(node))
        if shown and len(normalised.splitlines()) != len(text):  # unparse prints one statement a line either way
            raise AssertionError("normalised code lost its line structure")
        pieces.append(normalised + "\n\n")
    return lines, pieces
