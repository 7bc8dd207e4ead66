"""gated_rnn_shapes through its built zip: every correct style earns full marks, every catalogued
mistake loses exactly its function's points and is named, the examples score as they should.

The submissions are graded together by ``rnn-shapes grade`` (which runs ``otter run`` on each
with the zip's own code; tests/integration/test_cli.py proves its scores equal plain
``otter run``'s), and a few alone by ``otter run`` itself.
"""

from __future__ import annotations

import nbformat
import pytest

from solutions.gated_rnn_shapes.styles import STYLES
from tests.support import mistake_rounds, name_of, style_rounds

from .conftest import KIT
from .test_gated_cases import EXAMPLES

pytestmark = pytest.mark.slow

MISTAKE_ROUNDS = mistake_rounds(KIT.spec)
STYLE_ROUNDS = style_rounds(STYLES)


def test_rounds_cover_the_whole_catalogue_and_every_style():
    assert sorted(m.id for r in MISTAKE_ROUNDS for m in r.values()) == sorted(m.id for m in KIT.spec.catalogue)
    assert sum(len(r) for r in STYLE_ROUNDS) == sum(len(v) for v in STYLES.values())


@pytest.fixture(scope="module")
def graded(tmp_path_factory, autograder_zip, student_notebook) -> dict[str, object]:
    """Every round, the reference and the examples, graded in one batch: records by file name."""
    folder = tmp_path_factory.mktemp("gated-class")
    for i, mistakes in enumerate(MISTAKE_ROUNDS):
        (folder / f"mistakes{i:02d}.py").write_text(KIT.py_submission(dict(mistakes)))
    for i, styles in enumerate(STYLE_ROUNDS):
        if i == 0:
            nbformat.write(KIT.notebook_submission(student_notebook, styles), folder / "styles00.ipynb")
        else:
            (folder / f"styles{i:02d}.py").write_text(KIT.py_submission(styles))
    (folder / "reference.py").write_text(KIT.solution.read_text())
    nbformat.write(KIT.notebook_submission(student_notebook), folder / "reference.ipynb")
    nbformat.write(nbformat.read(student_notebook, as_version=4), folder / "untouched.ipynb")
    nbformat.write(KIT.notebook_submission(student_notebook, {"lstm_forward": LATER_HELPER}), folder / "later-helper.ipynb")
    for example in (KIT.folder / "examples").iterdir():
        for path in example.iterdir():
            (folder / f"example-{example.name}{path.suffix}").write_bytes(path.read_bytes())
    return KIT.grade_batch(folder, autograder_zip, tmp_path_factory.mktemp("gated-grades"))


_scores = KIT.scores

LATER_HELPER = """
def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    h, _ = lstm_states(X, kernel, recurrent_kernel, bias)  # defined in a later cell
    return h @ Wo + bo
"""


def test_a_function_that_calls_one_defined_in_a_later_cell_earns_its_points(graded):
    """Grading runs every cell before its calls, as check_all and pytest do."""
    assert _scores(graded["later-helper.ipynb"]) == KIT.points, graded["later-helper.ipynb"].outputs


def test_the_reference_earns_full_marks_as_py_and_as_notebook(graded):
    for name in ("reference.py", "reference.ipynb"):
        assert _scores(graded[name]) == KIT.points, graded[name].outputs


def test_the_untouched_notebook_earns_zero_and_says_not_implemented(graded):
    record = graded["untouched.ipynb"]
    assert _scores(record) == {q: 0 for q in KIT.questions}
    for q in KIT.questions:
        assert f"{q} is not implemented yet" in record.outputs[q], record.outputs[q]


@pytest.mark.parametrize("index", range(len(STYLE_ROUNDS)), ids=[f"styles{i}" for i in range(len(STYLE_ROUNDS))])
def test_correct_styles_earn_full_marks_and_pass_the_public_checks(graded, index):
    name = f"styles{index:02d}.ipynb" if index == 0 else f"styles{index:02d}.py"
    record = graded[name]
    names = {q: name_of(s) for q, s in STYLE_ROUNDS[index].items()}
    assert _scores(record) == KIT.points, (names, record.outputs)
    for q, output in record.outputs.items():
        assert "All test cases passed" in output, (q, names.get(q), output)


@pytest.mark.parametrize(
    "index", range(len(MISTAKE_ROUNDS)), ids=["+".join(m.id for m in r.values()) for r in MISTAKE_ROUNDS]
)
def test_each_mistake_loses_exactly_its_points_and_is_named(graded, index):
    mistakes = MISTAKE_ROUNDS[index]
    record = graded[f"mistakes{index:02d}.py"]
    scores = _scores(record)
    assert scores == {q: 0 if q in mistakes else KIT.points[q] for q in KIT.questions}, record.outputs
    for q, m in mistakes.items():
        output = record.outputs[q]
        assert "Traceback" not in output
        assert f"Likely mistake: {m.title}." in output, (m.id, output)
        others = [o.title for o in KIT.spec.catalogue.for_question(q) if o.id != m.id and o.title != m.title]
        assert not any(f"Likely mistake: {t}." in output for t in others), (m.id, output)


def test_examples_score_as_their_mistakes_say(graded):
    for name, expected in EXAMPLES.items():
        (record,) = [r for file, r in graded.items() if file.startswith(f"example-{name}.")]
        if record.status != "graded":
            pytest.fail(f"{name}: {record.reason}")
        lost = {q for q, p in record.points.items() if p < KIT.points[q]}
        assert lost == expected["loses"], (name, record.reason)
        for q, mistake in expected["diagnosed"].items():
            assert f"Likely mistake: {KIT.spec.catalogue.by_id(mistake).title}." in record.outputs[q], (name, q)


def test_a_notebook_named_for_the_assignment_is_graded_by_raw_otter_run(autograder_zip, student_notebook, tmp_path):
    """The student notebook carries otter.assignment_name = gated_rnn_shapes; plain ``otter run`` grades it."""
    nb = KIT.notebook_submission(student_notebook)
    assert nb.metadata["otter"]["assignment_name"] == "gated_rnn_shapes"
    path = tmp_path / "gated_rnn_shapes.ipynb"
    nbformat.write(nb, path)
    assert KIT.otter_run(autograder_zip, path).scores == KIT.points
