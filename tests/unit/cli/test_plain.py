"""Nothing silent, in plain words: files that cannot be graded, files of another assignment, error rows."""

from __future__ import annotations

import json
import zipfile

from gradecore.cli.discovery import find_submissions
from gradecore.cli.plain import (
    EMPTY_NOTEBOOK,
    NOT_A_NOTEBOOK,
    OTTER_FAILED,
    defined_functions,
    other_assignment,
    plain_reason,
    precheck,
)
from gradecore.cli.records import Assignment

RNN = Assignment(("count_params", "weight_shapes"), {"count_params": 1.0, "weight_shapes": 1.0}, name="rnn_shapes")
OTHERS = {"rnn_shapes": RNN.questions, "gated_rnn_shapes": ("lstm_forward", "gru_forward", "gated_count")}


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_an_empty_or_broken_notebook_gets_plain_words_not_an_exception(tmp_path):
    (tmp_path / "empty.ipynb").write_text("")
    (tmp_path / "cut.ipynb").write_text('{"cells": [')
    (tmp_path / "list.ipynb").write_text("[]")
    (tmp_path / "ok.ipynb").write_text(notebook("x = 1"))
    (tmp_path / "empty.py").write_text("\n")
    assert precheck(tmp_path / "empty.ipynb") == EMPTY_NOTEBOOK
    assert precheck(tmp_path / "cut.ipynb") == precheck(tmp_path / "list.ipynb") == NOT_A_NOTEBOOK
    assert precheck(tmp_path / "ok.ipynb") is None
    assert "empty" in precheck(tmp_path / "empty.py")
    for message in (EMPTY_NOTEBOOK, NOT_A_NOTEBOOK):
        assert "Error" not in message and "submit it again" in message


def test_a_file_of_another_assignment_says_which(tmp_path):
    gated = tmp_path / "gated.ipynb"
    gated.write_text(notebook("%pip install numpy\nimport numpy as np", "def lstm_forward(x):\n    return x",
                              "def gru_forward(x):\n    return x"))
    assert defined_functions(gated) == {"lstm_forward", "gru_forward"}
    said = other_assignment(gated, RNN, OTHERS)
    assert "gated_rnn_shapes" in said and "--assignment gated_rnn_shapes" in said and "lstm_forward" in said
    mine = tmp_path / "mine.py"
    mine.write_text("def count_params():\n    return 1\ndef lstm_forward(x):\n    return x\n")
    assert other_assignment(mine, RNN, OTHERS) is None  # defines one of this assignment's functions
    nothing = tmp_path / "nothing.py"
    nothing.write_text("x = 1\n")
    assert other_assignment(nothing, RNN, OTHERS) is None  # fits no other better: graded, and says so itself
    exported = tmp_path / "gated.zip"
    with zipfile.ZipFile(exported, "w") as zf:
        zf.writestr("gated.ipynb", gated.read_text())
    assert "gated_rnn_shapes" in other_assignment(exported, RNN, OTHERS)


def test_error_rows_say_what_happened_and_what_to_do():
    assert plain_reason("error", "NotJSONError: Notebook does not appear to be JSON: ''", 600) == NOT_A_NOTEBOOK
    assert "600 s" in plain_reason("timeout", "grading took longer than 600 s", 600)
    assert "--timeout" in plain_reason("timeout", "", 600)
    assert plain_reason("error", "OtterRuntimeError: boom", 600) == OTTER_FAILED
    assert "memory" in plain_reason("error", "otter run was killed by signal 9 (out of memory?)", 600)
    assert plain_reason("error", "grading ran out of memory: raise the autograder's memory", 600).startswith(
        "grading ran out of memory")


def test_every_file_of_a_folder_is_graded_or_listed_with_its_reason(tmp_path):
    (tmp_path / "a.ipynb").write_text(notebook("x = 1"))
    (tmp_path / "notes.txt").write_text("hi")
    (tmp_path / ".DS_Store").write_text("")
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as zf:
        zf.writestr("a.ipynb", "{}")
        zf.writestr("b.ipynb", "{}")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "x.py").write_text("")
    for folder in (".ipynb_checkpoints", "__pycache__"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.py").write_text("")
    skipped: list = []
    found = find_submissions([tmp_path], skipped=skipped)
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert [s.path.name for s in found] == ["a.ipynb"]
    assert set(reasons) == {"notes.txt", ".DS_Store", "two.zip", "__MACOSX", ".ipynb_checkpoints"}
    assert "submit cell did not make" in reasons["two.zip"]
