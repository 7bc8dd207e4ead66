"""How long the similarity check takes on a class of 500, as ``rnn-shapes grade`` runs it.

A synthetic class of ``--size`` submissions (default 500) of one assignment: each takes every
graded function from an independent solution of the bench (:mod:`corpus`), drawn afresh per
function, with all names renamed, its functions reordered and harmless lines inserted (seeded);
every other one is a notebook with the handout's cells. One run of
:func:`gradecore.cli.similarity.check_class` on them is timed, reading the files included.

    .venv/bin/python bench/similarity/scale.py [--size 500] [--assignment rnn_shapes]
"""

from __future__ import annotations

import argparse
import ast
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1]), str(HERE.parents[1] / "autograder")]

import corpus  # noqa: E402
import disguise  # noqa: E402

from gradecore.cli import similarity, student_code  # noqa: E402


def functions(source: str) -> dict[str, str]:
    """Each top-level function of ``source`` by name, as source text."""
    return {n.name: ast.unparse(n) for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def write_synthetic(name: str, size: int, folder: Path, seed: int = 0) -> list[tuple[Path, str]]:
    rng = random.Random(seed)
    graded = sorted(corpus.graded_names(name))
    pools = [functions(source) for source in corpus.independents(name).values()]
    handout = corpus.handout_cells(name)
    written = []
    for i in range(size):
        chosen = []
        for q in graded:
            pool = rng.choice([p for p in pools if q in p])
            helpers = [text for other, text in pool.items() if other not in graded]  # helpers travel along
            chosen += [pool[q], *helpers]
        source = "import numpy as np\n\n" + "\n\n".join(dict.fromkeys(chosen))
        text = disguise.everything(source, set(graded), seed + i)
        path = folder / f"student{i:03}" / (f"{name}.ipynb" if i % 2 else f"{name}.py")
        path.parent.mkdir(parents=True)
        path.write_text(disguise.as_notebook(text, handout) if i % 2 else text)
        written.append((path, str(path)))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--assignment", default="rnn_shapes", choices=corpus.ASSIGNMENTS)
    args = parser.parse_args()
    notebook = corpus.ROOT / "dist" / args.assignment / "student" / f"{args.assignment}.ipynb"
    with tempfile.TemporaryDirectory(prefix="similarity-scale-") as tmp:
        files = write_synthetic(args.assignment, args.size, Path(tmp))
        similarity.fingerprint("import numpy")  # copydetect imported once, as the batch has by then
        start, cpu = time.perf_counter(), time.process_time()
        found = similarity.check_class(files, student_code.Handout.from_notebook(notebook), str(notebook))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    pairs = args.size * (args.size - 1) // 2
    print(f"{args.assignment}: {args.size} submissions ({pairs} pairs), handout "
          f"{'removed' if notebook.is_file() else 'not found (make dist first)'}")
    print(f"similarity check: {seconds:.2f} s wall, {cpu:.2f} s CPU; {len(found.pairs)} pairs above the floor, {len(found.flagged)} flagged, "
          f"{len(found.unreadable)} unreadable")


if __name__ == "__main__":
    main()
