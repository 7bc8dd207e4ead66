"""What an ``otter run`` left: its results read into a record, or why there are none, in one line."""

from __future__ import annotations

import re
from dataclasses import asdict

from ..protocol.facts import EXTRA_DATA_KEY, GradingFacts
from ..protocol.text import one_line as text_line
from .feedback import one_line
from .records import (
    Assignment,
    Record,
)


def error_reason(stderr: str, returncode: int | None) -> str:
    """One line saying why ``otter run`` gave no results: its last exception, else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        match = re.match(r"^(?:[\w.]+\.)?(\w*(?:Error|Exception|Exit|Interrupt)\b.*)$", line)
        if match:
            return text_line(match[1])
    if returncode is not None and returncode < 0:
        return f"otter run was killed by signal {-returncode} (out of memory?)"
    return text_line(lines[-1] if lines else f"otter run exited with status {returncode} and no results")


NO_FACTS = "the autograder zip's plugin wrote no grading facts (a zip of an older build?): rebuild it and grade again"
"""Why a grading whose results hold no facts (:mod:`gradecore.protocol.facts`) is an error row: without them
a fault of the grading machine could not be told from wrong answers."""


def _read_results(record: Record, data: dict, assignment: Assignment) -> None:
    """Fill ``record`` from otter's ``results.json``: the points from its tests, everything else
    from the grading's facts, which the plugin alone writes (never the submission's text)."""
    extra = data.get("extra_data")
    found = GradingFacts.from_json(extra.get(EXTRA_DATA_KEY)) if isinstance(extra, dict) else None
    for test in data.get("tests", []):
        name = test.get("name")
        if name in assignment.questions:
            record.points[name] = float(test.get("score") or 0)
            record.outputs[name] = output_lines(test.get("output"))
        elif name == "Autograder Error":
            record.status = "error"
            record.reason = error_reason(test.get("output") or "", None)
    record.total = sum(record.points.values())
    if found is not None:
        record.isolation = found.isolation[:300]
        record.facts = {q: asdict(f) for q, f in found.questions.items() if q in assignment.questions}
    if record.status != "graded":
        return
    if found is None:
        record.status, record.reason = "error", NO_FACTS
    elif found.fault is not None:
        # Not a 0 for wrong answers: the grading machine failed (out of memory, a judge that never
        # answered), and the plugin says so.
        record.status = "error"
        record.reason = found.fault.text.strip()[:500]
    else:
        lost = [q for q in assignment.questions if record.points.get(q, 0) < assignment.points[q]]
        record.reason = lost_reason({q: one_line(record.question_facts(q)) for q in lost})


OUTPUT_LINE_CHARS = 600
"""The longest a line of otter's output for a question is kept."""


def output_lines(output) -> str:
    """otter's output for a question, as the record keeps it: each line one printable line (the
    verdict's lines and the problems noted, whoever's text they quote)."""
    return "\n".join(text_line(line, OUTPUT_LINE_CHARS) for line in str(output or "").splitlines())


def lost_reason(messages: dict[str, str]) -> str:
    """One line for the table; questions failing the same way share it ("a, b: is not implemented")."""
    groups: dict[str, list[str]] = {}
    for q, message in messages.items():
        for prefix in (f"{q}: ", f"{q} "):
            if message.startswith(prefix):
                message = message[len(prefix):]
                break
        groups.setdefault(message, []).append(q)
    return "; ".join(f"{', '.join(qs)}: {message}" for message, qs in groups.items())[:500]
