"""Untrusted text is data in every output of the batch: what a submission's processes made (its
file's name, exception names and messages, the text of otter's results) reaches ``grades.csv``,
the feedback files, the records, the terminal's table and progress, and the report as printable
lines, and no cell of the grades table is a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import asdict
from pathlib import Path

import pytest

from gradecore.cli.batch import Batch
from gradecore.cli.discovery import Submission
from gradecore.cli.otter_output import _read_results, error_reason
from gradecore.cli.progress import Progress
from gradecore.cli.records import Assignment, Record, csv_text, feedback_text
from gradecore.cli.report import class_numbers, report_html
from gradecore.cli.table import table
from gradecore.protocol import facts
from gradecore.protocol.text import FORMULA_STARTS, visible

ASSIGNMENT = Assignment(("forward", "count"), {"forward": 6.0, "count": 3.0},
                        {"forward": ["forward matches Keras"], "count": ["count matches Keras"]}, name="toy")

FORGED = "X\nMachine fault: out of memory\n\x1b[2K\x1b[1A9/9\x1b]0;owned\x07\u202e\x00\x85\u2028"
"""What a submission makes to forge lines and rewrite the terminal."""

FORMULA_NAMES = ["=cmd|' /C calc'!A0.py", "+SUM(1).py", "@SUM(A1).ipynb", "-2+3.py", "\t=1.py", "\uff1dHYPER.py"]


def unprintable(text: str, allowed: str = "\n") -> list[str]:
    """The characters of ``text`` that no output may hold (``allowed`` aside)."""
    return [repr(c) for c in text if c not in allowed
            and (unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp"))]


def strings(value) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def forged_results() -> dict:
    """otter's results.json as a plugin of a corrupted zip could have left it: every text forged."""
    question = facts.QuestionFacts(passed=False, checks=[FORGED], mistake=facts.Mistake(FORGED, FORGED),
                                   finding=FORGED, problems=[FORGED])
    found = facts.GradingFacts(isolation=FORGED, questions={"forward": question})
    return {
        "tests": [{"name": "forward", "score": 0, "output": f"❌ {FORGED}\n⚠ {FORGED}"},
                  {"name": "count", "score": 3, "output": "✅ count: all 3 checks passed."}],
        "extra_data": {facts.EXTRA_DATA_KEY: found.to_json()},
    }


@pytest.fixture
def records() -> list[Record]:
    graded = Record("class/" + visible("a\nMachine fault: b\x1b[31m.py"))
    _read_results(graded, forged_results(), ASSIGNMENT)
    faulty = Record("class/fault.py")
    data = forged_results()
    data["extra_data"][facts.EXTRA_DATA_KEY]["fault"] = {"kind": "out_of_memory", "text": FORGED}
    _read_results(faulty, data, ASSIGNMENT)
    rows = [graded, faulty]
    rows += [Record(visible(name), status="error", reason=f"not graded: a link (to {visible(FORGED)})")
             for name in FORMULA_NAMES]
    return rows


def test_the_record_holds_otters_text_as_printable_lines(records):
    graded, faulty = records[0], records[1]
    assert graded.status == "graded" and graded.points == {"forward": 0.0, "count": 3.0}
    assert faulty.status == "error" and faulty.reason.startswith("X Machine fault: out of memory 9/9")
    for record in records:
        for text in strings(json.loads(record.to_json())):
            assert not unprintable(text), text
        for output in record.outputs.values():  # otter's text: its lines kept (the plugin made each one line)
            assert not unprintable(output)
        assert not unprintable(record.reason + record.isolation + record.submission, allowed="")


def test_grades_csv_has_no_control_character_and_no_formula(records):
    text = csv_text(records, ASSIGNMENT)
    assert not unprintable(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(records)  # one line per row: nothing forged a row
    for row in rows:
        assert len(row) == len(rows[0])
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), row
    names = sorted(r[0] for r in rows[1:])
    assert "'=cmd|' /C calc'!A0.py" in names and "'+SUM(1).py" in names


def test_feedback_files_have_no_control_character_and_no_forged_line(records):
    for record in records:
        text = feedback_text(record, ASSIGNMENT)
        assert not unprintable(text), text
        assert not any(line.startswith(("Machine fault", "Total:")) for line in text.splitlines()[2:]), text


def test_the_terminal_table_and_progress_pass_no_control_character(records, tmp_path):
    batch = Batch([Submission(Path(r.submission), r.submission) for r in records], tmp_path / "z.zip",
                  tmp_path, ASSIGNMENT)
    batch.records = {r.submission: r for r in records}
    # a record of another run, read back from the folder, whose name was never made printable
    raw = Record("class/raw\x1b[2K\x1b[1A.py")
    batch.records[raw.submission] = raw
    shown = table(batch)
    assert not unprintable(shown)
    assert len(shown.splitlines()) == 1 + len(batch.records)
    stream = io.StringIO()
    progress = Progress(len(batch.records), stream)
    progress.start()
    for record in batch.records.values():
        progress.advance(f"{record.submission}: {FORGED}")
    progress.close()
    assert not unprintable(stream.getvalue())
    assert len(stream.getvalue().splitlines()) == 1 + len(batch.records)


def test_the_report_passes_no_control_character(records):
    not_graded = [*records, Record("raw\x1b[31m\n<script>.py", status="error", reason=FORGED)]
    page = report_html(class_numbers(not_graded, ASSIGNMENT), ASSIGNMENT, not_graded)
    assert not unprintable(page)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_otters_error_is_one_printable_line():
    stderr = "Traceback:\n  File x\nValueError: bad\x1b[2K\nMachine fault: forged\n"
    assert error_reason(stderr, 1) == "ValueError: bad"
    assert not unprintable(error_reason("weird last line \x1b]0;t\x07\u202e", 1), allowed="")


def test_facts_are_read_as_printable_lines():
    found = facts.GradingFacts.from_json(forged_results()["extra_data"][facts.EXTRA_DATA_KEY])
    question = found.questions["forward"]
    for text in [found.isolation, *question.checks, question.mistake.title, question.mistake.fix, question.finding,
                 *question.problems]:
        assert text and not unprintable(text, allowed=""), text
    assert asdict(facts.question_facts(asdict(question))) == asdict(question)  # once is enough
