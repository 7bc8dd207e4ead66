"""Attacks on the batch's own reading of submitted code: a file that makes the trusted side's
parser fail in a way it does not expect ends ``rnn-shapes grade`` for the whole class.

Before grading, the batch parses each file to tell a file of another assignment
(:func:`gradecore.cli.plain.defined_functions`); after grading, the similarity check parses each
again (:func:`gradecore.cli.similarity.read_code`). CPython's parser answers a deep nesting of
unary operators (``x = ---...-1``) with ``MemoryError`` (its stack, not the machine's memory) and a
long chain of attributes or calls with ``RecursionError``. A 200 KB file of either, beside a
function of the assignment, ended the batch with a traceback before anyone was graded:
``grades.csv`` held its header only, on every rerun. A notebook whose JSON nests brackets 100,000
deep did the same through Python's JSON decoder (``RecursionError``) in
:func:`gradecore.cli.plain.precheck`.

Each such file must be read as code that does not parse: the other files are graded as if it were
not there.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from gradecore.cli.plain import NOT_A_NOTEBOOK, defined_functions, precheck
from gradecore.cli.similarity import read_code
from gradecore.cli.student_code import Handout

DEEP = {
    "unary": "x = " + "-" * 200_000 + "1\n",
    "not": "x = " + "not " * 100_000 + "1\n",
    "attributes": "x = a" + ".b" * 200_000 + "\n",
    "calls": "x = f" + "()" * 200_000 + "\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_a_file_too_deep_to_parse_ends_no_batch(tmp_path, shape):
    path = tmp_path / "mallory.py"
    path.write_text("def count_params(T, D, M, K):\n    return 0\n\n" + DEEP[shape])
    defined_functions(path)  # the batch's check for another assignment's file, before grading
    code = read_code(path, "mallory.py", Handout())  # the similarity check, after grading
    assert code.submission == "mallory.py"


def test_a_notebook_too_deep_to_decode_ends_no_batch(tmp_path):
    path = tmp_path / "mallory.ipynb"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert precheck(path) == NOT_A_NOTEBOOK
    assert defined_functions(path) == set()
    assert read_code(path, "mallory.ipynb", Handout()).normalised == ""


def test_a_zip_bomb_ends_no_batch(tmp_path):
    """The notebook's submit cell makes a zip; a student's zip of 1.5 MiB holds a notebook of 1.5 GiB
    (valid JSON, then blanks). The batch's check for another assignment's file read it whole: a
    MemoryError under a 1 GiB bound, the machine's memory without one (a 100 MiB zip inflates to
    100 GiB). It must read nothing of it."""
    path = tmp_path / "mallory.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("hw.ipynb", "w", force_zip64=True) as inside:
            inside.write(b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
            blanks = b" " * (1 << 24)
            for _ in range(96):
                inside.write(blanks)
    done = subprocess.run([sys.executable, "-c", BOUNDED_DEFINED_FUNCTIONS, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "set()", done.stderr[-600:]


BOUNDED_DEFINED_FUNCTIONS = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # the attack must not take this machine's memory
from pathlib import Path
from gradecore.cli.plain import defined_functions
print(defined_functions(Path(sys.argv[1])))
"""
