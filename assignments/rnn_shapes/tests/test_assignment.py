"""The assignment end to end: the built notebook and zip grade the reference and the stubs.

The reference as a script and as a notebook, and a notebook without otter metadata, earn full marks
in the core's integration tests (``tests/integration/``), which grade them with odd cells around."""

from __future__ import annotations

import nbformat
import pytest

from assignments.rnn_shapes.grader.mistakes import CATALOGUE

from .helpers import (
    POINTS,
    QUESTIONS,
    ROOT,
    notebook_submission,
    otter_run,
    py_submission,
    reference_sources,
)

pytestmark = pytest.mark.slow


def test_solution_notebook_from_otter_assign_earns_full_marks(dist, autograder_zip, tmp_path):
    copy = tmp_path / "rnn_shapes.ipynb"  # otter_run writes its results beside the file
    copy.write_bytes((dist / "autograder" / "rnn_shapes.ipynb").read_bytes())
    graded = otter_run(autograder_zip, copy)
    assert graded.scores == POINTS, graded.outputs


def test_untouched_student_notebook_earns_zero_with_a_clear_message(autograder_zip, student_notebook, tmp_path):
    copy = tmp_path / "rnn_shapes.ipynb"
    copy.write_bytes(student_notebook.read_bytes())
    graded = otter_run(autograder_zip, copy)
    assert graded.scores == {q: 0 for q in QUESTIONS}
    for q in QUESTIONS:
        assert f"{q} is not implemented yet" in graded.outputs[q]
        assert "Traceback" not in graded.outputs[q]
    # Nothing a student sees (Gradescope shows every entry of results.json) says "passed".
    for entry in graded.raw["tests"]:
        assert entry.get("status") != "passed" and "passed" not in entry.get("output", "").lower(), entry


def test_a_script_exported_from_the_notebook_is_checked_and_graded_as_the_notebook(dist, autograder_zip, student_notebook, tmp_path):
    """Jupyter's "Export as Executable Script" (nbconvert's Python exporter) keeps every cell, the
    setup and check cells included, as top-level code: pytest and grading both see its functions."""
    import shutil
    import subprocess
    import sys

    from nbconvert import PythonExporter

    notebook = notebook_submission(student_notebook)
    notebook.metadata["language_info"] = {"name": "python", "file_extension": ".py", "nbconvert_exporter": "python"}
    script, _ = PythonExporter().from_notebook_node(notebook)
    assert "# In[" in script and "grader.check(" in script and "_this_notebook()" in script
    folder = tmp_path / "student"
    shutil.copytree(dist / "student", folder)
    (folder / "rnn_shapes.py").write_text(script)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=folder, capture_output=True, text=True, timeout=600
    )
    assert "6 passed" in proc.stdout and "checking rnn_shapes.py" in proc.stdout, proc.stdout[-3000:]
    graded = otter_run(autograder_zip, folder / "rnn_shapes.py")
    assert graded.scores == POINTS, graded.outputs


def test_forgotten_bias_and_unreset_state_lose_exactly_their_points(grade):

    graded = grade(
        py_submission(
            {"manual_forward": CATALOGUE.by_id("no_hidden_bias@manual_forward"), "batched_forward": CATALOGUE.by_id("unreset_state@batched_forward")}
        )
    )
    assert graded.lost() == {"manual_forward", "batched_forward"}
    assert "the hidden bias bh is missing" in graded.outputs["manual_forward"]
    assert "the hidden state is not reset between samples" in graded.outputs["batched_forward"]


def test_student_self_check_with_pytest(dist, tmp_path):
    """`pytest` in the student folder runs the public checks, one test per question, and names the
    failing one with its message."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(dist / "student", tmp_path / "student")
    notebook = tmp_path / "student" / "rnn_shapes.ipynb"
    nbformat.write(notebook_submission(notebook, {"batched_forward": CATALOGUE.by_id("unreset_state@batched_forward")}), notebook)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=notebook.parent, capture_output=True, text=True, timeout=600
    )
    assert "1 failed, 5 passed" in proc.stdout, proc.stdout[-3000:]
    assert "FAILED test_rnn_shapes.py::test_public_check[batched_forward]" in proc.stdout
    assert "Likely mistake: the state is not reset between samples" in proc.stdout
    assert "checking rnn_shapes.ipynb" in proc.stdout, "pytest's header names the file it checks"


def test_master_notebook_solutions_match_reference_solution():
    master = nbformat.read(ROOT / "assignments" / "rnn_shapes" / "rnn_shapes.ipynb", as_version=4)
    reference = reference_sources()
    for cell in master.cells:
        if cell.cell_type != "code":
            continue
        for name in QUESTIONS:
            if cell.source.startswith(f"def {name}("):
                kept = [line for line in cell.source.splitlines() if "PROMPT" not in line and "SOLUTION" not in line and "NotImplementedError" not in line]
                assert "\n".join(kept) == reference[name], f"{name} differs between the master notebook and solution.py"


def test_a_seed_the_build_did_not_see_is_judged_with_live_keras(autograder_zip, tmp_path):
    """The zip ships its build seed's truths; another seed builds its Keras models at grading, and
    the messages never print the seed."""
    submission = tmp_path / "other_seed.py"
    submission.write_text(
        py_submission({"extract_weights": CATALOGUE.by_id("weights_swapped"), "manual_forward": CATALOGUE.by_id("no_hidden_bias@manual_forward")})
    )
    graded = otter_run(autograder_zip, submission, env={"RNN_SHAPES_SEED": "424242"})
    assert graded.scores == {**POINTS, "extract_weights": 0, "manual_forward": 0}, graded.outputs
    assert "424242" not in graded.outputs["manual_forward"] and "case " in graded.outputs["manual_forward"]
    assert CATALOGUE.by_id("weights_swapped").title in graded.outputs["extract_weights"]
    assert CATALOGUE.by_id("no_hidden_bias@manual_forward").title in graded.outputs["manual_forward"]
