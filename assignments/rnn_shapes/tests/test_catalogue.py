"""Grader validity: catalogued mistakes and correct styles graded through the built autograder.

To keep the number of gradings small, one mistake per function is combined into one submission
(the rest is the reference solution), and one correct style per function likewise: a submission
with a count_params mistake, a manual_forward mistake and a sequence_forward mistake at once still
shows that each loses exactly its own function's points. Every round is graded in one batch
(``rnn-shapes grade``, each file by ``otter run`` with the built zip, as the gated assignment's
tests do); ``test_assignment.py`` and ``test_robustness.py`` grade with plain ``otter run``.
"""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from assignments.rnn_shapes.grader import SPEC
from assignments.rnn_shapes.grader import checks as questions
from assignments.rnn_shapes.grader.cases import DEFAULT_SEED
from assignments.rnn_shapes.grader.mistakes import CATALOGUE
from gradecore.cli.records import Record
from gradecore.public.compare import Answer
from gradecore.public.encode import encode_value
from solutions.rnn_shapes.styles import STYLES
from tests.support import mistake_rounds, name_of, style_rounds

from .helpers import KIT, POINTS, notebook_submission, py_submission
from .test_cases import numpy_truth

MISTAKE_ROUNDS = mistake_rounds(SPEC)
STYLE_ROUNDS = style_rounds(STYLES)


def test_rounds_cover_the_whole_catalogue_and_every_style():
    assert sorted(m.id for r in MISTAKE_ROUNDS for m in r.values()) == sorted(m.id for m in CATALOGUE)
    assert sum(len(r) for r in STYLE_ROUNDS) == sum(len(v) for v in STYLES.values())
    # one graded submission per round, in one warm batch: about 2.5 s each on 2 cores
    assert len(MISTAKE_ROUNDS) + len(STYLE_ROUNDS) <= 40


@pytest.fixture(scope="module")
def numpy_checks():
    return questions.build_checks(DEFAULT_SEED, truth=numpy_truth)


def _namespace(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<submission>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("index", range(len(STYLE_ROUNDS)))
def test_style_round_passes_every_check_when_called_directly(index, numpy_checks):
    """Fast check of the styles before otter grades them (extract_weights needs Keras: slow test)."""
    namespace = _namespace(py_submission(STYLE_ROUNDS[index]))
    for q in STYLE_ROUNDS[index]:
        if q == "extract_weights":
            continue
        for check in numpy_checks[q]:
            args = [a.copy() if isinstance(a, np.ndarray) else a for a in check.local_args]
            answer = Answer.decode(encode_value(namespace[q](*args)))
            assert SPEC.question(q).problem_with(answer, check.expected) is None, (q, name_of(STYLE_ROUNDS[index][q]), check.label)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, autograder_zip, student_notebook) -> dict[str, Record]:
    """Every round graded in one batch with ``rnn-shapes grade`` (each file by ``otter run`` and
    the built zip): records by file name."""
    folder = tmp_path_factory.mktemp("rnn-rounds")
    for i, mistakes in enumerate(MISTAKE_ROUNDS):
        (folder / f"mistakes{i:02d}.py").write_text(py_submission(dict(mistakes)))
    for i, styles in enumerate(STYLE_ROUNDS):
        if i == 0:
            # the student notebook imports TensorFlow at the top; the maths must not need it
            nbformat.write(notebook_submission(student_notebook, styles), folder / "styles00.ipynb")
        else:
            header = "import numpy as np\nimport tensorflow as tf\n" if i == 1 else "import numpy as np\n"
            (folder / f"styles{i:02d}.py").write_text(py_submission(styles, header=header))
    return KIT.grade_batch(folder, autograder_zip, tmp_path_factory.mktemp("rnn-rounds-grades"))


_scores = KIT.scores


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(STYLE_ROUNDS)), ids=[f"styles{i}" for i in range(len(STYLE_ROUNDS))])
def test_correct_styles_earn_full_marks(index, graded):
    styles = STYLE_ROUNDS[index]
    record = graded[f"styles{index:02d}" + (".ipynb" if index == 0 else ".py")]
    names = {q: name_of(s) for q, s in styles.items()}
    assert _scores(record) == POINTS, (names, record.outputs)
    # the public checks, which students run themselves, must not fail a correct style either
    for q, output in record.outputs.items():
        assert "All test cases passed" in output, (q, names.get(q), output)


@pytest.mark.slow
@pytest.mark.parametrize(
    "index", range(len(MISTAKE_ROUNDS)), ids=["+".join(m.id for m in r.values()) for r in MISTAKE_ROUNDS]
)
def test_each_mistake_loses_exactly_its_points_and_is_named(index, graded):
    mistakes = MISTAKE_ROUNDS[index]
    record = graded[f"mistakes{index:02d}.py"]
    scores = _scores(record)
    assert {q for q in SPEC.names if scores[q] < POINTS[q]} == set(mistakes), scores
    for q in SPEC.names:
        expected = 0 if q in mistakes else POINTS[q]
        assert scores[q] == expected, (q, record.outputs[q])
    for q, m in mistakes.items():
        output = record.outputs[q]
        assert "Traceback" not in output
        assert "Likely mistake: " in output, (m.id, output)
        if m.signature:
            assert f"Likely mistake: {m.title}." in output, (m.id, output)
            others = {o.title for o in CATALOGUE.for_question(q)} - {m.title}
            assert not any(f"Likely mistake: {t}." in output for t in others), (m.id, output)
