"""Robust and tamper-resistant grading: broken, hostile and odd submissions through the real zip.

Each test grades a whole submission with ``otter run`` and asserts its scores and the one-line
reason a student reads. The limits are set small through the environment, which ``otter run``
passes on to the kernel.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from .helpers import POINTS, QUESTIONS, notebook_submission, otter_run, py_submission

pytestmark = pytest.mark.slow

ZERO = {q: 0 for q in QUESTIONS}


def scores_with(**lost) -> dict:
    """Full marks except the given questions, which earn the given scores."""
    return {q: lost.get(q, POINTS[q]) for q in QUESTIONS}


def problems(graded) -> str:
    """The overall feedback, where the problems with the submission's own code are listed."""
    return graded.raw.get("output", "")


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setenv("RNN_SHAPES_TIME_LIMIT_S", "2")
    monkeypatch.setenv("RNN_SHAPES_CELL_TIME_LIMIT_S", "20")


def code_cell_number(nb, marker: str) -> int:
    """The 1-based number, among code cells, of the cell whose source contains ``marker``."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return next(i for i, c in enumerate(code, start=1) if marker in c.source)


def insert_cell(nb, before: str, source: str):
    """Insert a code cell before the first cell whose source contains ``before``."""
    index = next(i for i, c in enumerate(nb.cells) if before in c.source)
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


# 1. Per-check isolation and limits


def test_endless_loop_and_runaway_memory_cost_only_their_own_functions(grade, small_limits):
    graded = grade(
        py_submission(
            {
                "manual_forward": """
                def manual_forward(X, Wx, Wh, bh, Wo, bo):
                    while True:
                        pass
                """,
                # address space only (np.empty touches no page): safe on a shared machine, and
                # still past the per-call limit of 1024 MiB
                "batched_forward": """
                def batched_forward(X, Wx, Wh, bh, Wo, bo):
                    hoard = []
                    while True:
                        hoard.append(np.empty(10**8))
                """,
            }
        )
    )
    assert graded.scores == scores_with(manual_forward=0, batched_forward=0), graded.outputs
    assert "manual_forward did not return within 2 seconds: is there an endless loop?" in graded.outputs["manual_forward"]
    assert "batched_forward ran out of memory (limit 1024 MiB)" in graded.outputs["batched_forward"]


# 2. Problems in the submission's own top-level code


def test_endless_loop_at_top_level_is_stopped_and_later_cells_still_run(grade, student_notebook, small_limits):
    nb = insert_cell(notebook_submission(student_notebook), "def manual_forward(", "while True:\n    pass")
    graded = grade(nb, ".ipynb")
    assert graded.scores == POINTS, graded.outputs
    cell = code_cell_number(nb, "while True:")
    # the loop is stopped on either of its two lines
    assert re.search(rf"code cell {cell} \(line [12]\) was stopped after 20 seconds, the grader's limit per cell", problems(graded))


def test_endless_loop_in_a_script_stops_the_script_there(grade, small_limits):
    source = py_submission()
    source = source.replace("def manual_forward(", "while True:\n    pass\n\n\ndef manual_forward(")
    line = source.splitlines().index("while True:") + 1
    graded = grade(source)
    assert graded.scores == scores_with(manual_forward=0, batched_forward=0, sequence_forward=0), graded.outputs
    reason = rf"the script \(line ({line}|{line + 1})\) was stopped after 20 seconds"
    assert re.search(reason, problems(graded))
    assert "manual_forward is not defined in the submission." in graded.outputs["manual_forward"]
    assert re.search(f"⚠ {reason}", graded.outputs["manual_forward"])


def test_a_slow_import_is_not_stopped_halfway(grade, monkeypatch):
    # Importing TensorFlow takes longer than this limit; stopped halfway, it would stay broken in
    # the kernel, and the hidden checks of extract_weights (which build Keras models) would fail.
    monkeypatch.setenv("RNN_SHAPES_CELL_TIME_LIMIT_S", "1")
    graded = grade(py_submission(header="import numpy as np\nimport tensorflow as tf\n"))
    assert graded.scores == POINTS, graded.outputs
    assert "was stopped" not in problems(graded)


def test_huge_memory_at_top_level_fails_its_cell_not_the_kernel(grade, student_notebook):
    # 12 GiB of address space: allowed by the system here (overcommit), refused by the kernel's
    # limit (RNN_SHAPES_KERNEL_MEMORY_LIMIT_MB, 8192 by default) before it can cost real memory.
    nb = insert_cell(notebook_submission(student_notebook), "def count_params(", "hog = np.empty(12 * 2**30 // 8)")
    graded = grade(nb, ".ipynb")
    assert graded.scores == POINTS, graded.outputs
    cell = code_cell_number(nb, "hog = ")
    assert f"code cell {cell} (line 1) ran out of memory (MemoryError)" in problems(graded)


def test_megabytes_of_printed_output_are_capped(grade):
    graded = grade(py_submission(header="import numpy as np\nfor i in range(60_000):\n    print('x' * 99)\n"))
    assert graded.scores == POINTS, graded.outputs
    assert "the script printed more than 200000 characters; the grader dropped the rest" in problems(graded)
    assert len(json.dumps(graded.raw)) < 50_000


def test_sys_exit_in_a_script_keeps_what_was_defined_before_it(grade):
    source = py_submission().replace("def extract_weights(", "import sys\nsys.exit(3)\n\n\ndef extract_weights(")
    graded = grade(source)
    assert graded.scores == {**ZERO, "count_params": 1, "weight_shapes": 1}, graded.outputs
    assert "called sys.exit(3); the rest of the script did not run." in problems(graded)
    assert "⚠ the script called sys.exit(3)" in graded.outputs["extract_weights"]


def test_os_exit_in_a_notebook_is_refused_and_grading_goes_on(grade, student_notebook):
    nb = insert_cell(notebook_submission(student_notebook), "def count_params(", "import os\nos._exit(1)")
    graded = grade(nb, ".ipynb")
    assert graded.scores == POINTS, graded.outputs
    cell = code_cell_number(nb, "os._exit(1)")
    assert f"code cell {cell} called os._exit(1), which grading refuses; the rest of that cell did not run." in problems(graded)


def test_kernel_killed_at_top_level_still_gives_results_and_a_reason(grade, student_notebook):
    nb = insert_cell(
        notebook_submission(student_notebook),
        "def sequence_forward(",
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    )
    graded = grade(nb, ".ipynb")
    # the functions defined before it are graded (extract_weights, whose checks run in the kernel's
    # last cell, by the plugin's sealed run that may load Keras)
    assert graded.scores == scores_with(sequence_forward=0), graded.outputs
    cell = code_cell_number(nb, "SIGKILL")
    reason = f"the kernel died while running code cell {cell}"
    assert reason in problems(graded)
    # the sealed run ends where the kernel died: sequence_forward, defined after, does not exist
    assert "sequence_forward is not defined in the submission" in graded.outputs["sequence_forward"]
    assert f"⚠ {reason}" in graded.outputs["sequence_forward"]


def test_exception_at_top_level_of_a_script(grade):
    source = py_submission().replace("def weight_shapes(", "setup = undefined_thing + 1\n\n\ndef weight_shapes(")
    graded = grade(source)
    assert graded.scores == {**ZERO, "count_params": 1}, graded.outputs
    assert "raised NameError: name 'undefined_thing' is not defined; the rest of the script did not run." in problems(graded)


def test_import_error_stops_a_script_with_its_reason(grade):
    graded = grade(py_submission(header="import numpy as np\nimport numpyy\n"))
    assert graded.scores == ZERO, graded.outputs
    reason = "the script (line 2) raised ModuleNotFoundError: No module named 'numpyy'"
    assert reason in problems(graded)
    assert f"⚠ {reason}" in graded.outputs["count_params"]


def test_syntax_error_in_a_script_says_it_does_not_parse(grade):
    source = py_submission().replace("def count_params(T, D, M, K):", "def count_params(T, D, M, K)")
    line = source.splitlines().index("def count_params(T, D, M, K)") + 1
    graded = grade(source)
    assert graded.scores == ZERO, graded.outputs
    reason = f"the submission does not parse: line {line}: expected ':'"
    assert reason in problems(graded)
    for q in QUESTIONS:
        assert f"⚠ {reason}" in graded.outputs[q]
        assert "Traceback" not in graded.outputs[q]


def test_syntax_error_in_one_notebook_cell_costs_only_that_cell(grade, student_notebook):
    nb = notebook_submission(student_notebook, {"batched_forward": "def batched_forward(X, Wx, Wh, bh, Wo, bo):\n    return (X"})
    nb.cells.insert(1, nbformat.v4.new_code_cell("%matplotlib inline\n!echo magics parse"))
    graded = grade(nb, ".ipynb")
    assert graded.scores == scores_with(batched_forward=0), graded.outputs
    cell = code_cell_number(nb, "return (X")
    assert f"code cell {cell} does not parse: line 2:" in problems(graded)
    magics = code_cell_number(nb, "%matplotlib")
    assert f"code cell {magics} does not parse" not in problems(graded)
    assert f"code cell {magics} (line 2): the grader skipped `!echo magics parse`" in problems(graded)


def test_empty_file_earns_zero_and_says_so(grade):
    graded = grade("")
    assert graded.scores == ZERO, graded.outputs
    assert "the submission is empty" in problems(graded)
    assert "count_params is not defined in the submission." in graded.outputs["count_params"]


def test_foreign_kernel_name_and_another_file_name_grade_normally(autograder_zip, student_notebook, tmp_path):
    nb = notebook_submission(student_notebook)
    nb.metadata["kernelspec"] = {"name": "conda-env-ml-py", "display_name": "ML (conda)", "language": "python"}
    path = tmp_path / "Homework 3 - final (1).ipynb"
    nbformat.write(nb, path)
    graded = otter_run(autograder_zip, path)
    assert graded.scores == POINTS, graded.outputs
    assert graded.raw["output"] == "Isolation: full." or graded.raw["output"].startswith("Isolation: partial"), \
        graded.raw["output"]  # no problem found, only how the grading was confined


# 3. Integrity


WRONG_ANSWERS_THAT_LIE = {
    "count_params": """
        def count_params(T, D, M, K):
            class Equal(int):
                def __eq__(self, other):
                    return True
            return Equal(0)
        """,
    "weight_shapes": """
        def weight_shapes(D, M, K):
            class Anything:
                def __eq__(self, other):
                    return True
                def __len__(self):
                    return 5
                def __array_ufunc__(self, *args, **kwargs):
                    return True
            return Anything()
        """,
    "manual_forward": """
        def manual_forward(X, Wx, Wh, bh, Wo, bo):
            class Equal(np.ndarray):
                def __eq__(self, other):
                    return np.ones(np.shape(other), bool)
                def __array_ufunc__(self, *args, **kwargs):
                    return np.ones(Wo.shape[1], bool)
            return np.zeros(Wo.shape[1]).view(Equal)
        """,
    "batched_forward": """
        def batched_forward(X, Wx, Wh, bh, Wo, bo):
            np.isclose = lambda *args, **kwargs: True
            np.testing.assert_allclose = lambda *args, **kwargs: None
            for array in (X, Wx, Wh, bh, Wo, bo):
                array[...] = 0
            return np.zeros((X.shape[0], Wo.shape[1]))
        """,
}

TOP_LEVEL_REBINDING = """\
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
"""


def test_lying_values_and_rebound_numpy_cannot_pass_wrong_answers(grade):
    graded = grade(py_submission(WRONG_ANSWERS_THAT_LIE, header=TOP_LEVEL_REBINDING))
    assert graded.scores == scores_with(count_params=0, weight_shapes=0, manual_forward=0, batched_forward=0), graded.outputs
    assert "count_params returned a different number of parameters" in graded.outputs["count_params"]
    assert "should return a list of 5 shape tuples, got a" in graded.outputs["weight_shapes"]
    assert "its values differ from model.predict" in graded.outputs["manual_forward"]
    assert "its values differ from model.predict" in graded.outputs["batched_forward"]
    # batched_forward's own rebinding of numpy.isclose happens only in the grader's forked
    # children (the autograder runs no public check in the kernel), so only the top level's shows.
    top = (
        "the submission replaces numpy.allclose, numpy.array_equal, "
        "numpy.testing.assert_allclose; the grader ignores this."
    )
    assert top in problems(graded)
    assert f"⚠ {top}" in graded.outputs["manual_forward"]


FORWARD_WITH_KERAS = {
    "manual_forward": """
        def manual_forward(X, Wx, Wh, bh, Wo, bo):
            from tensorflow import keras
            inputs = keras.Input(shape=X.shape)
            model = keras.Model(inputs, keras.layers.Dense(Wo.shape[1])(keras.layers.SimpleRNN(Wh.shape[0])(inputs)))
            model.set_weights([Wx, Wh, bh, Wo, bo])
            return model.predict(X[None], verbose=0)[0]
        """,
    "batched_forward": """
        def batched_forward(X, Wx, Wh, bh, Wo, bo):
            import sys
            import tensorflow as tf
            sys.setprofile(None)
            h = tf.zeros((X.shape[0], Wh.shape[0]), tf.float64)
            for t in range(X.shape[1]):
                h = tf.tanh(X[:, t] @ Wx + h @ tf.constant(Wh, tf.float64) + bh)
            return (h @ tf.constant(Wo, tf.float64) + bo).numpy()
        """,
    "sequence_forward": """
        def sequence_forward(X, Wx, Wh, bh, Wo, bo):
            import subprocess
            subprocess.run(["true"])
            N, T, _ = X.shape
            h = np.zeros((N, Wh.shape[0]))
            outputs = []
            for t in range(T):
                h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
                outputs.append(h @ Wo + bo)
            return np.stack(outputs, axis=1)
        """,
}


def test_forward_functions_computed_with_tensorflow_earn_nothing(grade):
    graded = grade(py_submission(FORWARD_WITH_KERAS))
    assert graded.scores == scores_with(manual_forward=0, batched_forward=0, sequence_forward=0), graded.outputs
    assert "calls TensorFlow or Keras: this exercise asks for the computation in NumPy." in graded.outputs["manual_forward"]
    # It also switches the profiler off: the TensorFlow import it makes is still seen.
    assert "calls TensorFlow or Keras: this exercise asks for the computation in NumPy." in graded.outputs["batched_forward"]
    assert "starts another process" in graded.outputs["sequence_forward"]


def test_rewriting_the_kernel_side_check_passes_nothing(grade):
    header = (
        "import numpy as np\n"
        "import gradecore.kernel.calls\n"
        "gradecore.kernel.calls.check = lambda question, env: None\n"
    )
    wrong = {q: f"def {q}(*args):\n    return 0" for q in QUESTIONS}
    graded = grade(py_submission(wrong, header=header))
    assert graded.scores == ZERO, graded.outputs
    for q in QUESTIONS:  # judged on what they return, outside the kernel
        assert "checks failed" in graded.outputs[q], graded.outputs[q]


def test_rewriting_otters_test_runner_passes_nothing_wrong(grade):
    header = (
        "import numpy as np\n"
        "from otter.test_files.abstract_test import TestCaseResult\n"
        "from otter.test_files.exception_test import ExceptionTestFile\n"
        "def _pass_all(self, env):\n"
        "    self.test_case_results = [TestCaseResult(tc, 'passed', True) for tc in self.test_cases]\n"
        "ExceptionTestFile.run = _pass_all\n"
    )
    wrong = {"manual_forward": "def manual_forward(X, Wx, Wh, bh, Wo, bo):\n    return np.zeros(Wo.shape[1])"}
    graded = grade(py_submission(wrong, header=header))
    assert graded.scores == scores_with(manual_forward=0), graded.outputs
    assert "checks failed" in graded.outputs["manual_forward"], graded.outputs["manual_forward"]


# 4. Determinism


def test_grading_the_same_submission_three_times_gives_the_same_result(grade, small_limits):
    source = py_submission(
        {**WRONG_ANSWERS_THAT_LIE, "sequence_forward": "def sequence_forward(X, Wx, Wh, bh, Wo, bo):\n    while True:\n        pass"},
        header=TOP_LEVEL_REBINDING,
    )
    runs = [grade(source) for _ in range(3)]
    assert runs[0].scores == scores_with(count_params=0, weight_shapes=0, manual_forward=0, batched_forward=0, sequence_forward=0)
    for other in runs[1:]:
        assert other.scores == runs[0].scores
        assert other.outputs == runs[0].outputs
        assert problems(other) == problems(runs[0])
