"""otter's results, as the plugin writes them from the trusted side alone.

A question's points and message come from the judge's verdict and the zip's ``assignment.json``,
nothing else (:func:`write_results`); where no verdict came, the message says why, and a fault of
the grading machine is named as such (:func:`machine_fault`). Beside the messages, the grading's
facts (:mod:`gradecore.protocol.facts`) go in ``results.json``'s ``extra_data``
(:class:`SealedResults`), and the overall output's first lines say the same for people
(:func:`overall_output`).
"""

from __future__ import annotations

from typing import Optional

from otter.test_files import GradingResults
from otter.test_files.abstract_test import TestCase, TestCaseResult, TestFile

from ..protocol import facts, limits
from ..protocol.text import one_line
from .judge_client import silence as judge_silence

MAX_PROBLEMS_PER_QUESTION = 3
"""How many lines about the submission's own code follow a failed function's verdict."""
PROBLEM_CHARS = 600
"""The longest line of a message: a verdict's, or a problem noted in the submission's own code."""

ISOLATION_LINE = "Isolation: "
FAULT_LINE = "Machine fault: "
"""The first lines of the overall output, written by the plugin alone (the submission's own text
comes after them, each line behind "- "): the grading's isolation and a fault of the grading
machine, for people. Programs read the same from the grading's facts (:mod:`gradecore.protocol.facts`)."""


class SealedResults(GradingResults):
    """otter's results as the plugin builds them: no "Public Tests" entry, since grading runs no
    public check (otter would write "All test cases passed!" for none), and the grading's facts
    (:mod:`gradecore.protocol.facts`) in Gradescope's ``extra_data``."""

    grading_facts: Optional[facts.GradingFacts] = None
    """set by the plugin (:meth:`gradecore.host.plugin.JudgePlugin.after_grading`)"""

    def to_gradescope_dict(self, ag_config):
        output = super().to_gradescope_dict(ag_config)
        output["tests"] = [t for t in output.get("tests", []) if t.get("name") != "Public Tests"]
        if self.grading_facts is not None:
            output.setdefault("extra_data", {})[facts.EXTRA_DATA_KEY] = self.grading_facts.to_json()
        return output


class Verdicts(TestFile):
    """One question's result, built by the plugin from the judge's verdict."""

    @classmethod
    def from_file(cls, path):
        raise NotImplementedError("built by the plugin, never read from a file")

    @classmethod
    def from_metadata(cls, s, path):
        raise NotImplementedError("built by the plugin, never read from a notebook")

    def run(self, global_environment):
        raise NotImplementedError("decided by the judge, never run in the kernel")


def machine_fault(questions: tuple[str, ...], verdicts: dict[str, dict], out_of_memory: bool,
                  judge_silent: bool, judge_gone: bool = False) -> Optional[facts.Fault]:
    """Why the grading machine, not the submission, left questions ungraded; None if it did not."""
    if out_of_memory:
        # a process of the grading was killed for memory: no verdict of it can be trusted to
        # be the submission's, whatever the sealed runs answered
        return facts.Fault(facts.FaultKind.OUT_OF_MEMORY, f"{limits.OUT_OF_MEMORY}; {limits.RAISE_MEMORY}")
    ungraded = [q for q in questions if q not in verdicts]
    if not ungraded:
        return None
    if judge_silent:
        return facts.Fault(facts.FaultKind.JUDGE_SILENT, f"{limits.JUDGE_SILENT} ({judge_silence()}); "
                           "grade it again")
    if judge_gone:
        # the submission cannot reach the judge (another user, private pipes): its end is the machine's
        return facts.Fault(facts.FaultKind.JUDGE_GONE, f"{limits.JUDGE_GONE}; grade it again")
    return None


def write_results(results, problems: list[str], found: facts.GradingFacts, questions: list[dict],
                  verdicts: dict[str, dict], out_of_memory: bool, judge_silent: bool,
                  judge_gone: bool = False) -> None:
    """Every question's result, from the judge's ``verdicts`` and the zip's points and titles
    (``questions``, as ``assignment.json`` lists them); its facts into ``found``."""
    # each problem is one line already (made so where it entered); held to it here, where it goes out
    shown = [one_line(p, PROBLEM_CHARS) for p in problems[:MAX_PROBLEMS_PER_QUESTION]]
    why = "".join(f"\n{facts.PROBLEM_MARK} {p}" for p in shown)
    results.results = {}
    for q in questions:
        question, points = str(q["name"]), float(q["points"])
        verdict = verdicts.get(question)
        mistake = finding = None
        if verdict is not None:
            passed = verdict.get("passed") is True
            text = "\n".join(one_line(line, PROBLEM_CHARS) for line in str(verdict.get("message", "")).splitlines())
            mistake, finding = _verdict_mistake(verdict), verdict.get("finding")
        elif out_of_memory:
            passed, text = False, (
                f"{question}: not graded: {limits.OUT_OF_MEMORY} before its hidden checks ran; "
                f"{limits.RAISE_MEMORY}."
            )
        elif judge_silent:
            passed, text = False, (
                f"{question}: not graded: {limits.JUDGE_SILENT} ({judge_silence()}). "
                "This is a fault of the grading machine, not of the "
                "submission: grade it again."
            )
        elif judge_gone:
            passed, text = False, (
                f"{question}: not graded: {limits.JUDGE_GONE}. This is a fault of the grading "
                "machine, not of the submission: grade it again."
            )
        else:
            passed, text = False, (
                f"{question}: the hidden checks did not run: the sealed run of the submission "
                "stopped before they could."
            )
        message = f"{'✅' if passed else '❌'} {text}" + ("" if passed else why)
        checks = [line.strip() for line in text.splitlines() if line.strip()]
        if mistake is not None:
            checks = checks[:-1]  # the verdict's last line names the mistake, which the facts carry
        found.questions[question] = facts.QuestionFacts(
            passed=passed,
            checks=[] if passed else checks,
            mistake=None if passed else mistake,
            finding=one_line(finding, PROBLEM_CHARS) if finding is not None and not passed else None,
            problems=[] if passed else list(shown),
        )
        case = TestCase(f"{question} - 1", None, True, points, None, None)
        test_file = Verdicts(question, f"tests/{question}.py", [case])
        test_file.test_case_results = [TestCaseResult(case, message, passed)]
        results.results[question] = test_file


def overall_output(found: facts.GradingFacts, problems: list[str]) -> str:
    """The overall output: the grading's isolation, a fault of the grading machine, and the
    problems found in the submission's own code."""
    lines = [f"{ISOLATION_LINE}{one_line(found.isolation, PROBLEM_CHARS)}."]
    if found.fault:
        lines.append(f"{FAULT_LINE}{found.fault.text}")
    if problems:
        lines += ["Problems found while running the submission:", *(f"- {one_line(p, PROBLEM_CHARS)}" for p in problems)]
    return "\n".join(lines)


def _verdict_mistake(verdict: dict) -> Optional[facts.Mistake]:
    """The mistake the judge's verdict names (:attr:`gradecore.judge.diagnosis.Verdict.mistake`), if any."""
    mistake = verdict.get("mistake")
    if not isinstance(mistake, dict) or not isinstance(mistake.get("title"), str) or not isinstance(mistake.get("fix"), str):
        return None
    return facts.Mistake(mistake["title"], mistake["fix"])
