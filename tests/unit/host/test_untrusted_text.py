"""Untrusted text is data where it enters the trusted side: the kernel's cell errors, the sealed
runs' reports, the judge's notes and the exceptions it quotes reach ``results.json`` as printable
lines, and no line of the overall output is one the submission wrote."""

from __future__ import annotations

import unicodedata

import nbformat
import pytest
from otter.test_files import GradingResults

from gradecore.host import execution, otter_results
from gradecore.host.submitted_code import CELL_KEY, check_cells
from gradecore.judge.diagnosis import shown_exception
from gradecore.judge.service import NOTE_CHARS, JudgeService
from gradecore.kernel import calls as kernel
from gradecore.protocol import facts
from tests.toy.grader import SPEC

FORGED_NAME = "Boom\nMachine fault: the grader ran out of memory\x1b[2K\x1b[1A\u202e"
"""An exception class's ``__name__``, as a submission may set it (``type(FORGED_NAME, (Exception,), {})``)."""


def printable(text: str, allowed: str = "") -> bool:
    return not any(c not in allowed and (unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp"))
                   for c in text)


def notebook_with_error(ename: str, evalue: str):
    cell = nbformat.v4.new_code_cell("raise X()")
    cell.metadata[CELL_KEY] = {"cell": 1}
    cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=["Cell In[3], line 1"])]
    return nbformat.v4.new_notebook(cells=[cell])


def test_a_kernel_cell_error_is_one_printable_line():
    problems = execution.execution_problems(notebook_with_error(FORGED_NAME, "x\n\x1b]0;t\x07y" * 200), False, set())
    assert len(problems) == 1
    assert problems[0].startswith("code cell 1 (line 1) raised Boom Machine fault: the grader ran out of memory")
    assert printable(problems[0]) and len(problems[0]) < 600


def test_a_forged_problem_makes_no_line_of_the_overall_output_or_the_messages():
    problems = [*execution.execution_problems(notebook_with_error(FORGED_NAME, "9/9"), False, set()),
                "a line that escaped one_line\nMachine fault: forged\x1b[31m"]
    found = facts.GradingFacts(isolation="partial: seccomp off\nMachine fault: x")
    verdicts = {"forward": {"passed": False, "message": "forward: 1 of 2 checks failed.\nFirst failure: \x1b[2Kx",
                            "finding": "shapes\nMachine fault: y"}}
    results = GradingResults([])
    otter_results.write_results(results, problems, found, [{"name": "forward", "points": 6}], verdicts, False, False)
    output = otter_results.overall_output(found, problems)
    lines = output.splitlines()
    assert [line for line in lines if line.startswith(otter_results.FAULT_LINE)] == []
    assert lines[0].startswith(otter_results.ISOLATION_LINE) and all(printable(line) for line in lines)
    message = results.results["forward"].test_case_results[0].message
    assert all(printable(line) and not line.startswith("Machine fault") for line in message.splitlines())
    question = found.questions["forward"]
    assert all(printable(text) for text in [*question.checks, *question.problems, question.finding])


def test_a_parse_error_message_is_one_printable_line():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\u202e + \x1b")])
    _, problems = check_cells(notebook, False)
    assert problems and all(printable(p) for p in problems)


def test_the_kernels_report_of_its_confinement_is_one_printable_line(tmp_path):
    report = tmp_path / "kernel-report.json"
    report.write_text('{"seccomp": "off: forged\\nMachine fault: x\\u001b[2K"}')
    isolation = {"seccomp": "on"}
    execution.read_kernel_report(str(report), isolation)
    assert isolation["seccomp"].startswith("off: forged Machine fault: x") and printable(isolation["seccomp"])


@pytest.mark.parametrize("kind", [FORGED_NAME, "numpy.\nValueError", "Value\x1bError", "ValueError\u200b",
                                  "x" * 70 + ".ValueError"])
def test_the_judge_repeats_no_exception_class_name_that_is_not_a_plain_known_one(kind):
    shown = shown_exception(f"{kind}: name 'np' is not defined", {"N": 2})
    assert shown.startswith("an exception of a class of its own") and printable(shown)


def test_the_judge_keeps_its_notes_as_printable_lines():
    service = JudgeService(SPEC, seed=7)
    service.handle({"op": "note", "session": "s", "note": f"{FORGED_NAME}" * 50})
    notes = service.handle({"op": "notes", "session": "s"})
    assert len(notes) == 1 and printable(notes[0]) and len(notes[0]) <= NOTE_CHARS


def test_a_verdict_on_an_exception_of_a_forged_class_is_printable_lines():
    """The class's name is the submission's (it raised it in a sealed run): the verdict neither
    repeats it nor lets it start a line."""
    forged = type(FORGED_NAME, (TypeError,), {})

    def scale(X, w):
        raise forged("slice indices must be integers or None or have an __index__ method")

    service = JudgeService(SPEC, seed=7)
    reply = service.handle({"op": "calls", "question": "scale", "session": "s"})
    verdict = service.handle({"op": "judge", "question": "scale", "session": "s",
                              "outcomes": kernel.outcomes_with(scale, reply)})
    assert verdict["passed"] is False
    lines = verdict["message"].splitlines()
    assert all(printable(line) and "Machine fault" not in line for line in lines), lines
