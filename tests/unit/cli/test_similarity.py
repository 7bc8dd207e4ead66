"""The similarity check: the handout removed, disguised copies flagged, independent work not, and
its outputs (``similarity.csv``, the report's section) with untrusted text escaped."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import nbformat

from gradecore.cli import similarity, student_code
from gradecore.cli.records import Assignment, Record
from gradecore.cli.report import class_numbers, report_html

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = (ROOT / "solutions" / "rnn_shapes" / "solution.py").read_text()

HANDOUT_CELLS = [
    "# Set up the checks.\nimport otter\ngrader = otter.Notebook()",
    "import numpy as np",
    'def count_params(T, D, M, K):\n    """Total number of parameters."""\n    # YOUR CODE HERE\n    raise NotImplementedError',
    'grader.check("count_params")',
    'def manual_forward(X, Wx, Wh, bh, Wo, bo):\n    """One sample."""\n    h = np.zeros(Wh.shape[0])\n    raise NotImplementedError',
    'grader.check("manual_forward")',
    "grader.export(pdf=False)",
]
"""A handout as the build makes it: set-up, stubs (one with a line given), checks, export."""

COPY = '''
# helper I wrote
def _go(seq, a, b, c):
    print("debug", seq.shape)
    state = np.zeros(b.shape[0])
    for row in seq:
        state = np.tanh(row @ a + state @ b + c)
    return state


def sequence_forward(inputs, w_in, w_rec, bias, w_out, b_out):
    n, steps, _ = inputs.shape
    st = np.zeros((n, w_rec.shape[0]))
    collected = []
    for i in range(steps):
        st = np.tanh(inputs[:, i] @ w_in + st @ w_rec + bias)
        unused_here = st.sum()
        collected.append(st @ w_out + b_out)
    return np.stack(collected, axis=1)


def batched_forward(inputs, w_in, w_rec, bias, w_out, b_out):
    """Vectorised over the batch (my own words)."""
    n, steps, _ = inputs.shape
    st = np.zeros((n, w_rec.shape[0]))
    for i in range(steps):
        st = np.tanh(inputs[:, i] @ w_in + st @ w_rec + bias)
    return st @ w_out + b_out


def manual_forward(seq, a, b, c, d, e):
    state = np.zeros(b.shape[0])
    for row in seq:
        assert row is not None
        if False:
            print("never")
        state = np.tanh(row @ a + state @ b + c)
        state = state
        state *= 1
    return state @ d + e


def extract_weights(net):
    n = len(net.layers)
    k1, k2, k3 = net.layers[1].get_weights()
    k4, k5 = net.layers[2].get_weights()
    return k1, k2, k3, k4, k5


def weight_shapes(d, m, k):
    return [(d, m), (m, m), (m,), (m, k), (k,)]


def count_params(t, d, m, k):
    first = d * m + m * m + m
    second = m * k + k
    return int(first + second)
'''
"""The reference solution as a copier hands it in: every name renamed, docstrings dropped and
comments added, the functions reordered, harmless lines inserted."""

INDEPENDENT = '''
import numpy as np


def count_params(T, D, M, K):
    rnnWeights = M * (D + M + 1)
    return rnnWeights + K * (M + 1)


def weight_shapes(D, M, K):
    shapeList = []
    for shape in ((D, M), (M, M), (M,), (M, K), (K,)):
        shapeList.append(tuple(shape))
    return shapeList


def extract_weights(model):
    return tuple(w for layer in model.layers for w in layer.get_weights())


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    hState = np.zeros(len(bh))
    step = 0
    while step < len(X):
        hState = np.tanh(np.matmul(X[step], Wx) + np.matmul(hState, Wh) + bh)
        step += 1
    return np.matmul(hState, Wo) + bo


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    allOutputs = np.zeros((len(X), len(bo)))
    for sampleIdx in range(len(X)):
        allOutputs[sampleIdx] = manual_forward(X[sampleIdx], Wx, Wh, bh, Wo, bo)
    return allOutputs


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    numSamples, numSteps = len(X), len(X[0])
    allOutputs = np.zeros((numSamples, numSteps, len(bo)))
    for sampleIdx in range(numSamples):
        hState = np.zeros(len(bh))
        for stepIdx in range(numSteps):
            hState = np.tanh(np.einsum("d,dm->m", X[sampleIdx, stepIdx], Wx) + hState.dot(Wh) + bh)
            allOutputs[sampleIdx, stepIdx] = hState.dot(Wo) + bo
    return allOutputs
'''
"""A correct solution written apart from the reference: other loops, calls and conventions."""


def notebook(cells: list[str], path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Lab")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def handout(tmp_path: Path) -> student_code.Handout:
    return student_code.Handout.from_notebook(notebook(HANDOUT_CELLS, tmp_path / "handout.ipynb"))


def code_of(tmp_path: Path, name: str, text: str) -> similarity.Code:
    path = tmp_path / name
    path.write_text(text)
    return similarity.read_code(path, name, handout(tmp_path))


def test_the_handout_is_removed_and_only_the_students_code_is_left(tmp_path):
    cells = list(HANDOUT_CELLS)
    cells[2] = 'def count_params(T, D, M, K):\n    """Total number of parameters."""\n    return D * M + M * M + M + M * K + K'
    cells[4] = ('def manual_forward(X, Wx, Wh, bh, Wo, bo):\n    """One sample."""\n    h = np.zeros(Wh.shape[0])\n'
                '    for x in X:  # the given line kept, the loop written\n        h = np.tanh(x @ Wx + h @ Wh + bh)\n'
                '    return h @ Wo + bo')
    cells.insert(4, "%matplotlib inline\nprint(count_params(3, 4, 5, 6))\nassert count_params(1, 1, 1, 1) == 5")
    found = similarity.read_code(notebook(cells, tmp_path / "sub.ipynb"), "sub.ipynb", handout(tmp_path))
    # Kept: what the student wrote. Gone: the set-up, checks and export, the docstrings, the stub's
    # given line, the magic, and the lines that do nothing the answer needs (a print, an assert).
    assert [line for line in found.lines if line] == ["def count_params(T, D, M, K):", "    return D * M + M * M + M + M * K + K",
                           "def manual_forward(X, Wx, Wh, bh, Wo, bo):", "    for x in X:",
                           "        h = np.tanh(x @ Wx + h @ Wh + bh)", "    return h @ Wo + bo"]
    # The untouched handout leaves nothing to compare, so two untouched notebooks are never flagged.
    untouched = [similarity.read_code(notebook(HANDOUT_CELLS, tmp_path / f"{n}.ipynb"), n, handout(tmp_path))
                 for n in ("u1", "u2")]
    assert [len(c.fingerprints) for c in untouched] == [0, 0]
    assert similarity.compare(untouched) == []


def test_a_notebook_exported_as_a_zip_reads_as_the_notebook(tmp_path):
    nb = notebook(["import numpy as np", REFERENCE], tmp_path / "lab.ipynb")
    with zipfile.ZipFile(tmp_path / "lab.zip", "w") as zf:
        zf.write(nb, "lab.ipynb")
    assert student_code.student_code(tmp_path / "lab.zip") == student_code.student_code(nb)


def test_a_disguised_copy_is_flagged_and_independent_work_is_not(tmp_path):
    reference = code_of(tmp_path, "reference.py", REFERENCE)
    independent = code_of(tmp_path, "independent.py", INDEPENDENT)
    cells = ["import numpy as np"] + [c for c in COPY.split("\n\n\n") if c.strip()]  # a .py split in cells
    copy = similarity.read_code(notebook(cells, tmp_path / "copy.ipynb"), "copy.ipynb", handout(tmp_path))
    pairs = {(p.a, p.b): p for p in similarity.compare([reference, independent, copy], floor=0.0)}
    flagged = pairs[("copy.ipynb", "reference.py")]
    assert flagged.flagged and flagged.similarity >= 0.8, flagged
    for pair in (("independent.py", "reference.py"), ("copy.ipynb", "independent.py")):
        if pair in pairs:
            assert not pairs[pair].flagged and pairs[pair].similarity < 0.3, pairs[pair]
    # The shared lines are marked on both sides; the copier's inserted lines are dropped.
    marked = [line.text for line in flagged.lines_a if line.shared]
    assert "state = np.tanh(row @ a + state @ b + c)" in marked
    assert not any(line.text.startswith(("print(", "assert ", "unused_here", "n = len")) for line in flagged.lines_a)
    assert any(line.shared for line in flagged.lines_b)
    # The batch's way (lines read again for flagged pairs only) flags and marks the same.
    files = [(tmp_path / "reference.py", "reference.py"), (tmp_path / "independent.py", "independent.py"),
             (tmp_path / "copy.ipynb", "copy.ipynb")]
    found = similarity.check_class(files, handout(tmp_path))
    assert [(p.a, p.b) for p in found.flagged] == [("copy.ipynb", "reference.py")]
    assert found.flagged[0].lines_a == flagged.lines_a and found.flagged[0].lines_b == flagged.lines_b


def test_code_that_most_of_the_class_shares_counts_for_no_pair(tmp_path):
    common = "def weight_shapes(D, M, K):\n    return [(D, M), (M, M), (M,), (M, K), (K,)]\n"
    codes = [code_of(tmp_path, f"s{i}.py", common + f"\ndef extra(x):\n    return x + {i} * {i}\n") for i in range(30)]
    held_by_all = set.intersection(*(set(c.fingerprints) for c in codes))
    assert held_by_all and held_by_all <= similarity.common_fingerprints(codes)
    assert not any(p.flagged for p in similarity.compare(codes))


def test_similarity_csv_has_its_columns_and_neutralises_formulas(tmp_path):
    found = similarity.Similarity(
        pairs=[similarity.Pair("=cmd|' /C calc'!A0.py", "b.py", 0.912, 40, True),
               similarity.Pair("c.py", "d.ipynb", 0.35, 20, False)],
        submissions=4, handout="")
    rows = list(csv.reader(io.StringIO(similarity.csv_text(found))))
    assert rows[0] == ["a", "b", "similarity", "flagged"]
    assert rows[1] == ["'=cmd|' /C calc'!A0.py", "b.py", "0.912", "yes"]
    assert rows[2] == ["c.py", "d.ipynb", "0.350", "no"]


def test_the_report_section_names_students_and_escapes_the_code(tmp_path):
    lines = [similarity.Line(0, "x = '</pre><script>alert(1)</script>'", True), similarity.Line(4, "y = 1", False)]
    pair = similarity.Pair("a.py", "b.py", 0.9, 30, True, lines, lines)
    records = [Record("a.py"), Record("b.py")]
    records[0].student = "Ada <b>Lovelace</b>"  # the gradebook's field (issue 34)
    found = similarity.Similarity([pair], 2, "dist/x/student/x.ipynb", names=similarity.student_names(records))
    assignment = Assignment(("q",), {"q": 1.0}, name="x")
    page = report_html(class_numbers(records, assignment), assignment, records, similarity=found)
    assert "Similar submissions" in page and "never a verdict or a penalty" in page
    assert "<script>" not in page and "&lt;/pre&gt;&lt;script&gt;" in page
    assert "<span class=shared>x = &#x27;&lt;/pre&gt;" in page and "\n    <span>y = 1</span>\n" in page
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt; (a.py)" in page
    # Without the check, no section.
    assert "Similar submissions" not in report_html(class_numbers(records, assignment), assignment, records)


def test_the_handout_is_the_built_student_notebook_beside_the_zip(tmp_path):
    (tmp_path / "x" / "autograder").mkdir(parents=True)
    assert student_code.student_folder_notebook(tmp_path / "x" / "autograder" / "autograder.zip", "x") is None
    notebook(HANDOUT_CELLS, (tmp_path / "x" / "student").mkdir() or tmp_path / "x" / "student" / "x.ipynb")
    found = student_code.student_folder_notebook(tmp_path / "x" / "autograder" / "autograder.zip", "x")
    assert found == (tmp_path / "x" / "student" / "x.ipynb").resolve()


def test_a_file_too_large_to_compare_is_listed_not_compared(tmp_path):
    (tmp_path / "huge.py").write_text("x = 1\n" * (student_code.MAX_CODE_CHARS // 6 + 1))
    (tmp_path / "a.py").write_text(REFERENCE)
    found = similarity.check_class([(tmp_path / "huge.py", "huge.py"), (tmp_path / "a.py", "a.py")], student_code.Handout())
    assert found.unreadable == [("huge.py", f"it holds over {student_code.MAX_CODE_CHARS} characters of code")]
    assert found.pairs == []


def test_files_that_are_not_notebooks_are_listed_with_why(tmp_path):
    (tmp_path / "list.ipynb").write_text("[1, 2]")
    (tmp_path / "cut.ipynb").write_text('{"cells": [')
    (tmp_path / "odd.ipynb").write_text('{"cells": [7, {"cell_type": "code", "source": [1, "x = 2"]}]}')
    found = similarity.check_class([(tmp_path / n, n) for n in ("list.ipynb", "cut.ipynb", "odd.ipynb")],
                                   student_code.Handout())
    assert [name for name, _ in found.unreadable] == ["list.ipynb", "cut.ipynb"]
    assert found.unreadable[0][1] == "not a notebook: it has no list of cells"
    assert found.unreadable[1][1] == "not a notebook: it is not JSON"
