"""Untrusted text as data (gradecore.protocol.text)."""

import csv
import io

import pytest

from gradecore.protocol.text import csv_cell, one_line


@pytest.mark.parametrize(
    "made, shown",
    [
        ("ValueError\nMachine fault: forged", "ValueError Machine fault: forged"),
        ("\x1b[2K\x1b[1A9/9 \x1b[31mred\x1b[0m", "9/9 red"),
        ("title\x1b]0;owned\x07 after", "title after"),
        ("a\u202eb\u2028c\u2029d\x00e\x7ff\x85g", "a b c d e f g"),
        ("  many   blanks\t\r\n ", "many blanks"),
    ],
)
def test_one_line_keeps_only_printable_text_on_one_line(made, shown):
    assert one_line(made) == shown


def test_one_line_caps_the_length():
    assert one_line("x" * 1000, 10) == "x" * 9 + "…"
    assert len(one_line("y" * 10_000)) == 300


def test_one_line_of_an_object_whose_str_raises():
    class Evil:
        def __str__(self):
            raise RuntimeError("no")

    assert one_line(Evil()) == "<Evil>"


@pytest.mark.parametrize("made", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\uff1d1+1", "\t=1"])
def test_csv_cell_neutralises_formulas(made):
    cell = csv_cell(made)
    assert cell.startswith("'")
    out = io.StringIO()
    csv.writer(out).writerow([cell])
    assert "\n" not in out.getvalue().rstrip("\r\n")


def test_csv_cell_keeps_numbers_and_plain_text():
    assert csv_cell(9) == 9 and csv_cell(2.5) == 2.5 and csv_cell(None) is None
    assert csv_cell("alice/rnn_shapes.ipynb") == "alice/rnn_shapes.ipynb"
