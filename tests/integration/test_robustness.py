"""Robust and tamper-resistant grading: broken, hostile and odd submissions through the real zip.

Each test grades a whole submission with ``otter run`` and asserts its scores and the one-line
reason a student reads. The limits are set small through the environment, which ``otter run``
passes on to the kernel.

The limits of a graded call run for every assignment: what a call may do depends on the
assignment's checks (which questions are NumPy-only, what their judges compute). The problems of
a submission's own top-level code are the kernel's, whatever the assignment: they run on the
default assignment (``@default_only``), with the submissions built from its own files. The
integrity of the verdicts is the attack suite's (``tests/attacks/``, every assignment: rebinding
``gradecore.kernel`` and otter's test classes, TensorFlow in threads and subprocesses), and the
lying answers of rnn_shapes stay with it (``assignments/rnn_shapes/tests/test_integrity.py``).
"""

from __future__ import annotations

import json
import re
import time

import nbformat
import pytest

from gradecore.protocol import limits

from .conftest import default_only

pytestmark = pytest.mark.slow


def scores_with(kit, **earned) -> dict:
    """Full marks except the given questions, which earn the given scores."""
    return {q: earned.get(q, kit.points[q]) for q in kit.questions}


def only(kit, questions) -> dict:
    """Full marks for ``questions``, zero for the others."""
    return {q: kit.points[q] if q in questions else 0 for q in kit.questions}


def problems(graded) -> str:
    """The overall feedback, where the problems with the submission's own code are listed."""
    return graded.raw.get("output", "")


CELL_TIME_LIMIT_S = 6
"""The limit per cell of these tests: an endless loop at top level runs this long in the kernel,
then again in each sealed run, so each second here costs two or three in every test that has
one; the notebook's other cells take well under it on a loaded machine (imports are never
stopped halfway)."""


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setenv("RNN_SHAPES_TIME_LIMIT_S", "2")
    monkeypatch.setenv("RNN_SHAPES_CELL_TIME_LIMIT_S", str(CELL_TIME_LIMIT_S))


def code_cell_number(nb, marker: str) -> int:
    """The 1-based number, among code cells, of the cell whose source contains ``marker``."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return next(i for i, c in enumerate(code, start=1) if marker in c.source)


def insert_cell(nb, before: str, source: str):
    """Insert a code cell before the first cell whose source contains ``before``."""
    index = next(i for i, c in enumerate(nb.cells) if before in c.source)
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


def with_cell_before(kit, student_notebook, question: str, source: str):
    """The reference notebook with a code cell of ``source`` just before ``question``'s."""
    return insert_cell(kit.notebook_submission(student_notebook), f"def {question}(", source)


def before_definition(source: str, question: str, code: str) -> str:
    """A script with ``code`` at top level just before ``question`` is defined."""
    return source.replace(f"def {question}(", f"{code}\n\n\ndef {question}(", 1)


# 1. Per-check isolation and limits


def test_endless_loop_runaway_memory_and_tensorflow_cost_only_their_own_functions(kit, grade, small_limits):
    numpy_only = [q.name for q in kit.spec.questions if q.numpy_only]
    assert len(numpy_only) >= 2, "the scenario needs two NumPy-only questions"
    looping, hoarding, *others = numpy_only
    overrides = {
        looping: kit.function(looping, "while True:\n    pass"),
        # address space only (np.empty touches no page): safe on a shared machine, and still past
        # the per-call limit
        hoarding: kit.function(hoarding, "hoard = []\nwhile True:\n    hoard.append(np.empty(10**8))"),
    }
    # right answers, computed after asking TensorFlow for something: a NumPy-only call earns nothing
    asking = others[:1]
    for q in asking:
        overrides[q] = kit.reference_after(q, "import tensorflow as tf\ntf.constant(0.0)")
    graded = grade(kit.py_submission(overrides))
    assert graded.scores == scores_with(kit, **{q: 0 for q in overrides}), graded.outputs
    assert f"{looping} did not return within 2 seconds: is there an endless loop?" in graded.outputs[looping]
    assert f"{hoarding} ran out of memory (limit {limits.MEMORY_LIMIT_MB} MiB)" in graded.outputs[hoarding]
    for q in asking:
        assert "calls TensorFlow or Keras: this exercise asks for the computation in NumPy." in graded.outputs[q]


# 2. Problems in the submission's own top-level code


@default_only
def test_endless_loop_at_top_level_is_stopped_and_later_cells_still_run(kit, grade, student_notebook, small_limits):
    middle = kit.questions[len(kit.questions) // 2]
    nb = with_cell_before(kit, student_notebook, middle, "while True:\n    pass")
    graded = grade(nb, ".ipynb")
    assert graded.scores == kit.points, graded.outputs
    cell = code_cell_number(nb, "while True:")
    # the loop is stopped on either of its two lines
    assert re.search(rf"code cell {cell} \(line [12]\) was stopped after {CELL_TIME_LIMIT_S} seconds, the grader's limit per cell", problems(graded))


@default_only
def test_endless_loop_in_a_script_stops_the_script_there(kit, grade, small_limits):
    k = len(kit.questions) // 2
    later = kit.questions[k]
    source = before_definition(kit.py_submission(), later, "while True:\n    pass")
    line = source.splitlines().index("while True:") + 1
    graded = grade(source)
    assert graded.scores == only(kit, kit.questions[:k]), graded.outputs
    reason = rf"the script \(line ({line}|{line + 1})\) was stopped after {CELL_TIME_LIMIT_S} seconds"
    assert re.search(reason, problems(graded))
    assert f"{later} is not defined in the submission." in graded.outputs[later]
    assert re.search(f"⚠ {reason}", graded.outputs[later])


@default_only
def test_a_slow_import_is_not_stopped_halfway_and_prints_no_tensorflow_chatter(kit, grade, monkeypatch):
    # Importing TensorFlow takes longer than this limit; stopped halfway, it would stay broken in
    # the kernel, and the hidden checks that build Keras models in the kernel would fail. The
    # kernel's start-up notices stay off the instructor's terminal.
    monkeypatch.setenv("RNN_SHAPES_CELL_TIME_LIMIT_S", "1")
    graded = grade(kit.py_submission(header="import numpy as np\nimport tensorflow as tf\nimport keras\n"))
    assert graded.scores == kit.points, graded.outputs
    assert "was stopped" not in problems(graded)
    for chatter in ("oneDNN", "absl::InitializeLog", "cpu_feature_guard", "retracing", "without encryption"):
        assert chatter not in graded.stderr, graded.stderr


@default_only
def test_huge_memory_at_top_level_fails_its_cell_not_the_kernel(kit, grade, student_notebook):
    # 12 GiB of address space: allowed by the system here (overcommit), refused by the kernel's
    # limit (RNN_SHAPES_KERNEL_MEMORY_LIMIT_MB, 8192 by default) before it can cost real memory.
    nb = with_cell_before(kit, student_notebook, kit.questions[0], "hog = np.empty(12 * 2**30 // 8)")
    graded = grade(nb, ".ipynb")
    assert graded.scores == kit.points, graded.outputs
    assert f"code cell {code_cell_number(nb, 'hog = ')} (line 1) ran out of memory (MemoryError)" in problems(graded)


@default_only
def test_megabytes_of_printed_output_are_capped(kit, grade):
    graded = grade(kit.py_submission(header="import numpy as np\nfor i in range(60_000):\n    print('x' * 99)\n"))
    assert graded.scores == kit.points, graded.outputs
    assert f"the script printed more than {limits.OUTPUT_LIMIT_CHARS} characters; the grader dropped the rest" in problems(graded)
    assert len(json.dumps(graded.raw)) < 50_000


@default_only
def test_sys_exit_in_a_script_keeps_what_was_defined_before_it(kit, grade):
    k = len(kit.questions) // 3
    stopped = kit.questions[k]
    graded = grade(before_definition(kit.py_submission(), stopped, "import sys\nsys.exit(3)"))
    assert graded.scores == only(kit, kit.questions[:k]), graded.outputs
    assert "called sys.exit(3); the rest of the script did not run." in problems(graded)
    assert "⚠ the script called sys.exit(3)" in graded.outputs[stopped]


@default_only
def test_os_exit_in_a_notebook_is_refused_and_grading_goes_on(kit, grade, student_notebook):
    nb = with_cell_before(kit, student_notebook, kit.questions[0], "import os\nos._exit(1)")
    graded = grade(nb, ".ipynb")
    assert graded.scores == kit.points, graded.outputs
    cell = code_cell_number(nb, "os._exit(1)")
    assert f"code cell {cell} called os._exit(1), which grading refuses; the rest of that cell did not run." in problems(graded)


@default_only
def test_kernel_killed_at_top_level_still_gives_results_and_a_reason(kit, grade, student_notebook):
    last = kit.questions[-1]
    nb = with_cell_before(kit, student_notebook, last, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    graded = grade(nb, ".ipynb")
    # the functions defined before it are graded (those whose checks build Keras models in the
    # kernel too: the plugin's sealed run, in the kernel's last cell, may load Keras)
    assert graded.scores == scores_with(kit, **{last: 0}), graded.outputs
    cell = code_cell_number(nb, "SIGKILL")
    reason = f"the kernel died while running code cell {cell}"
    assert reason in problems(graded)
    # the sealed run ends where the kernel died: the last function, defined after, does not exist
    assert f"{last} is not defined in the submission" in graded.outputs[last]
    assert f"⚠ {reason}" in graded.outputs[last]


@default_only
def test_exception_at_top_level_of_a_script(kit, grade):
    second = kit.questions[1]
    graded = grade(before_definition(kit.py_submission(), second, "setup = undefined_thing + 1"))
    assert graded.scores == only(kit, kit.questions[:1]), graded.outputs
    assert "raised NameError: name 'undefined_thing' is not defined; the rest of the script did not run." in problems(graded)


@default_only
def test_import_error_stops_a_script_with_its_reason(kit, grade):
    graded = grade(kit.py_submission(header="import numpy as np\nimport numpyy\n"))
    assert graded.scores == only(kit, ()), graded.outputs
    reason = "the script (line 2) raised ModuleNotFoundError: No module named 'numpyy'"
    assert reason in problems(graded)
    assert f"⚠ {reason}" in graded.outputs[kit.questions[0]]


@default_only
def test_syntax_error_in_a_script_says_it_does_not_parse(kit, grade):
    source = kit.py_submission()
    lines = source.splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(f"def {kit.questions[0]}("))
    assert lines[line - 1].endswith(":"), lines[line - 1]
    lines[line - 1] = lines[line - 1][:-1]
    graded = grade("\n".join(lines) + "\n")
    assert graded.scores == only(kit, ()), graded.outputs
    reason = f"the submission does not parse: line {line}: expected ':'"
    assert reason in problems(graded)
    for q in kit.questions:
        assert f"⚠ {reason}" in graded.outputs[q]
        assert "Traceback" not in graded.outputs[q]


@default_only
def test_syntax_error_in_one_notebook_cell_costs_only_that_cell(kit, grade, student_notebook):
    broken = kit.questions[-2]
    nb = kit.notebook_submission(student_notebook, {broken: kit.function(broken, "return (0")})
    nb.cells.insert(1, nbformat.v4.new_code_cell("%matplotlib inline\n!echo magics parse"))
    graded = grade(nb, ".ipynb")
    assert graded.scores == scores_with(kit, **{broken: 0}), graded.outputs
    cell = code_cell_number(nb, "return (0")
    assert f"code cell {cell} does not parse: line 2:" in problems(graded)
    magics = code_cell_number(nb, "%matplotlib")
    assert f"code cell {magics} does not parse" not in problems(graded)
    assert f"code cell {magics} (line 2): the grader skipped `!echo magics parse`" in problems(graded)


@default_only
def test_empty_file_earns_zero_and_says_so(kit, grade):
    graded = grade("")
    assert graded.scores == only(kit, ()), graded.outputs
    assert "the submission is empty" in problems(graded)
    first = kit.questions[0]
    assert f"{first} is not defined in the submission." in graded.outputs[first]


@default_only
def test_a_notebook_of_another_kernel_without_otter_metadata_and_another_file_name_is_graded(kit, autograder_zip, tmp_path):
    """A notebook made outside the student notebook (no otter metadata, a kernel of another
    name), under the name a download gives it, earns full marks and no remark."""
    cells = [nbformat.v4.new_code_cell("import numpy as np")]
    cells += [nbformat.v4.new_code_cell(source) for source in kit.reference_sources().values()]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "conda-env-ml-py", "display_name": "ML (conda)", "language": "python"}
    path = tmp_path / "Homework 3 - final (1).ipynb"
    nbformat.write(nb, path)
    graded = kit.otter_run(autograder_zip, path)
    assert graded.scores == kit.points, graded.outputs
    assert graded.raw["output"] == "Isolation: full." or graded.raw["output"].startswith("Isolation: partial"), \
        graded.raw["output"]  # no problem found, only how the grading was confined


SPINNING_MODULE = """

import os as _os, sys as _sys, tempfile as _tempfile
_folder = _tempfile.mkdtemp()
with open(_os.path.join(_folder, "spins.py"), "w") as _module:
    _module.write("while True:\\n    pass\\n")
_sys.path.insert(0, _folder)
import spins
"""
"""A script's last lines: write a module whose top level never ends, and import it."""


@default_only
def test_an_endless_loop_in_an_imported_module_is_stopped_past_the_grace_for_imports(kit, grade, small_limits, monkeypatch):
    """An import may run past its cell's limit (stopped halfway, TensorFlow's would stay broken),
    but only for ``IMPORT_GRACE_S`` in all: a module the submission writes and imports, whose top
    level never ends, is stopped there, in the kernel and in the sealed run, and the functions
    defined before it are graded. Until 2026-12-08 the import was let run on, a second at a time,
    until the grading's own deadline (forever, under a plain ``otter run``)."""
    monkeypatch.setenv("GRADECORE_IMPORT_GRACE_S", "4")
    source = kit.py_submission() + SPINNING_MODULE
    line = source.splitlines().index("import spins") + 1
    started = time.monotonic()
    graded = grade(source)
    assert graded.scores == kit.points, graded.outputs
    assert (f"the script (line {line}) was stopped in an import after {CELL_TIME_LIMIT_S + 4} seconds (the grader's "
            "limit per cell, and 4 s more for imports): is there an endless loop in the module it imports?") in problems(graded)
    # the kernel's 10 s and the sealed run's, with the grading's own work (about 200 s at load 22)
    assert time.monotonic() - started < 400
