"""``rnn-shapes grade`` runs the similarity check on a real class: ``similarity.csv`` and the
report's section (the check's own cases are in ``tests/unit/cli/test_similarity.py``)."""

from __future__ import annotations

import csv
import re

import nbformat
import pytest

from tests.support import put, run_tool

from .conftest import default_only


@pytest.mark.slow
@default_only
def test_a_graded_class_gets_similarity_csv_and_the_reports_section(kit, autograder_zip, student_notebook, tmp_path):
    klass = tmp_path / "class"
    put(klass, f"ada/{kit.name}.ipynb", kit.notebook_submission(student_notebook))
    # Ada's functions handed in again as a .py, in the opposite order.
    functions = kit.py_submission().split("\n\n\n")
    put(klass, f"ben/{kit.name}.py", "\n\n\n".join([functions[0].split("\n\n")[0], *reversed(functions[1:])]) + "\n")
    put(klass, f"cy/{kit.name}.ipynb", nbformat.read(student_notebook, as_version=4))  # the handout untouched
    out = tmp_path / "grades"
    proc = run_tool(klass, "--jobs", 2, "--out", out, "--autograder", autograder_zip, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out / "similarity.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    ada, ben = str(klass / f"ada/{kit.name}.ipynb"), str(klass / f"ben/{kit.name}.py")
    assert list(rows[0]) == ["a", "b", "similarity", "flagged"]
    assert [(r["a"], r["b"], r["flagged"]) for r in rows if r["flagged"] == "yes"] == [(ada, ben, "yes")]
    assert float(rows[0]["similarity"]) >= 0.9
    # The untouched handout is nobody's code: it is in no row.
    assert not any("cy/" in r["a"] + r["b"] for r in rows)
    html = (out / "report.html").read_text()
    # the gradebook read the students from their folders: the pair names them, then the files
    heads = re.findall(r"<h3>(.*?)</h3>", html, flags=re.S)
    assert "Similar submissions" in html and "<span class=shared>" in html
    assert [h for h in heads if ada in h and ben in h and h.index(ada) < h.index(ben)], heads
    assert f"{out / 'similarity.csv'} (flagged pairs: 1," in proc.stdout

    # Switched off: the same folder again (nothing is graded twice), no CSV and no section.
    (out / "similarity.csv").unlink()
    again = run_tool(klass, "--out", out, "--autograder", autograder_zip, "--no-similarity", timeout=1800)
    assert again.returncode == 0, again.stderr[-3000:]
    assert not (out / "similarity.csv").exists() and "Similar submissions" not in (out / "report.html").read_text()
