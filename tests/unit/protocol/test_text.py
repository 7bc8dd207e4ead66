"""Untrusted text as data (gradecore.protocol.text)."""

import csv
import io
import unicodedata

import pytest

from gradecore.protocol.text import csv_cell, one_line, visible


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


def test_csv_cell_keeps_a_printable_name_as_it_reads():
    """A file's name keeps its blanks; only an unprintable one is made one line."""
    assert csv_cell("class/a  b.py") == "class/a  b.py"
    assert csv_cell("a\nb") == "a b"
    assert csv_cell("x" * 50, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    "name, shown",
    [
        ("class/alice.ipynb", "class/alice.ipynb"),
        ("a  b\\c.py", "a  b\\c.py"),  # printable: as it is, blanks and backslash too
        ("a\nMachine fault: x.py", "a\\nMachine fault: x.py"),
        ("9\x1b[2K\x1b[1A0.py", "9\\x1b[2K\\x1b[1A0.py"),
        ("cod\u202eyp.py", "cod\\u202eyp.py"),
        ("back\\slash\t.py", "back\\\\slash\\t.py"),
        ("bytes\udcff.py", "bytes\\udcff.py"),  # a name that is not UTF-8, as os gives it
    ],
)
def test_visible_shows_each_unprintable_character_as_its_escape(name, shown):
    assert visible(name) == shown
    assert all(c == " " or unicodedata.category(c)[0] != "C" for c in visible(name))


def test_visible_keeps_different_names_apart():
    names = ["a\nb.py", "a b.py", "a\u2028b.py", "ab.py", "a\x1bb.py", "a\u200bb.py", "a\\b\n.py", "a\\\nb.py"]
    assert len({visible(n) for n in names}) == len(names)
    long = ["x" * 500 + "1", "x" * 500 + "2"]
    shown = [visible(n, 100) for n in long]
    assert shown[0] != shown[1] and all(len(s) <= 100 for s in shown)


def test_visible_of_its_own_output_is_the_same():
    for name in ["a\nb.py", "plain.py", "\x1b]0;title\x07"]:
        assert visible(visible(name)) == visible(name)
