"""What a grading found, as data: the plugin writes it in otter's ``results.json`` (under
Gradescope's ``extra_data``), beside the messages it writes for students, and ``rnn-shapes grade``
reads it for its rows, feedback files and class report. No program parses the messages back.

Only the trusted side writes it: the judge's verdicts (mistake, finding) and the plugin, in otter's
process (isolation, machine fault, the problems it noted). Nothing the student's kernel writes is
read as facts. Its format and its parser are here, side by side. The parser reads a file that
lay in a grading's folder: every text in it is held to one printable line
(:func:`gradecore.protocol.text.one_line`) as it is read, whoever wrote it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Optional

from .text import one_line

LINE_CHARS = 600
"""The longest a line of the facts may be, as read back."""

EXTRA_DATA_KEY = "gradecore"
"""Where the facts are in ``results.json``: ``data["extra_data"][EXTRA_DATA_KEY]``."""

PROBLEM_MARK = "⚠"
"""How a question's message marks each problem noted in the submission's own code
(:attr:`QuestionFacts.problems`), in otter's results and in the feedback files alike."""


class FaultKind(StrEnum):
    """A fault of the grading machine, not of the submission: its row is an error, never a 0."""

    OUT_OF_MEMORY = "out_of_memory"
    """the system killed a process of the grading for lack of memory"""
    JUDGE_SILENT = "judge_silent"
    """the judge ran but never gave its verdicts"""
    JUDGE_GONE = "judge_gone"
    """the judge's process ended before it gave its verdicts (its truth worker failed twice, or
    the system killed it); where it ended before the sealed runs, a second judge did too"""


@dataclass
class Fault:
    """Why the grading machine, not the submission, left questions ungraded."""

    kind: FaultKind
    text: str
    """one line for the grades table, as the plugin's ``Machine fault:`` line says it"""


@dataclass
class Mistake:
    """A catalogued mistake the judge named, with the fix it suggests."""

    title: str
    fix: str


@dataclass
class QuestionFacts:
    """One question as graded."""

    passed: bool
    checks: list[str] = field(default_factory=list)
    """what its failed check said (the verdict's lines, the line naming a mistake aside), or the
    plugin's line where no verdict came; empty when it passed"""
    mistake: Optional[Mistake] = None
    """the catalogued mistake its answers show"""
    finding: Optional[str] = None
    """what its answers show where no catalogued mistake explains them (the structural diagnosis)"""
    problems: list[str] = field(default_factory=list)
    """what the plugin noted in the submission's own code, as its message lists it ("⚠" lines)"""


@dataclass
class GradingFacts:
    """One grading: its isolation, a machine fault if any, and every question."""

    isolation: str
    """how the sandbox was confined: ``full``, or ``partial: ...``"""
    fault: Optional[Fault] = None
    questions: dict[str, QuestionFacts] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Optional[GradingFacts]:
        """The facts in ``data`` (``to_json``'s output), or None where it is not that."""
        try:
            fault = data.get("fault")
            return cls(
                isolation=one_line(data["isolation"], LINE_CHARS),
                fault=Fault(FaultKind(fault["kind"]), one_line(fault["text"], LINE_CHARS)) if fault else None,
                questions={one_line(q, LINE_CHARS): question_facts(f) for q, f in data["questions"].items()},
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def question_facts(data: dict) -> QuestionFacts:
    """One question's facts from their JSON (:meth:`GradingFacts.to_json`, a batch record)."""
    mistake = data.get("mistake")
    return QuestionFacts(
        passed=data["passed"] is True,
        checks=[one_line(line, LINE_CHARS) for line in data.get("checks", [])],
        mistake=Mistake(one_line(mistake["title"], LINE_CHARS), one_line(mistake["fix"], LINE_CHARS)) if mistake else None,
        finding=one_line(data["finding"], LINE_CHARS) if data.get("finding") is not None else None,
        problems=[one_line(p, LINE_CHARS) for p in data.get("problems", [])],
    )
