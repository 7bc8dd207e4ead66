"""The exports: each in the format its system documents for import, one row per student, blanks (never
0) where grading failed, and the reason beside them."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from gradecore.cli.exports import (
    BLANKS_COLUMNS,
    canvas_csv,
    feedback_names,
    gradescope_csv,
    moodle_csv,
    write_exports,
)
from gradecore.cli.records import Assignment, Record, csv_text
from gradecore.cli.students import Student

ASSIGNMENT = Assignment(("count_params", "weight_shapes"), {"count_params": 2.0, "weight_shapes": 1.0},
                        name="rnn_shapes")

# Published specs, as the systems document them (see the module docstring of gradecore.cli.exports):
CANVAS_REQUIRED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
"""Canvas: "Student Name, Student ID (or SIS User ID), SIS Login ID, Section", then one column per
assignment; a row whose first cell is "Points Possible" gives the points."""
MOODLE_REQUIRED = {"Identifier", "Grade", "Last modified (grade)"}
"""Moodle's assignfeedback_offline importer refuses a file without these three headers, and reads the
participant id after "Participant " in Identifier."""
GRADESCOPE_COLUMNS = ["Name", "SID", "Email", "Total Score", "Max Points", "Status"]


def who(key: str, name: str, source: str, id: str = "", **more) -> dict:
    return Student(key=key, name=name, source=source, id=id, **more).to_json()


ROWS = [
    Record("doejane_LATE_11001_900777_rnn_shapes-1.ipynb", {"count_params": 2, "weight_shapes": 1}, 3.0,
           student=who("canvas:11001", "doejane", "canvas", "11001")),
    Record("Jane Roe_12345_assignsubmission_file_/rnn_shapes.ipynb", {"count_params": 0, "weight_shapes": 1}, 1.0,
           reason="count_params: the count grows with T",
           student=who("moodle:12345", "Jane Roe", "moodle", "12345", section="B")),
    Record("submission_103/rnn_shapes.ipynb", {}, 0.0, status="error", reason="the notebook file is empty",
           student=who("gradescope:2002", "Pair One", "gradescope", "2002", email="one@example.edu",
                       members=[{"name": "Pair Two", "id": "2003", "email": "two@example.edu"}])),
    Record("=cmd|' /C calc'!A0.py", {"count_params": 0, "weight_shapes": 0}, 0.0,
           student=who("file:=cmd", "=cmd|' /C calc'!A0", "file")),
]


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_csv_has_canvas_columns_a_points_possible_row_and_blank_failures():
    rows = table(canvas_csv(ROWS, ASSIGNMENT))
    assert rows[0][:5] == CANVAS_REQUIRED and rows[0][5] == "rnn_shapes"
    assert rows[1][0] == "    Points Possible" and rows[1][5] == "3"  # as Canvas writes it
    assert rows[2] == ["doejane", "11001", "", "", "", "3"]
    assert rows[3][1] == "" and rows[3][4] == "B" and rows[3][5] == "1"  # not a Canvas id: no ID
    assert rows[4][0] == "Pair One" and rows[4][5] == ""  # failed: blank, not 0
    assert rows[5][0] == "Pair Two" and rows[5][5] == ""  # each member of a group
    assert rows[6][0].startswith("'=")  # a formula is neutralised
    assert table(canvas_csv(ROWS, ASSIGNMENT, "RNN shapes (4521)"))[0][5] == "RNN shapes (4521)"


def test_moodle_csv_is_an_offline_grading_worksheet():
    rows = table(moodle_csv(ROWS, ASSIGNMENT, "2026-12-07T04:01:00+00:00"))
    header = rows[0]
    assert MOODLE_REQUIRED <= set(header) and "Feedback comments" in header
    data = [dict(zip(header, r)) for r in rows[1:]]
    jane = data[1]
    assert jane["Identifier"] == "Participant 12345" and jane["Grade"] == "1" and jane["Maximum Grade"] == "3"
    assert datetime.fromisoformat(jane["Last modified (grade)"]).year == 2026
    assert datetime.fromisoformat(table(moodle_csv(ROWS, ASSIGNMENT))[1][7]).tzinfo is not None  # now, in UTC
    assert "count grows with T" in jane["Feedback comments"]
    assert data[0]["Identifier"] == "" and data[0]["Grade"] == "3"  # a Canvas student has no participant id
    failed = data[2]
    assert failed["Grade"] == "" and failed["Feedback comments"].startswith("Not graded: the notebook file is empty")


def test_gradescope_csv_has_its_score_columns_and_a_row_per_group_member():
    rows = table(gradescope_csv(ROWS, ASSIGNMENT))
    assert rows[0] == GRADESCOPE_COLUMNS
    emails = [(r[0], r[1], r[2], r[3], r[5]) for r in rows[1:]]
    assert ("Pair One", "2002", "one@example.edu", "", "Ungraded") in emails
    assert ("Pair Two", "2003", "two@example.edu", "", "Ungraded") in emails
    assert rows[1][3:5] == ["3", "3"]


def test_grades_table_has_the_student_blank_points_for_failures_and_the_possible_points():
    rows = table(csv_text(ROWS, ASSIGNMENT))
    assert rows[0] == ["student", "student_id", "section", "submission", "count_params", "weight_shapes", "total",
                       "possible", "status", "reason", "isolation"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Pair One"][4:8] == ["", "", "", "3"]
    assert by_name["doejane"][1] == "11001" and by_name["doejane"][4:8] == ["2", "1", "3", "3"]
    assert any(name.startswith("'=") for name in by_name)


def test_write_exports_writes_every_file_and_one_feedback_file_per_student(tmp_path):
    write_exports(ROWS, ASSIGNMENT, tmp_path)
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["blanks.csv", "canvas.csv", "gradescope.csv",
                                                                         "moodle.csv"]
    blanks = table((tmp_path / "exports" / "blanks.csv").read_text())
    assert blanks[0] == list(BLANKS_COLUMNS) and [r[0] for r in blanks[1:]] == ["Pair One"]
    names = sorted(p.name for p in (tmp_path / "return").iterdir())
    assert names == sorted(feedback_names(ROWS).values()) and "doejane_11001.txt" in names
    assert "Jane_Roe_12345.txt" in names
    # A student who leaves the table loses the file; nobody else's is touched.
    write_exports(ROWS[:1], ASSIGNMENT, tmp_path)
    assert sorted(p.name for p in (tmp_path / "return").iterdir()) == ["doejane_11001.txt"]


def test_feedback_names_are_distinct_for_students_of_one_name():
    twins = [Record(f"{i}/a.py", student=who(f"folder:{i}", "ann", "folder")) for i in (1, 2)]
    assert sorted(feedback_names(twins).values()) == ["ann-2.txt", "ann.txt"]
