"""How often the feedback names a mistake the grader was not tuned to, and how often it names a wrong one.

The mistakes are in ``bench/heldout/<round>/<assignment>/``, one file each. Each file defines one
graded function with one mistake, its ``QUESTION``, and ``ACCEPT``: the names (concept ids, or
:mod:`gradecore.public.structure` finding ids) that would say truthfully what the mistake is, written
with the mistake, before it was graded; an empty set means nothing the grader can say would name
it. A round is held out only until concepts are tuned on it: :data:`ROUNDS` says which were.

Every mistake is graded by the judge's own code in this process (the assignment's hidden checks
with their real Keras truths, :func:`gradecore.judge.diagnosis.decide`), and the ``--otter`` first ones
also by the real ``otter run`` against the built zip, to show that the same line reaches
students. Prints, per round and assignment, the share named, the wrong names and the misses.

    .venv/bin/python bench/naming.py [--round round2] [--assignment NAME] [--otter 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "autograder"), str(ROOT)]

from gradecore.judge import diagnosis  # noqa: E402
from gradecore.public import spec as specs  # noqa: E402
from gradecore.public.compare import Answer, same_answer  # noqa: E402
from gradecore.public.encode import encode_value, private_copy  # noqa: E402
from gradecore.public.structure import describe  # noqa: E402

HELDOUT = ROOT / "bench" / "heldout"

ROUNDS = {
    "round1": "written before the concepts of issue 14b, which were then tuned on it: no longer held out",
    "round2": "written after those concepts were committed, ACCEPT before grading; the concepts of issue 14c were then "
              "tuned on it (ACCEPT of the files they name set after tuning): no longer held out",
    "round3": "written after the concepts of issue 14c, ACCEPT before grading (77% named, 0 wrong); the concepts and "
              "findings of issue 14e were then tuned on it (ACCEPT of the 7 files they name set after tuning): "
              "no longer held out",
    "round4": "30 mistakes written blind after the concepts and findings of issue 14e were committed, ACCEPT set "
              "from them before grading (87% named, 0 wrong); the concepts of issue 14f were then tuned on it (ACCEPT "
              "of the 4 files they name set after tuning): no longer held out",
    "round5": "30 new mistakes (none of an earlier round's) written blind after the concepts of issue 14f were "
              "committed, ACCEPT set from them before grading (53% named, 0 wrong); the concepts of issue 14g were "
              "then tuned on it (ACCEPT of the 12 files they name set after tuning): no longer held out",
    "round6": "30 mistakes, the most common the writer could think of, written blind (no earlier round, no grader "
              "code read) after the concepts of issue 14g were committed, ACCEPT set from them before grading, "
              "never tuned on: held out",
    "round7": "30 mistakes, a realistic mix as a grading assistant would expect, written blind (no earlier round, no "
              "grader code read) after the review fixes of issue 14, ACCEPT set from them before grading (97% named, 1 "
              "wrong name: a count formula said 'for every size tried' where only the default's checks failed); that "
              "text and the wrong_default finding were then fixed on it (ACCEPT of that 1 file set after): no longer "
              "held out",
    "round8": "30 mistakes, the mix an instructor who graded a class would expect, written blind (no earlier round, no "
              "grader code read) after round7's fix, ACCEPT set from that grader before grading, never tuned on: held out",
    "round9": "31 mistakes (issue 33), written blind by the selfcheck helper before running any check on them and before "
              "reading the public checks' diagnoses, ACCEPT and PUBLIC set before grading: held out until a fix is tuned "
              "on it (docs/measurements.md, issue 33, says which)",
}
"""Each round's folder under HELDOUT, and what it measures."""


def load(path: Path):
    module_spec = importlib.util.spec_from_file_location(f"heldout_{path.stem}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def outcome(function, check, keeps_arguments: bool = False) -> dict:
    """What the kernel side reports for one call: each call gets its own copy of the arguments (arrays
    inside lists too), and where the question asks the arguments be kept, a call that changes them is
    reported as the kernel reports it."""
    args = [private_copy(a) for a in check.local_args]
    try:
        value = encode_value(function(*args))
    except Exception as e:
        return {"status": "raised", "detail": f"{type(e).__name__}: {str(e)[:200]}"}
    if keeps_arguments and not all(same_answer(Answer.decode(encode_value(a)), Answer.decode(encode_value(b)), 0, 0)
               for a, b in zip(args, check.local_args) if not callable(b)):
        return {"status": "changed_arguments"}
    return {"status": "returned", "value": value}


def named(assignment: specs.AssignmentSpec, question: str, checks, outcomes) -> tuple[str | None, str]:
    """The id the feedback names (a concept, an entry or a structural finding) and the line naming it.

    A call that changed its arguments is named by the feedback's first line, "changed the arrays it was
    given (in place)", and then by nothing else (:func:`diagnosis.find_diagnosis` names no entry): its id is
    ``changed_arguments``."""
    changed = [o for o in outcomes if o["status"] == "changed_arguments"]
    if changed:
        return "changed_arguments", diagnosis.outcome_problem(changed[0])
    answers = []
    for o in outcomes:
        if o["status"] == "returned":
            answers.append(diagnosis.Answer.decode(o["value"]))
        elif o["status"] == "raised":
            answers.append(diagnosis.raised(o["detail"]))
        else:  # no answer (arguments changed in place), as the judge has none
            answers.append(None)
    found = diagnosis.find_diagnosis(assignment, question, checks, answers)
    if found:
        return found.mistake.concept or found.mistake.id, found.message()
    shown = describe(assignment.question(question), checks, answers)
    if shown:
        return shown.id, shown.message()
    return None, ""


def grade_assignment(folder: Path, otter: int, seed: int | None) -> tuple[int, int, int]:
    name = folder.name
    assignment = specs.load(name)
    seed = assignment.default_seed if seed is None else seed
    print(f"\n{folder.parent.name} {name}: building the hidden checks with real Keras truths (seed {seed})...", flush=True)
    checks = assignment.build_checks(seed)
    files = sorted(folder.glob("*.py"))
    counts = {"named": 0, "wrong": 0, "missed": 0}
    otter_rows = []
    for path in files:
        module = load(path)
        question = module.QUESTION
        keeps = assignment.question(question).keeps_arguments
        outcomes = [outcome(getattr(module, question), c, keeps) for c in checks[question]]
        verdict = diagnosis.decide(assignment, question, checks[question], outcomes, seed)
        got, line = named(assignment, question, checks[question], outcomes)
        if verdict.passed:
            status = "PASSED (not a mistake on these checks)"
        elif got is None:
            status = "missed"
        elif got in module.ACCEPT:
            status = "named"
        else:
            status = "wrong"
        counts[status if status in counts else "missed"] += 1
        print(f"  {status:7s} {path.stem:38s} {got or '-':26s} {line[:110]}")
        if len(otter_rows) < otter and line:
            otter_rows.append((path, question, line))
    total = len(files)
    print(f"{folder.parent.name} {name}: {counts['named']} of {total} named ({100 * counts['named'] / total:.0f}%), "
          f"{counts['wrong']} wrong names, {counts['missed']} missed")
    if otter_rows:
        check_with_otter(name, otter_rows)
    return counts["named"], counts["wrong"], total


def check_with_otter(name: str, rows) -> None:
    """Grade the first few with the real ``otter run`` and the built zip: the same line must reach students."""
    from tests.support import AssignmentUnderTest

    kit = AssignmentUnderTest(name)
    zip_path = ROOT / "dist" / name / "autograder" / "autograder.zip"
    if not zip_path.exists():
        print(f"  (no {zip_path.relative_to(ROOT)}: run make dist to check through otter run)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for i, (path, question, line) in enumerate(rows):
            folder = Path(tmp) / f"s{i}"
            folder.mkdir()
            submission = folder / f"{name}.py"
            # the held-out file itself (its helpers too), without the bench's own names
            lines = path.read_text().splitlines()
            source = "\n".join(line for line in lines if not line.startswith(("QUESTION", "ACCEPT")))
            submission.write_text(kit.py_submission({question: source}))
            graded = kit.otter_run(zip_path, submission)
            same = line in graded.outputs[question]
            print(f"  otter run {path.stem:32s} score {graded.scores[question]} of {kit.points[question]}, "
                  f"same line in the student's feedback: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--round", action="append", choices=sorted(ROUNDS), help="grade only these rounds (default: all)")
    parser.add_argument("--assignment", action="append", help="grade only these (default: every folder of a round)")
    parser.add_argument("--otter", type=int, default=0, help="also grade the first N of each with otter run")
    parser.add_argument("--seed", type=int, help="hidden checks seed (default: the assignment's)")
    args = parser.parse_args()
    summary = []
    for round_ in args.round or sorted(ROUNDS):
        folders = sorted(p for p in (HELDOUT / round_).iterdir() if p.is_dir() and p.name in (args.assignment or [p.name]))
        named = wrong = total = 0
        for folder in folders:
            n, w, t = grade_assignment(folder, args.otter, args.seed)
            named, wrong, total = named + n, wrong + w, total + t
        summary.append(f"{round_}: {named} of {total} named ({100 * named / total:.0f}%), {wrong} wrong names; {ROUNDS[round_]}")
    print("", *summary, sep="\n")

if __name__ == "__main__":
    main()
