"""How often the public checks (``grader.check``, pytest) name a mistake, and how often the grader does, on the same files.

The mistakes are in ``bench/heldout/<round>/<assignment>/``, one file each, as for :mod:`bench.naming`:
each defines one graded function with one mistake, its ``QUESTION`` and ``ACCEPT`` (the grader's names
that would be true). Files of the ``selfcheck`` round also say ``PUBLIC``: phrases, any of which in the
public check's diagnosis (what follows "Likely mistake:" or "What these checks show:") names the mistake
truly, and may say ``PUBLIC_TRUE``: phrases of a finding that is true of the mistake without naming it
(counted unnamed, not wrong); any other diagnosis is a wrong name. A file without ``PUBLIC`` is counted
for the grader only, its diagnosis printed ("said") to be judged by reading its docstring.

The public check is the one the student notebook carries (its test function, taken from the assignment's
notebook), run here with real Keras on the file's function, as ``grader.check`` runs it. Prints, per
assignment, the public check's named / wrong / unnamed and the grader's, then one line per file with the
public check's diagnosis.

    .venv/bin/python bench/selfcheck_naming.py [--round selfcheck] [--assignment NAME] [--grader]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "autograder"), str(ROOT), str(ROOT / "bench")]

import gradecore.public as public  # noqa: E402
from gradecore.public import selfcheck  # noqa: E402

# The notebook's checks import the helper as the student folder ships it: gradecore_public.
sys.modules["gradecore_public"] = public
sys.modules["gradecore_public.selfcheck"] = selfcheck

import naming  # noqa: E402  (bench/naming.py: the grader's naming of the same files)

DIAGNOSES = ("Likely mistake:", "What these checks show:", "changed the arrays it was given", "did not return within",
             "Convert it")
"""How the public check's message says what it found (the rest says only what differs)."""


def public_checks(assignment: str) -> dict[str, object]:
    """Each question's public test function, from the assignment's notebook, by question."""
    notebook = json.loads((ROOT / "assignments" / assignment / f"{assignment}.ipynb").read_text())
    found = {}
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "BEGIN TEST CONFIG" not in source or "hidden: false" not in source:
            continue
        tree = ast.parse(source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                space: dict = {}
                exec(compile(ast.Module(body=[node], type_ignores=[]), f"<public check {node.name}>", "exec"), space)
                found[node.args.args[0].arg] = space[node.name]
    return found


def public_message(check, function) -> str:
    """What the public check says to the student: '' when it passes."""
    try:
        check(function)
    except AssertionError as e:
        return str(e)
    except NotImplementedError:
        return "not implemented"
    return ""


def public_verdict(message: str, accept: tuple[str, ...], true: tuple[str, ...] = ()) -> tuple[str, str]:
    """named / wrong / unnamed / passed, and the diagnosis said. ``accept``: phrases that name the mistake;
    ``true``: phrases of a finding that is true of it without naming it (unnamed, not wrong)."""
    if not message:
        return "passed", ""
    said = next((message[message.index(d):] for d in DIAGNOSES if d in message), "")
    if not said or any(phrase.lower() in said.lower() for phrase in true):
        return "unnamed", said
    return ("named" if any(phrase.lower() in said.lower() for phrase in accept) else "wrong"), said


def bench(folder: Path, grader: bool) -> dict[str, dict[str, int]]:
    assignment = folder.name
    checks = public_checks(assignment)
    counts = {"public": dict.fromkeys(("named", "wrong", "said", "unnamed", "passed"), 0),
              "grader": dict.fromkeys(("named", "wrong", "missed", "passed"), 0)}
    hidden = None
    if grader:
        spec = naming.specs.load(assignment)
        hidden = (spec, spec.build_checks(spec.default_seed))
    for path in sorted(folder.glob("*.py")):
        module = naming.load(path)
        question = module.QUESTION
        function = getattr(module, question)
        line = f"  {path.stem:34s}"
        if hasattr(module, "PUBLIC"):
            status, said = public_verdict(public_message(checks[question], function), tuple(module.PUBLIC),
                                          tuple(getattr(module, "PUBLIC_TRUE", ())))
            counts["public"][status] += 1
            line += f" public {status:8s}"
        else:
            # No PUBLIC phrases (a round written for the grader): the diagnosis is printed, to be judged by reading.
            message = public_message(checks[question], function)
            said = next((message[message.index(d):] for d in DIAGNOSES if d in message), "")
            status = "passed" if not message else "said" if said else "unnamed"
            counts["public"][status] += 1
            line += f" public {status:8s}"
        if hidden is not None:
            spec, cases = hidden
            keeps = spec.question(question).keeps_arguments
            outcomes = [naming.outcome(function, c, keeps) for c in cases[question]]
            verdict = naming.diagnosis.decide(spec, question, cases[question], outcomes, spec.default_seed)
            got, _ = naming.named(spec, question, cases[question], outcomes)
            status = "passed" if verdict.passed else "missed" if got is None else "named" if got in module.ACCEPT else "wrong"
            counts["grader"][status] += 1
            line += f" grader {status:7s} {got or '-':24s}"
        doc = (module.__doc__ or "").strip().splitlines()[0] if not hasattr(module, "PUBLIC") and module.__doc__ else ""
        print(f"{line} {said[:220]}" + (f"\n      (the mistake: {doc[:200]})" if doc else ""), flush=True)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--round", action="append", help="rounds under bench/heldout (default: selfcheck)")
    parser.add_argument("--assignment", action="append", help="only these assignments")
    parser.add_argument("--grader", action="store_true", help="also the grader's naming (builds the hidden checks)")
    args = parser.parse_args()
    summary = []
    for round_ in args.round or ["selfcheck"]:
        for folder in sorted(p for p in (naming.HELDOUT / round_).iterdir() if p.is_dir()):
            if args.assignment and folder.name not in args.assignment:
                continue
            print(f"\n{round_} {folder.name}", flush=True)
            counts = bench(folder, args.grader)
            public_total = sum(counts["public"].values())
            text = f"{round_} {folder.name}: public checks " + (
                f"{counts['public']['named']} of {public_total} named, {counts['public']['wrong']} wrong, "
                f"{counts['public']['said']} said (to judge by reading), {counts['public']['unnamed']} unnamed, "
                f"{counts['public']['passed']} passed" if public_total else "-")
            if args.grader:
                g = counts["grader"]
                text += f"; grader {g['named']} of {sum(g.values())} named, {g['wrong']} wrong, {g['missed']} missed, {g['passed']} passed"
            summary.append(text)
    print("", *summary, sep="\n")


if __name__ == "__main__":
    main()
