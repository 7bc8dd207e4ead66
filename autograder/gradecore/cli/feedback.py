"""One question's feedback in a student's terms, from the grading's facts (:mod:`gradecore.protocol.facts`):
which check failed, what it said, and the likely mistake with its fix. Nothing here reads the
messages back: the plugin wrote the facts beside them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..protocol.facts import PROBLEM_MARK, Mistake, QuestionFacts


@dataclass
class FailedCheck:
    """One check (otter test case) of a question that did not pass."""

    title: str
    """the check's one-line title (from ``assignment.json``), or otter's name for it when unknown"""
    lines: list[str] = field(default_factory=list)
    """what the check said"""


@dataclass
class QuestionFeedback:
    """What grading said about one question, in a student's terms."""

    failed: list[FailedCheck] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)


def question_feedback(question: str, facts: Optional[QuestionFacts], output: str = "",
                      titles: Optional[list[str]] = None) -> QuestionFeedback:
    """The feedback on ``question``.

    Args:
        question: its name.
        facts: what its grading found; None for a record of a zip that wrote no facts, whose
            ``output`` (otter's text for the question) is then shown as it is.
        output: otter's text for the question.
        titles: the titles of the question's checks in order.

    Returns:
        the failed checks and the diagnosed mistakes, both empty when everything passed.
    """
    title = titles[0] if titles else f"{question} - 1"
    if facts is None:
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        return QuestionFeedback([FailedCheck(title, lines)] if lines else [])
    if facts.passed:
        return QuestionFeedback()
    lines = [line.lstrip("❌ ").strip() for line in facts.checks]
    for problem in facts.problems:
        lines += [line.strip() for line in f"{PROBLEM_MARK} {problem}".splitlines() if line.strip()]
    return QuestionFeedback([FailedCheck(title, lines)], [facts.mistake] if facts.mistake else [])


def one_line(facts: Optional[QuestionFacts]) -> str:
    """A short reason for the grades table: the diagnosed mistake, else what the hidden checks
    show (the structural diagnosis), else the cause the grader noted in the submission's own code
    (it does not parse, it stopped...), else the first line of the failure."""
    if facts is None:
        return "failed"
    if facts.mistake:
        return facts.mistake.title
    if facts.finding:
        return facts.finding.removesuffix("?")
    for problem in facts.problems:
        if problem.strip():
            return problem.strip().splitlines()[0].strip()
    for line in facts.checks:
        if line.strip():
            return line.lstrip("❌ ").strip()
    return "failed"
