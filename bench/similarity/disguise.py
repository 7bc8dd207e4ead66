"""Disguise a submission as a student who copied it would: the copies of the similarity bench.

Each disguise is a plain function of source text, seeded, so the bench's copies are the same bytes
on every run. The graded functions keep their names (a copy must still earn its grade); every
other name is renamed.
"""

from __future__ import annotations

import ast
import builtins
import random

import nbformat

HARMLESS_LINES = (
    "_unused = None",
    "assert True",
    "debug = False",
    "pass",
    "_checked = 0",
    "print('step done')",
    "_seen = len(str(debug_marker))",
    "assert debug_marker is not None",
)
"""Statements a copier sprinkles in to change the text without changing what the code does."""
COMMENTS = (
    "# my own approach",
    "# compute step by step",
    "# TODO tidy up",
    "# checked against keras",
    "# see lecture 4",
)


class _Renamer(ast.NodeTransformer):
    """Rename every local, argument and helper; keep the graded names, builtins and modules."""

    def __init__(self, keep: set[str], rng: random.Random):
        self.keep = keep
        self.rng = rng
        self.names: dict[str, str] = {}

    def fresh(self, name: str) -> str:
        if name in self.keep or hasattr(builtins, name):
            return name
        if name not in self.names:
            self.names[name] = f"{self.rng.choice(['val', 'tmp', 'arr', 'q', 'my', 'z'])}_{len(self.names)}"
        return self.names[name]

    def visit_Name(self, node):
        node.id = self.fresh(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.fresh(node.arg)
        node.annotation = None
        return node

    def visit_FunctionDef(self, node):
        node.name = self.fresh(node.name)
        self.generic_visit(node)
        return node


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _drop_docstrings(tree: ast.Module) -> None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]


def rename(source: str, graded: set[str], seed: int = 0) -> str:
    """Every name but the graded functions' renamed; docstrings and comments dropped."""
    tree = ast.parse(source)
    _drop_docstrings(tree)
    _Renamer(set(graded) | _imported(tree), random.Random(seed)).visit(tree)
    return ast.unparse(tree) + "\n"


def reorder(source: str, seed: int = 0) -> str:
    """The top-level functions in another order (imports stay first)."""
    tree = ast.parse(source)
    head = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    rest = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    rng = random.Random(seed)
    for _ in range(10):
        shuffled = rest[:]
        rng.shuffle(shuffled)
        if len(rest) < 2 or shuffled != rest:
            break
    tree.body = head + shuffled
    return ast.unparse(tree) + "\n"


def insert_harmless(source: str, seed: int = 0, every: int = 2) -> str:
    """A harmless statement after every ``every``-th statement of each function, and comments."""
    tree = ast.parse(source)
    rng = random.Random(seed)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = []
            for i, stmt in enumerate(node.body):
                body.append(stmt)
                if i % every == every - 1 and not isinstance(stmt, ast.Return):
                    first = node.args.args[0].arg if node.args.args else "None"
                    body.append(ast.parse(rng.choice(HARMLESS_LINES).replace("debug_marker", first)).body[0])
            node.body = body
    lines = []
    for line in ast.unparse(tree).splitlines():
        if line.startswith("def ") and rng.random() < 0.7:
            lines.append(rng.choice(COMMENTS))
        lines.append(line)
    return "\n".join(lines) + "\n"


def everything(source: str, graded: set[str], seed: int = 0) -> str:
    """Renamed, reordered, harmless lines inserted, new comments: what a determined copier does."""
    return insert_harmless(reorder(rename(source, graded, seed), seed), seed)


def as_notebook(source: str, handout: list[str] = ()) -> str:
    """A ``.py`` handed in as a notebook: the handout's own cells (``handout``: its set-up and checks)
    first, then one cell per top-level function, a markdown cell before each."""
    tree = ast.parse(source)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in handout]
    lines = source.splitlines()
    start = 0
    for i, node in enumerate(tree.body):
        end = tree.body[i + 1].lineno - 1 if i + 1 < len(tree.body) else len(lines)
        # decorators and comments above a def belong to its cell
        cell = "\n".join(lines[start:end]).strip("\n")
        start = end
        if isinstance(node, ast.FunctionDef):
            nb.cells.append(nbformat.v4.new_markdown_cell(f"## {node.name}"))
        if cell:
            nb.cells.append(nbformat.v4.new_code_cell(cell))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


KEPT_LINES = (
    "{a} = np.asarray({a}) if hasattr({a}, 'shape') else {a}",
    "{a} = {a} if not isinstance({a}, list) else np.array({a})",
    "{a} = np.copy({a}) if isinstance({a}, np.ndarray) else {a}",
    "{a} = {a}[...] if hasattr({a}, 'ndim') else {a}",
)
"""No-ops a copier may insert that the normaliser keeps (the name is read later)."""


def insert_kept(source: str, seed: int = 0) -> str:
    """A no-op the normaliser keeps at the top of each function, each copier its own."""
    tree = ast.parse(source)
    line = random.Random(seed).choice(KEPT_LINES)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            node.body.insert(0, ast.parse(line.format(a=node.args.args[0].arg)).body[0])
    return ast.unparse(tree) + "\n"


DISGUISES = {
    "identical": lambda src, graded, seed: src,
    "renamed": lambda src, graded, seed: rename(src, graded, seed),
    "reordered": lambda src, graded, seed: insert_harmless(reorder(src, seed), seed),
    "everything": lambda src, graded, seed: everything(src, graded, seed),
    "kept-lines": lambda src, graded, seed: insert_kept(everything(src, graded, seed), seed),
}
"""Each disguise of a ``.py`` copy: (source, graded names, seed) -> source."""
