"""``rnn-shapes``: build the assignment and grade submissions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import ROOT

DEFAULT_ZIP = ROOT / "dist" / "rnn_shapes" / "autograder" / "autograder.zip"
EXIT_ON_SIGNAL = 128
"""A run ended by signal N exits with 128 + N, as shells do (130 for Ctrl-C, 143 for SIGTERM)."""


def main(argv: list[str] | None = None) -> None:
    from .grade import SUBMISSION_TIMEOUT_S

    parser = argparse.ArgumentParser(prog="rnn-shapes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build dist/rnn_shapes/{student,autograder} with otter assign")
    grade = sub.add_parser(
        "grade",
        help="grade .ipynb and .py submissions in files and folders",
        description="Grade each submission with `otter run` and the built zip, in parallel. Writes "
        "DIR/grades.csv, DIR/feedback/*.txt, DIR/results/*.json and DIR/report.html as submissions "
        "finish; a re-run skips what is already graded.",
    )
    grade.add_argument("paths", nargs="+", help="submission files or folders (searched recursively)")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    grade.add_argument("--out", type=Path, default=Path("grades"), help="output folder DIR (default ./grades)")
    grade.add_argument("--autograder", type=Path, default=DEFAULT_ZIP, help="the autograder zip (default: dist's)")
    grade.add_argument("--timeout", type=float, default=SUBMISSION_TIMEOUT_S,
                       help=f"seconds allowed to grade one submission (default {SUBMISSION_TIMEOUT_S})")
    grade.add_argument("--regrade", action="store_true", help="grade again what is already graded in DIR")
    grade.add_argument("--no-report", action="store_true", help="skip report.html and its plots")
    args = parser.parse_args(argv)
    if args.command == "build":
        from .build import build

        print(build())
    elif args.command == "grade":
        sys.exit(_grade(args))


def _grade(args) -> int:
    from .grade import Interrupted, grade_all, table

    try:
        batch = grade_all(args.paths, args.autograder, args.out, jobs=args.jobs, timeout=args.timeout,
                          regrade=args.regrade)
    except FileNotFoundError as e:
        print(f"rnn-shapes: {e}", file=sys.stderr)
        return 2
    except Interrupted as stop:
        batch = stop.batch
        batch.write_all()
        _report(batch, args)
        done = len(batch.records)
        print(f"\nInterrupted ({stop}): {done} of {len(batch.submissions)} submissions graded and saved in "
              f"{args.out}. Run the same command again to grade the rest.", file=sys.stderr)
        return EXIT_ON_SIGNAL + stop.signum
    if not batch.submissions:
        print(f"rnn-shapes: no .ipynb or .py submissions found in {' '.join(args.paths)}", file=sys.stderr)
        return 1
    print(table(batch))
    report = _report(batch, args)
    print(f"\nGrades:   {args.out / 'grades.csv'}")
    print(f"Feedback: {args.out / 'feedback'}/ (one .txt per submission)")
    if report:
        print(f"Report:   {report}")
    return 0


def _report(batch, args) -> Path | None:
    if args.no_report or not batch.records:
        return None
    from .report import write_report

    return write_report(batch.rows(), batch.assignment, args.out)
