"""The held-out class of the batch tests: 12 submissions of rnn_shapes, whose rows every way of
grading a class must give (``rnn-shapes grade`` here, on Dask workers, on Slurm).

Also used outside pytest (``bench/cluster.py``, ``container/slurm/check.py``), from the built
student notebook.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import nbformat

from assignments.rnn_shapes.grader.mistakes import CATALOGUE
from tests.support import TOOL, read_table, run_tool
from tests.support import put as put_in

from .helpers import notebook_submission, py_submission

__all__ = ["CLASS_SIZE", "TOOL", "outputs", "read_table", "run_tool", "write_class"]

CLASS_SIZE = 12

BATCHED_UNRESET = """
def batched_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    out = []
    for n in range(X.shape[0]):
        for t in range(X.shape[1]):
            h = np.tanh(X[n, t] @ Wx + h @ Wh + bh)
        out.append(h @ Wo + bo)
    return np.array(out)
"""
MANUAL_NO_BO = """
def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo
"""
SEQUENCE_TIME_MAJOR = """
def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    ys = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        ys.append(h @ Wo + bo)
    return np.array(ys)
"""
def write_class(root: Path, student_notebook: Path) -> Path:
    """Write the class folder of 12 submissions into ``root``: nested folders, .py and .ipynb,
    correct, buggy, broken (and two files that are not submissions); return ``root``."""

    put = partial(put_in, root)
    put("s1/alice/rnn_shapes.py", py_submission())
    put("s1/bob/rnn_shapes.ipynb", notebook_submission(student_notebook))
    put("s1/carol/rnn_shapes.py", py_submission(
        {"count_params": CATALOGUE.by_id("count_times_T"), "manual_forward": CATALOGUE.by_id("no_hidden_bias@manual_forward")}))
    put("s1/dave/rnn_shapes.ipynb", notebook_submission(student_notebook, {"batched_forward": BATCHED_UNRESET}))
    put("s2/erin/rnn_shapes.py", py_submission().replace("return", "return (", 1))  # does not parse
    put("s2/frank/rnn_shapes.ipynb", nbformat.read(student_notebook, as_version=4))  # untouched stubs
    put("s2/grace/deep/er/rnn_shapes.py", py_submission(
        {"sequence_forward": SEQUENCE_TIME_MAJOR, "count_params": CATALOGUE.by_id("count_without_biases")}))
    wrong = notebook_submission(student_notebook)
    wrong.metadata["otter"]["assignment_name"] = "lab7_lstm"
    put("s2/heidi/lab7_lstm.ipynb", wrong)  # otter run refuses it: an error row
    put("ivan.py", py_submission({"manual_forward": MANUAL_NO_BO}))
    broken = notebook_submission(student_notebook, {"sequence_forward": SEQUENCE_TIME_MAJOR})
    broken.cells.insert(4, nbformat.v4.new_code_cell("model.fit(undefined_data)"))  # a cell that raises
    put("s3/judy/rnn_shapes.ipynb", broken)
    put("s3/karl/rnn_shapes.py", py_submission({"extract_weights": "def extract_weights(model):\n"
                                                "    return tuple(model.get_weights()[::-1])\n"}))
    text = nbformat.writes(notebook_submission(student_notebook))
    put("s3/leo/rnn_shapes.ipynb", text[: len(text) // 2])  # an upload cut short: not JSON
    # Not submissions: a checkpoint copy and a package marker.
    put("s1/bob/.ipynb_checkpoints/rnn_shapes-checkpoint.ipynb", notebook_submission(student_notebook))
    put("s3/__init__.py", "")
    return root


def outputs(out: Path) -> dict[str, object]:
    """What a run wrote, less each grading's duration: the table, the feedback, the records."""
    records = {}
    for path in sorted((out / "results").glob("*.json")):
        record = json.loads(path.read_text())
        record.pop("seconds")
        records[path.name] = record
    feedback = {p.name: p.read_text() for p in sorted((out / "feedback").glob("*.txt"))}
    return {"grades.csv": (out / "grades.csv").read_text(), "feedback": feedback, "results": records}
