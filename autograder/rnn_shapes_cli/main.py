"""``rnn-shapes``: build the assignment and grade submissions."""

from __future__ import annotations

import argparse
from pathlib import Path

from .build import ROOT

DEFAULT_ZIP = ROOT / "dist" / "rnn_shapes" / "autograder" / "autograder.zip"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="rnn-shapes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build dist/rnn_shapes/{student,autograder} with otter assign")
    grade = sub.add_parser("grade", help="grade .ipynb and .py submissions in files and folders")
    grade.add_argument("paths", nargs="+", help="submission files or folders (searched recursively)")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    grade.add_argument("--out", type=Path, default=Path("grades"), help="output folder (default ./grades)")
    grade.add_argument("--autograder", type=Path, default=DEFAULT_ZIP, help="the autograder zip")
    grade.add_argument("--regrade", action="store_true", help="grade again what is already graded")
    args = parser.parse_args(argv)
    if args.command == "build":
        from .build import build

        print(build())
    elif args.command == "grade":
        from .grade import grade_all, print_table

        rows = grade_all(args.paths, args.autograder, args.out, jobs=args.jobs)
        print_table(rows)
        print(f"\nGrades written to {args.out / 'grades.csv'}")
