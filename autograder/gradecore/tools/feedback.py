"""Read otter's per-question output as a student would: which checks failed, and the likely mistake.

The grader's wording may change, so parsing is defensive: a check is a block ``<name> - <i> result:``
in otter's summary, it failed unless it says ✅, and a diagnosed mistake is any line of the form
``Likely mistake: <title>. Fix: <hint>``. Anything unrecognised still reaches the feedback file
as the check's message lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK = re.compile(r"^\s*(?P<name>\S.*?) - (?P<index>\d+) result:\s*$", re.M)
MISTAKE = re.compile(r"Likely mistake: (?P<title>.*?)\. Fix: (?P<fix>.*?)\.?\s*$", re.M)
SHOWN = re.compile(r"What the hidden checks show: (?P<text>.*?)[.?]?\s*$", re.M)
PASSED_ALL = "All test cases passed"


@dataclass
class FailedCheck:
    """One check (otter test case) of a question that did not pass."""

    title: str
    """the check's one-line title (its docstring), or otter's name for it when unknown"""
    lines: list[str] = field(default_factory=list)
    """what the check said, without otter's traceback context"""


@dataclass
class Mistake:
    """A mistake the grader diagnosed, with the fix it suggests."""

    title: str
    fix: str


@dataclass
class QuestionFeedback:
    """What otter said about one question, in a student's terms."""

    failed: list[FailedCheck] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)


def parse_output(output: str, titles: list[str] | None = None) -> QuestionFeedback:
    """Parse one question's ``output`` from otter's results.json.

    Args:
        output: the text otter wrote for the question.
        titles: the titles of the question's test cases in order (``<name> - 1`` is the first).

    Returns:
        the failed checks and the diagnosed mistakes, both empty when everything passed.
    """
    titles = titles or []
    feedback = QuestionFeedback()
    if PASSED_ALL in output.split("\n", 1)[0]:
        return feedback
    matches = list(BLOCK.finditer(output))
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(output)
        body = output[match.end():end]
        if "✅" in body and "❌" not in body:
            continue
        index = int(match["index"]) - 1
        title = titles[index] if 0 <= index < len(titles) else f"{match['name']} - {match['index']}"
        feedback.failed.append(FailedCheck(title, _message_lines(body)))
    for found in MISTAKE.finditer(output):
        mistake = Mistake(found["title"].strip(), found["fix"].strip())
        if mistake not in feedback.mistakes:
            feedback.mistakes.append(mistake)
    if not matches and output.strip():
        # Not otter's usual summary (e.g. an autograder error): keep its last line.
        feedback.failed.append(FailedCheck("grading", [output.strip().splitlines()[-1].strip()]))
    return feedback


def _message_lines(body: str) -> list[str]:
    """The lines a student needs: the grader's own message, or the error of a public check."""
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not MISTAKE.search(line)]
    if lines and lines[0].startswith("❌ Test case failed"):
        # A public check's assertion: otter shows the failing line of the test, then the error.
        return [lines[-1]]
    return [line.lstrip("❌ ").strip() for line in lines]


def one_line(output: str) -> str:
    """A short reason for the grades table: the diagnosed mistake, else what the hidden checks
    show (the structural diagnosis), else the cause the grader
    noted in the submission's own code (a "⚠" line: it does not parse, it stopped...), else the
    first failure."""
    feedback = parse_output(output)
    if feedback.mistakes:
        return feedback.mistakes[0].title
    shown = SHOWN.search(output)
    if shown:
        return shown["text"]
    for check in feedback.failed:
        for line in check.lines:
            if line.startswith("⚠"):
                return line.lstrip("⚠ ").strip()
    for check in reversed(feedback.failed):
        for line in check.lines:
            if line and not line.startswith("(hidden checks seed"):
                return line
    return "failed"
