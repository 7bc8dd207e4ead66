"""``rnn-shapes``: build the assignments, grade submissions and scaffold new assignments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import ROOT


def default_assignment() -> str:
    """The assignment graded when none is named: ``DEFAULT`` of the ``assignments`` package, which
    an installed copy holds as well as a checkout."""
    import assignments

    return assignments.DEFAULT


def assignment_zip(name: str) -> Path:
    return ROOT / "dist" / name / "autograder" / "autograder.zip"

EXIT_CLUSTER = 3
"""``--scheduler``: Dask missing, the scheduler unreachable or lost, or a worker unable to grade."""
EXIT_ON_SIGNAL = 128
"""A run ended by signal N exits with 128 + N, as shells do (130 for Ctrl-C, 143 for SIGTERM)."""


def main(argv: list[str] | None = None) -> None:
    from .grading import SUBMISSION_TIMEOUT_S

    parser = argparse.ArgumentParser(prog="rnn-shapes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build dist/<name>/{student,autograder} of each assignment with otter assign")
    build.add_argument("names", nargs="*", help="the assignments to build (default: every folder in assignments/)")
    grade = sub.add_parser(
        "grade",
        help="grade .ipynb and .py submissions in files and folders",
        description="Grade each submission with `otter run` and the built zip, in parallel. Writes "
        "DIR/grades.csv (one row per student: the latest submission counts), DIR/exports/ (Canvas, Moodle, "
        "Gradescope), DIR/return/ (feedback per student), DIR/skipped.csv, DIR/feedback/*.txt, DIR/results/*.json "
        "and DIR/report.html as submissions finish; a re-run skips what is already graded.",
    )
    grade.add_argument("paths", nargs="+", help="submission files or folders (searched recursively)")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    grade.add_argument("--out", type=Path, default=Path("grades"), help="output folder DIR (default ./grades)")
    grade.add_argument("--assignment", help="grade with dist/NAME/autograder/autograder.zip "
                       f"(default: {default_assignment()})")
    grade.add_argument("--autograder", type=Path, help="the autograder zip (overrides --assignment)")
    grade.add_argument("--timeout", type=float, default=SUBMISSION_TIMEOUT_S,
                       help=f"seconds allowed to grade one submission (default {SUBMISSION_TIMEOUT_S})")
    grade.add_argument("--regrade", action="store_true",
                       help="grade again what is already graded in DIR (only the files given: every other row stays)")
    grade.add_argument("--roster", type=Path, metavar="CSV",
                       help="a CSV naming the student of files whose names say nothing (columns file, student), "
                       "or adding names, emails, sections to ids (id or github_username, student, email, section); kept as "
                       "DIR/roster.csv for later runs into DIR")
    grade.add_argument("--student", metavar="WHO",
                       help="grade only this student's files (a name, id or email as the table shows it)")
    grade.add_argument("--canvas-column", metavar="HEADER",
                       help="the assignment's column in exports/canvas.csv: its name in Canvas with its id, "
                       "e.g. 'RNN shapes (4521)' (default: the assignment's name, which Canvas imports as a new "
                       "assignment)")
    grade.add_argument("--side-by-side", action="store_true",
                       help="grade --jobs submissions at once even where nothing keeps gradings apart (an ordinary "
                       "user where user namespaces are off): otherwise they are graded one at a time there")
    grade.add_argument("--no-report", action="store_true", help="skip report.html and its plots")
    grade.add_argument("--no-similarity", action="store_true",
                       help="skip the similarity check (DIR/similarity.csv and the report's section on pairs "
                       "that share more code than independent work does)")
    grade.add_argument("--similarity-threshold", type=float, metavar="X",
                       help="flag a pair of submissions when at least this share (0 to 1) of the smaller one's own "
                       "code is in the other (default 0.7); higher gives fewer, surer flags")
    grade.add_argument("--cold-kernels", action="store_true",
                       help="start every `otter run`, kernel and sealed run afresh, each importing what it needs, "
                       "instead of forking them from a template that has TensorFlow imported (slower; the scores "
                       "are the same)")
    grade.add_argument("--scheduler", metavar="ADDRESS",
                       help="grade on the workers of this Dask scheduler (e.g. tcp://HOST:8786) instead of here; "
                       "--jobs is then the workers' threads. Needs the [cluster] extra here and on the workers. "
                       f"Exits with {EXIT_CLUSTER} when the cluster cannot grade (scheduler unreachable or lost)")
    case = sub.add_parser(
        "case",
        help="map the case id of a failure message back to its sizes and inputs (instructors: it needs the "
        "zip that graded it, which holds the secret)",
    )
    case.add_argument("id", help="the id after 'case' in a failure message, e.g. 3f9c0a1b2d4e5f60")
    case.add_argument("--assignment", help="the assignment of dist/NAME/autograder/autograder.zip")
    case.add_argument("--autograder", type=Path, help="the autograder zip (overrides --assignment)")
    secret = sub.add_parser(
        "secret",
        help="show where the instructor's secret lives (every hidden case comes from it), or draw a new one",
    )
    secret.add_argument("--rotate", action="store_true",
                        help="draw a new secret: the next build ships it, and its case ids differ; zips built "
                        "before keep theirs")
    new = sub.add_parser(
        "new",
        help="scaffold assignments/NAME/ and solutions/NAME/: a small assignment that builds and passes the "
        "contract tests, to edit into your own",
    )
    new.add_argument("name", help="the new assignment's name: a Python identifier in lower case, not taken yet")
    new.add_argument("--root", type=Path, default=ROOT, help=f"the project to add it to (default: {ROOT})")
    args = parser.parse_args(argv)
    if args.command == "case":
        sys.exit(_case(args))
    if args.command == "new":
        sys.exit(_new(args))
    if args.command == "secret":
        sys.exit(_secret(args))
    if args.command == "build":
        from .build import build

        for zip_path in build(names=args.names or None):
            print(zip_path)
    elif args.command == "grade":
        sys.exit(_grade(args))


CASE_LOOKUP = """
import sys
import numpy as np
from gradecore.judge import secret, service, truths
from gradecore.public import spec
name, wanted = sys.argv[1], sys.argv[2].lower()
assignment = spec.load(name)
truths.use(truths.load_shipped(name))
instructor = secret.shipped(name, assignment.default_seed)
if len(wanted) == secret.ID_DIGITS:
    nonce, index = secret.CaseIds(instructor).decode(wanted)
    checks = service.fresh_checks(assignment, instructor, nonce)
    print(f"grading {nonce:012x}, its case {index}: case seed {secret.grading_seed(instructor, nonce) + index}")
else:
    base = secret.build_seed(instructor)
    checks = assignment.build_checks(base)
    for seed in [base + i for i in range(10_000) if spec.case_id(base + i) == wanted][:1]:
        print(f"the build's case: case seed {seed}")
np.set_printoptions(precision=4, suppress=True, threshold=40, edgeitems=3)
found = False
for question, question_checks in checks.items():
    for check in question_checks:
        if f"case {wanted}," in check.label + "," and not check.label.endswith("asked again"):
            if not found:
                print(f"its inputs, as {question} is called with them (grader/cases.py draws them from the case seed):")
                for i, arg in enumerate(check.args):
                    print(f"  argument {i}: {arg!r}" if not isinstance(arg, np.ndarray)
                          else f"  argument {i}: {arg.dtype} {arg.shape}\\n{arg}")
            print(f"{question}: {check.label}")
            found = True
sys.exit(0 if found else 1)
"""


def _case(args) -> int:
    """Print every check of the case ``args.id``, from the zip's own code and seed."""
    import subprocess
    import tempfile
    import zipfile

    autograder = args.autograder or assignment_zip(args.assignment or default_assignment())
    if not Path(autograder).is_file():
        print(f"rnn-shapes: no autograder zip at {autograder}: run `make dist` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gradecore-case-") as folder, zipfile.ZipFile(autograder) as zf:
        zf.extractall(folder)
        import json

        name = json.loads(Path(folder, "assignment.json").read_text())["name"]
        found = subprocess.run([sys.executable, "-c", CASE_LOOKUP, name, args.id],
                               env={**__import__("os").environ, "PYTHONPATH": folder}, cwd=folder)
    if found.returncode:
        print(f"rnn-shapes: no case {args.id} in {autograder}", file=sys.stderr)
    return found.returncode


def _secret(args) -> int:
    """Print where the instructor's secret lives; with ``--rotate``, draw a new one first."""
    from .secret import instructor_secret, rotate, secret_path

    if args.rotate:
        path = rotate()
        print(f"{path}: a new secret. The next build ships it; zips built before keep theirs (and their case ids).")
        return 0
    path = secret_path()
    made = not path.exists()
    try:
        instructor_secret()
    except ValueError as e:
        print(f"rnn-shapes: {e}", file=sys.stderr)
        return 2
    print(f"{path}{': made now' if made else ''} (keep it private; back it up to map old feedback ids)")
    return 0


def _new(args) -> int:
    """Scaffold the assignment ``args.name`` in ``args.root``; refuse, with one line, a bad or taken name."""
    from .scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(args.name, args.root)
    except ScaffoldError as e:
        print(f"rnn-shapes: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(f"\nNext: {next_step(args.name, args.root)}, then edit it into your own (docs/authoring.md).")
    return 0


def this_command() -> str:
    """The command line that runs this very ``rnn-shapes`` from any folder (a project's ``.venv/bin`` is
    not on PATH): its script's absolute path, or ``python -m gradecore.cli``."""
    script = Path(sys.argv[0])
    if script.name == "rnn-shapes" and script.exists():
        return str(script.resolve())
    return f"{sys.executable} -m gradecore.cli"


def next_step(name: str, root: Path) -> str:
    """What to run after ``rnn-shapes new NAME``, as it runs when pasted."""
    if Path(root).resolve() == ROOT:
        return f"{this_command()} build {name}"
    return f"build it with the rnn-shapes of {root} ({Path(root) / '.venv/bin/rnn-shapes'} build {name})"


def _grade(args) -> int:
    from .batch import Interrupted, grade_all
    from .cluster import ClusterError  # Dask itself only with --scheduler
    from .roster import RosterError
    from .table import table

    autograder = args.autograder or assignment_zip(args.assignment or default_assignment())
    try:
        batch = grade_all(args.paths, autograder, args.out, jobs=args.jobs, timeout=args.timeout,
                          regrade=args.regrade, warm=not args.cold_kernels, scheduler=args.scheduler,
                          roster=args.roster, student=args.student, canvas_column=args.canvas_column,
                          side_by_side=args.side_by_side)
    except (FileNotFoundError, RosterError) as e:
        print(f"rnn-shapes: {e}", file=sys.stderr)
        return 2
    except ClusterError as e:
        print(f"\nrnn-shapes: {e}", file=sys.stderr)
        if e.started:
            print(f"What finished is saved in {args.out}; run the same command again to grade the rest.",
                  file=sys.stderr)
        return EXIT_CLUSTER
    except Interrupted as stop:
        batch = stop.batch
        batch.write_all()
        _report(batch, args)
        done = sum(1 for s in batch.submissions if s.name in batch.records)
        print(f"\nInterrupted ({stop}): {done} of {len(batch.submissions)} submissions graded and saved in "
              f"{args.out}. Run the same command again to grade the rest.", file=sys.stderr)
        return EXIT_ON_SIGNAL + stop.signum
    if not batch.submissions:
        skipped = batch.all_skipped()
        why = f" ({len(skipped)} files skipped, each with its reason in {args.out / 'skipped.csv'})" if skipped else ""
        print(f"rnn-shapes: no submissions (.ipynb, .py, or a notebook's exported .zip) found in {' '.join(args.paths)}"
              f"{why}", file=sys.stderr)
        return 1
    print(table(batch))
    similar = _similarity(batch, args)
    report = _report(batch, args, similar)
    skipped = batch.all_skipped()
    print(f"\nGrades:   {args.out / 'grades.csv'} (one row per student)")
    print(f"Exports:  {args.out / 'exports'}/ (canvas.csv, moodle.csv, gradescope.csv; blanks.csv: why a score is blank)")
    print(f"Feedback: {args.out / 'return'}/ (one .txt per student, to hand back)")
    if skipped:
        print(f"Skipped:  {args.out / 'skipped.csv'} ({len(skipped)} files not graded, each with its reason)")
    if similar is not None:
        print(f"Similar:  {args.out / 'similarity.csv'} (flagged pairs: {len(similar.flagged)}, "
              "evidence for a person to read, not a verdict)")
    if report:
        print(f"Report:   {report}")
    return 0


def _similarity(batch, args):
    """The similarity check of the whole class (:mod:`gradecore.cli.similarity`), unless switched off."""
    if args.no_similarity:
        return None
    from .similarity import FLAG_AT, write_similarity

    threshold = FLAG_AT if args.similarity_threshold is None else args.similarity_threshold
    found = write_similarity(batch, args.out, flag_at=threshold)
    if not found.handout:
        print("rnn-shapes: no built student notebook beside the autograder zip (dist/NAME/student/): the "
              "similarity check compared the handout's code too", file=sys.stderr)
    return found


def _report(batch, args, similar=None) -> Path | None:
    if args.no_report or not batch.records:
        return None
    from .report import write_report

    return write_report(batch.rows(), batch.assignment, args.out, skipped=batch.all_skipped(), similarity=similar)
