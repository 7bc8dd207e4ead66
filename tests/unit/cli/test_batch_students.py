"""The batch's gradebook without otter: every file here is refused before grading (an empty notebook,
another assignment's functions), so what is tested is who is who, the rows, the roster kept for later
runs, the skipped files and the console's reasons."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from gradecore.cli.batch import ROSTER_FILE, grade_all
from gradecore.cli.table import table
from gradecore.protocol.about import ASSIGNMENT_FILE


def autograder(dist: Path, name: str, questions: list[str]) -> Path:
    """A zip holding only ``assignment.json`` (nothing is graded with it: no file reaches otter)."""
    path = dist / name / "autograder" / "autograder.zip"
    path.parent.mkdir(parents=True)
    about = {"name": name, "questions": [{"name": q, "points": 1, "title": q} for q in questions]}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(ASSIGNMENT_FILE, json.dumps(about))
    return path


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def test_refused_files_get_plain_rows_a_roster_is_kept_and_a_regrade_keeps_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zip_path = autograder(tmp_path / "dist", "rnn_shapes", ["count_params", "weight_shapes"])
    autograder(tmp_path / "dist", "gated_rnn_shapes", ["lstm_forward", "gru_forward"])
    canvas = tmp_path / "canvas"
    canvas.mkdir()
    (canvas / "doejane_11001_900001_rnn_shapes.ipynb").write_text("")
    (canvas / "smithbob_11002_900002_gated.py").write_text("def lstm_forward(x):\n    return x\n")
    (canvas / "readme.txt").write_text("hi")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,student,section\n11001,\"Doe, Jane\",A\n11002,\"Smith, Bob\",B\n")
    out = tmp_path / "grades"
    batch = grade_all(["canvas"], zip_path, out, roster=roster, progress_stream=io.StringIO())
    found = {r["student"]: r for r in rows(out / "grades.csv")}
    assert sorted(found) == ["Doe, Jane", "Smith, Bob"]
    assert (found["Doe, Jane"]["section"], found["Doe, Jane"]["total"]) == ("A", "")
    assert "notebook file is empty" in found["Doe, Jane"]["reason"]
    assert "--assignment gated_rnn_shapes" in found["Smith, Bob"]["reason"]
    assert (out / ROSTER_FILE).read_text() == roster.read_text()
    assert "error: the notebook file is empty" in table(batch)
    assert [r["file"] for r in rows(out / "skipped.csv")] == ["canvas/readme.txt"]

    # A later run without --roster keeps the roster's names; one student's regrade keeps the other row.
    (canvas / "doejane_LATE_11001_900901_rnn_shapes.ipynb").write_text("{")
    grade_all(["canvas"], zip_path, out, regrade=True, student="11001", progress_stream=io.StringIO())
    again = {r["student"]: r for r in rows(out / "grades.csv")}
    assert again["Smith, Bob"] == found["Smith, Bob"]
    assert "_LATE_" in again["Doe, Jane"]["submission"] and "not a notebook" in again["Doe, Jane"]["reason"]
    skipped = {r["file"]: r["reason"] for r in rows(out / "skipped.csv")}
    assert skipped["canvas/doejane_11001_900001_rnn_shapes.ipynb"].startswith("superseded: Doe, Jane")
    assert "canvas/readme.txt" in skipped
    canvas_csv = (out / "exports" / "canvas.csv").read_bytes().decode()  # CRLF, as RFC 4180 writes rows
    assert '"Doe, Jane",11001,,,A,\r\n' in canvas_csv and '"Smith, Bob",11002,,,B,\r\n' in canvas_csv
