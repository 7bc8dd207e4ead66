"""Which similarity method tells disguised copies from independent solutions, and by how much.

For each assignment and each disguise, a class is written into a temporary folder
(:mod:`corpus`): the independent correct solutions and, of each, one copy under that disguise.
Every pair is scored by each candidate, and the bench prints, per candidate and assignment,
over the classes of every disguise:

- copies flagged: pairs of the same origin (a solution and its copy, or two copies) flagged;
- independent flagged: pairs of different origins flagged (each one is a false accusation);
- the lowest copy score, the highest independent score, and the margin between them.

    .venv/bin/python bench/similarity/bench.py            # the bench's own class
    .venv/bin/python bench/similarity/bench.py --set DIR  # a held-out class: DIR/<assignment>/<origin>__<kind>.{py,ipynb,zip}

A held-out set names each file ``<origin>__<kind>``: files of one origin are copies of each
other, and ``independent`` marks the one written apart.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1]), str(HERE.parents[1] / "autograder")]

import corpus  # noqa: E402

from gradecore.cli import similarity, student_code  # noqa: E402


@dataclass
class Outcome:
    """One candidate's result on one class."""

    copies: int
    copies_flagged: int
    independent: int
    independent_flagged: int
    lowest_copy: float
    highest_independent: float


def _origin(path: Path) -> str:
    return path.stem.split("__")[0]


def _handout(name: str) -> student_code.Handout:
    notebook = corpus.ROOT / "dist" / name / "student" / f"{name}.ipynb"
    if not notebook.is_file():
        print(f"warning: no {notebook} (make dist): notebooks are compared with the handout's code in them",
              file=sys.stderr)
    return student_code.Handout.from_notebook(notebook)


def ours(files: list[Path], name: str) -> dict[tuple[str, str], tuple[float, bool]]:
    """This module's method: handout removed, AST-normalised, copydetect's winnowing, common discounted."""
    handout = _handout(name)
    codes = [similarity.read_code(f, str(f), handout) for f in files]
    pairs = similarity.compare(codes, floor=0.0)
    return {(p.a, p.b): (p.similarity, p.flagged) for p in pairs}


def copydetect_plain(files: list[Path], name: str) -> dict[tuple[str, str], tuple[float, bool]]:
    """copydetect as it comes: its own token filter on the code, the handout as boilerplate,
    its own score (the larger of the two overlaps) against its default display threshold 0.33."""
    from copydetect import CodeFingerprint, compare_files, defaults

    win = defaults.GUARANTEE_THRESHOLD - defaults.NOISE_THRESHOLD + 1
    notebook = corpus.ROOT / "dist" / name / "student" / f"{name}.ipynb"
    handout_text = "\n".join(student_code._notebook_cells(notebook.read_text())) if notebook.is_file() else ""
    boiler = CodeFingerprint("handout.py", defaults.NOISE_THRESHOLD, win, fp=io.StringIO(handout_text))
    prints = {
        f: CodeFingerprint("x.py", defaults.NOISE_THRESHOLD, win, boilerplate=list(boiler.hashes),
                           fp=io.StringIO("\n".join(student_code.student_code(f))))
        for f in files
    }
    scores = {}
    for a, b in combinations(sorted(files, key=str), 2):
        _, sims, _ = compare_files(prints[a], prints[b])
        score = float(max(sims))
        scores[(str(a), str(b))] = (score, score >= defaults.DISPLAY_THRESHOLD)
    return scores


CANDIDATES = {"ours (AST-normalised + copydetect winnowing)": ours, "copydetect as it comes": copydetect_plain}


def outcome(files: list[Path], scores: dict[tuple[str, str], tuple[float, bool]]) -> Outcome:
    result = Outcome(0, 0, 0, 0, 1.0, 0.0)
    for a, b in combinations(sorted(files, key=str), 2):
        score, flagged = scores.get((str(a), str(b)), (0.0, False))
        if _origin(a) == _origin(b):
            result.copies += 1
            result.copies_flagged += flagged
            result.lowest_copy = min(result.lowest_copy, score)
        else:
            result.independent += 1
            result.independent_flagged += flagged
            result.highest_independent = max(result.highest_independent, score)
    return result


def by_disguise(files: list[Path], scores) -> dict[str, float]:
    """The lowest score of a copy and its origin, per disguise."""
    lowest: dict[str, float] = {}
    for a, b in combinations(sorted(files, key=str), 2):
        if _origin(a) == _origin(b) and "__independent" in a.stem + b.stem:
            kind = (b if "__independent" in a.stem else a).stem.split("__")[1]
            lowest[kind] = min(lowest.get(kind, 1.0), scores.get((str(a), str(b)), (0.0, False))[0])
    return lowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, help="a held-out set: DIR/<assignment>/<origin>__<kind>.*")
    parser.add_argument("--verbose", action="store_true", help="the lowest score per disguise too")
    args = parser.parse_args()
    print(f"{'candidate':46} {'assignment':18} {'copies flagged':>15} {'independent flagged':>20} "
          f"{'lowest copy':>11} {'highest indep.':>14} {'margin':>7}")
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as tmp:
        classes: dict[str, list[list[Path]]] = {}
        for name in corpus.ASSIGNMENTS:
            if args.set:
                folder = args.set / name
                if folder.is_dir():
                    classes[name] = [sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb", ".zip"))]
                continue
            # One class per disguise, as a course sees it: every independent solution, and one copy
            # of each under that disguise (a class of a thousand copies would make everything common).
            entries = corpus.write_class(name, Path(tmp) / name)
            independent = [e.path for e in entries if e.disguise == "independent"]
            kinds = sorted({e.disguise for e in entries} - {"independent"})
            classes[name] = [independent + [e.path for e in entries if e.disguise == kind] for kind in kinds]
        for label, candidate in CANDIDATES.items():
            for name, groups in classes.items():
                total = Outcome(0, 0, 0, 0, 1.0, 0.0)
                lowest: dict[str, float] = {}
                for files in groups:
                    scores = candidate(files, name)
                    r = outcome(files, scores)
                    total = Outcome(total.copies + r.copies, total.copies_flagged + r.copies_flagged,
                                    total.independent + r.independent, total.independent_flagged + r.independent_flagged,
                                    min(total.lowest_copy, r.lowest_copy), max(total.highest_independent, r.highest_independent))
                    for kind, score in by_disguise(files, scores).items():
                        lowest[kind] = min(lowest.get(kind, 1.0), score)
                r = total
                print(f"{label:46} {name:18} {r.copies_flagged:>7} of {r.copies:<5} {r.independent_flagged:>10} of {r.independent:<6} "
                      f"{r.lowest_copy:>11.3f} {r.highest_independent:>14.3f} {r.lowest_copy - r.highest_independent:>+7.3f}")
                if args.verbose:
                    print("    lowest copy-origin score per disguise:", ", ".join(f"{k} {v:.2f}" for k, v in sorted(lowest.items())))


if __name__ == "__main__":
    main()
