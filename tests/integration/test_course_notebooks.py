"""Notebooks written where students work (Colab): shell escapes and environment magics never run
at grading, and the cells that fail off Colab cost nothing but themselves.

The cells are of the kind the course's notebooks hold (``%tensorflow_version 2.x``, ``!pip install``)
and Colab's own (Drive, ``!nvidia-smi``), put in the built student notebook with its reference
answers. Skipping them is the kernel's, whatever the assignment: they run on the default assignment."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from .conftest import default_only

pytestmark = pytest.mark.slow


def _environment() -> str:
    return subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True
    ).stdout


@default_only
def test_shell_escapes_and_environment_magics_are_skipped_and_said_so(kit, grade, student_notebook, tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    escapes = {
        "!touch": f"!touch {marks}/bang",
        "!pip": "!pip install -q -U numpy",
        "%pip": f"%pip install --target {marks}/pip six",
        "%conda": "%conda install -y six",
        "%system": f"%system touch {marks}/system",
        "x = !": f"listing = !touch {marks}/getoutput",
        "%%bash": f"%%bash\ntouch {marks}/bash",
        "%%capture": f"%%capture\n!touch {marks}/capture\nprint('captured')",
    }
    nb = kit.notebook_submission(student_notebook)
    middle = kit.questions[len(kit.questions) // 2]
    at = next(i for i, c in enumerate(nb.cells) if f"def {middle}(" in c.source)
    for offset, source in enumerate(escapes.values()):
        nb.cells.insert(at + offset, nbformat.v4.new_code_cell(source))
    nb.cells.insert(at, nbformat.v4.new_code_cell(f"if True:\n    !touch {marks}/indented\n    import numpy as np"))
    before = _environment()
    graded = grade(nb, ".ipynb")
    assert graded.scores == kit.points, graded.outputs
    assert sorted(p.name for p in marks.iterdir()) == [], "a shell escape ran at grading"
    assert _environment() == before, "grading changed the installed packages"
    feedback = graded.raw.get("output", "")
    for shown in ["!touch", "!pip install -q -U numpy", "%pip install --target", "%conda install -y six",
                  "%system touch", "%%bash", "!touch " + str(marks) + "/capture"]:
        assert f"skipped `{shown}" in feedback, (shown, feedback)
    assert "shell commands and environment magics" in feedback


@default_only
def test_cells_that_fail_off_colab_leave_the_functions_graded(kit, grade, student_notebook):
    """... and otter-assign's first cell, ``grader = otter.Notebook(...)``, which writes otter's log in
    the working folder, runs whole where that folder is read-only (the sealed kernel's)."""
    nb = kit.notebook_submission(student_notebook)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        f'# Initialize Otter\nimport otter\ngrader = otter.Notebook("{kit.name}.ipynb")\nprint("set up")'))
    colab = [
        "try:\n    %tensorflow_version 2.x\nexcept Exception:\n    pass\nimport numpy as np",
        "from keras.optimizers.legacy import Adam  # Keras 2's; fails on some stacks",
        "from google.colab import drive\ndrive.mount('/content/drive')",
        "!nvidia-smi",
    ]
    for source in reversed(colab):
        nb.cells.insert(2, nbformat.v4.new_code_cell(source))
    graded = grade(nb, ".ipynb")
    assert graded.scores == kit.points, graded.outputs
    feedback = graded.raw.get("output", "")
    assert "skipped `%tensorflow_version 2.x`" in feedback and "skipped `!nvidia-smi`" in feedback, feedback
    assert "No module named 'google.colab'" in feedback, feedback
    assert "read-only" not in feedback and "'grader' is not defined" not in feedback, feedback
