"""The hidden cases reveal every catalogued mistake, and accept every correct style.

Pure NumPy and fast: the expected answers come from the reference solution in float64, so no
model is built and no otter runs. The one test that runs real Keras, to prove that the reference
agrees with the tape and that the stepped cell's forward pass is the layer's ``predict`` bit for
bit, is marked slow.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from assignments.rnn_bptt.grader import SPEC, checks
from assignments.rnn_bptt.grader.cases import DEFAULT_SEED, make_cases, make_clip_cases
from gradecore.judge.diagnosis import _outcomes_agree, decide, diagnose, error_of, run_entry
from gradecore.public.compare import Answer
from gradecore.public.encode import encode_value
from solutions.rnn_bptt import solution
from solutions.rnn_bptt.styles import STYLES, as_function
from tests.support import entries_run_once, name_of

HERE = Path(__file__).resolve().parents[1]
SEEDS = [DEFAULT_SEED] + [1000 + 97 * i for i in range(20)]
"""The grading seed, and 20 others: the cases must reveal every mistake whatever the seed."""

REVEALED = 100.0
"""Smallest error, in units of the tolerance, that counts as plainly revealed."""

CORRECT = 0.05
"""Largest error, in units of the tolerance, allowed of correct code against the float64 truth:
what remains of the tolerance covers Keras' float32 arithmetic (see the slow test)."""


def _as64(arrays):
    return [np.asarray(a, np.float64) for a in arrays]


def numpy_truth(case) -> checks.Truth:
    """The expected answers from the reference solution in float64."""
    data = _as64([case.X, case.y, *case.weights])
    return checks.Truth(
        grads=tuple(solution.bptt_gradients(*data)),
        hidden=solution.hidden_gradients(*data),
        norms=solution.gradient_norms(*data),
        truncated={k: tuple(solution.truncated_bptt_gradients(*data, k)) for k in case.ks},
    )


def numpy_clip_truth(case) -> checks.ClipTruth:
    clipped, norm = solution.clip_by_global_norm(_as64(case.grads), case.clip_norm)
    return checks.ClipTruth(clipped, norm)


def numpy_checks(seed: int) -> dict:
    return checks.build_checks(seed, truth=numpy_truth, clip_truth=numpy_clip_truth)


pytestmark = pytest.mark.usefixtures(entries_run_once.__name__)


@pytest.fixture(scope="module")
def checks_by_seed():
    return {seed: numpy_checks(seed) for seed in SEEDS}


def answer_of(function, check) -> Answer:
    """What the judge sees of one call: the encoded value, or the exception."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in check.local_args]
    try:
        return Answer.decode(encode_value(function(*args)))
    except Exception as e:
        return Answer("raised", type(e).__name__, f"{type(e).__name__}: {e}")


def outcome_of(function, check) -> dict:
    """What the kernel reports for one call."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in check.local_args]
    try:
        return {"status": "returned", "value": encode_value(function(*args))}
    except Exception as e:
        return {"status": "raised", "detail": f"{type(e).__name__}: {e}"}


# --- the spec and its cases -----------------------------------------------------------------------


def test_spec_lists_the_five_questions_with_their_points():
    assert SPEC.points == {
        "bptt_gradients": 3,
        "hidden_gradients": 2,
        "gradient_norms": 1,
        "truncated_bptt_gradients": 2,
        "clip_by_global_norm": 1,
    }
    assert all(q.numpy_only for q in SPEC.questions)
    assert all(q.title and q.title.startswith(q.name) for q in SPEC.questions)


def test_importing_the_grader_does_not_import_tensorflow():
    code = "import sys; import assignments.rnn_bptt.grader; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_catalogue_has_many_entries_for_every_function():
    assert len(SPEC.catalogue) >= 30
    assert len({m.id for m in SPEC.catalogue}) == len(SPEC.catalogue)
    for q in SPEC.names:
        assert len(SPEC.catalogue.for_question(q)) >= 6, q
    for m in SPEC.catalogue:
        assert m.question in SPEC.names, m.id
        assert m.title and m.hint and not m.title.endswith(".") and not m.hint.endswith("."), m.id


def test_cases_cover_the_edges_with_random_nonzero_weights():
    for seed in SEEDS:
        cases = make_cases(seed)
        for case in cases[:-4]:
            s = case.shape
            assert len({s.N, s.T, s.D, s.M, s.K}) == 5 and min(s.N, s.T) >= 2 and s.M >= 3
        for case in cases:
            assert all(np.all(np.abs(w) > 0) and w.dtype == np.float32 for w in case.weights)
            assert np.all(np.abs(case.weights[2]) >= 0.1) and np.all(np.abs(case.weights[4]) >= 0.1)
            assert 1 in case.ks and max(case.ks) > case.shape.T
        shapes = [c.shape for c in cases]
        assert any(s.T == 1 for s in shapes) and any(s.M == 1 for s in shapes) and any(s.N == 1 for s in shapes)
        assert any(s.D == s.M for s in shapes)
        clip = make_clip_cases(seed)
        norms = [np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in c.grads)) for c in clip]
        assert any(c.clip_norm < n for c, n in zip(clip, norms)) and any(c.clip_norm > n for c, n in zip(clip, norms))


def test_checks_labels_name_only_seeds_and_sizes(checks_by_seed):
    label = re.compile(r"case [0-9a-f]{8}, (N=\d+, T=\d+, D=\d+, M=\d+, K=\d+(, k=\d+)?|D=\d+, M=\d+, K=\d+, "
                       r"clip_norm=[0-9.]+)(, asked again)?")
    for q, cs in checks_by_seed[DEFAULT_SEED].items():
        assert len(cs) >= 10, q
        for c in cs:
            assert label.fullmatch(c.label), c.label


# --- correct answers --------------------------------------------------------------------------------


def test_the_reference_passes_every_check_well_within_the_tolerance(checks_by_seed):
    worst = {}
    for found in checks_by_seed.values():
        for q in SPEC.names:
            function, question = getattr(solution, q), SPEC.question(q)
            for check in found[q]:
                answer = answer_of(function, check)
                assert question.problem_with(answer, check.expected) is None, (q, check.label)
                worst[q] = max(worst.get(q, 0.0), error_of(SPEC, check, answer))
    assert max(worst.values()) <= CORRECT, worst


def test_every_style_passes_every_check(checks_by_seed):
    assert sum(len(v) for v in STYLES.values()) >= 10
    assert set(STYLES) == set(SPEC.names)
    for found in checks_by_seed.values():
        for q, styles in STYLES.items():
            for style in styles:
                function = as_function(style, q)
                for check in found[q]:
                    answer = answer_of(function, check)
                    problem = SPEC.question(q).problem_with(answer, check.expected)
                    assert problem is None, (q, name_of(style), check.label, problem)
                    assert error_of(SPEC, check, answer) <= CORRECT, (q, name_of(style), check.label)


def test_correct_answers_are_never_diagnosed(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]
    for q, styles in STYLES.items():
        for function in [getattr(solution, q)] + [as_function(s, q) for s in styles]:
            answers = [answer_of(function, c) for c in found[q]]
            assert diagnose(SPEC, q, found[q], answers) is None, (q, name_of(function))


def test_clip_by_global_norm_leaves_its_input_unchanged(checks_by_seed):
    for function in [solution.clip_by_global_norm] + [as_function(s, "clip_by_global_norm") for s in STYLES["clip_by_global_norm"]]:
        for check in checks_by_seed[DEFAULT_SEED]["clip_by_global_norm"]:
            grads = [g.copy() for g in check.local_args[0]]
            function(grads, check.local_args[1])
            assert all(np.array_equal(a, b) for a, b in zip(grads, check.local_args[0])), name_of(function)


# --- mistakes -------------------------------------------------------------------------------------


def test_every_mistake_misses_by_far_more_than_the_tolerance(checks_by_seed, capsys):
    """Per entry, over all seeds: the smallest, over seeds, of its largest error on a seed's checks."""
    smallest = {}
    for found in checks_by_seed.values():
        for m in SPEC.catalogue:
            errors = [error_of(SPEC, c, run_entry(m, c)) for c in found[m.question]]
            smallest[m.id] = min(smallest.get(m.id, np.inf), max(errors))
    with capsys.disabled():
        print("\nlargest error of each mistake on the hidden checks (worst seed), in tolerance units:")
        for m in SPEC.catalogue:
            print(f"  {m.question:25s} {m.id:60s} {smallest[m.id]:10.3g}")
    for m in SPEC.catalogue:
        assert smallest[m.id] >= REVEALED, (m.id, smallest[m.id])


def test_diagnosis_names_every_mistake_from_its_own_answers(checks_by_seed):
    for seed in SEEDS[:3]:
        found = checks_by_seed[seed]
        for m in SPEC.catalogue:
            cs = found[m.question]
            named = diagnose(SPEC, m.question, cs, [run_entry(m, c) for c in cs])
            assert named is m, (seed, m.id, named and named.id)


@pytest.mark.parametrize("mistake, written", [
    ("first_step_skipped@bptt_gradients", "stops_at_1"),
    ("carry_skips_tanh_derivative@bptt_gradients", "carry_no_derivative"),
    ("dbo_mean@bptt_gradients", "dbo_mean"),
])
def test_a_students_own_mistakes_are_named(checks_by_seed, mistake, written):
    """range(T, 1, -1), dh @ Wh.T where da @ Wh.T belongs, dbo averaged: as the public checks' test writes them (apart from
    the catalogue's code): each named by the grading seed's cases, and the same code without the mistake is not."""
    from tests.test_public_names import bptt_gradients

    cs = checks_by_seed[DEFAULT_SEED]["bptt_gradients"]
    named = diagnose(SPEC, "bptt_gradients", cs, [answer_of(partial(bptt_gradients, mistake=written), c) for c in cs])
    assert named is not None and named.id == mistake
    assert diagnose(SPEC, "bptt_gradients", cs, [answer_of(bptt_gradients, c) for c in cs]) is None


def test_entries_of_a_question_differ_from_each_other(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]
    for q in SPEC.names:
        entries = SPEC.catalogue.for_question(q)
        outcomes = {m.id: [run_entry(m, c) for c in found[q]] for m in entries}
        for i, a in enumerate(entries):
            for b in entries[i + 1:]:
                assert not all(_outcomes_agree(x, y, False) for x, y in zip(outcomes[a.id], outcomes[b.id])), (a.id, b.id)


def _assert_no_hidden_values(message: str, cs) -> None:
    numbers = set(re.findall(r"-?\d+\.\d{3,}", message))
    assert not numbers, (numbers, message)


def test_each_mistake_s_feedback_names_it_and_no_other(checks_by_seed):
    """The judge's message for each entry's answers: its own title, no other entry's, no hidden value."""
    found = checks_by_seed[DEFAULT_SEED]
    for m in SPEC.catalogue:
        cs = found[m.question]
        message = decide(SPEC, m.question, cs, [outcome_of(m.function, c) for c in cs], DEFAULT_SEED).message
        assert f"Likely mistake: {m.title}." in message, (m.id, message)
        others = {o.title for o in SPEC.catalogue.for_question(m.question)} - {m.title}
        assert not any(f"Likely mistake: {t}." in message for t in others), (m.id, message)
        _assert_no_hidden_values(message, cs)


def test_a_concept_is_applied_to_every_function_it_fits():
    fits = {}
    for m in SPEC.catalogue:
        if m.concept:
            fits.setdefault(m.concept, set()).add(m.question)
            assert m.id == f"{m.concept}@{m.question}" and m.source.count(f"def {m.question}(") == 1
    backward = {"bptt_gradients", "hidden_gradients", "gradient_norms", "truncated_bptt_gradients"}
    for name in ("no_tanh_derivative", "no_carry", "loss_summed", "no_factor_2", "time_loop_forward", "Wh_not_transposed"):
        assert fits[name] == backward, name
    assert fits["dWh_from_h_t"] == fits["bias_per_sample"] == {"bptt_gradients", "truncated_bptt_gradients"}


# --- what the structural diagnosis says where no entry matches --------------------------------------


def test_unnamed_gradient_mistakes_are_described_in_the_course_s_terms(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]

    def dh_last_step_right(X, y, Wx, Wh, bh, Wo, bo):
        dh = solution.hidden_gradients(X, y, Wx, Wh, bh, Wo, bo)
        dh[:, :-1] *= 0.5
        return dh

    def dbh_tripled(X, y, Wx, Wh, bh, Wo, bo):
        dWx, dWh, dbh, dWo, dbo = solution.bptt_gradients(X, y, Wx, Wh, bh, Wo, bo)
        return dWx, dWh, 3 * dbh, dWo, dbo

    def dWh_transposed(X, y, Wx, Wh, bh, Wo, bo):
        dWx, dWh, dbh, dWo, dbo = solution.bptt_gradients(X, y, Wx, Wh, bh, Wo, bo)
        return dWx, dWh.T, dbh, dWo, dbo

    cs = found["hidden_gradients"]
    message = decide(SPEC, "hidden_gradients", cs, [outcome_of(dh_last_step_right, c) for c in cs], DEFAULT_SEED).message
    assert "What the hidden checks show: right at the last step only" in message, message
    cs = found["bptt_gradients"]
    message = decide(SPEC, "bptt_gradients", cs, [outcome_of(dbh_tripled, c) for c in cs], DEFAULT_SEED).message
    shown = message.split("What the hidden checks show: ")[1]
    assert "dbh: proportional to the expected answer" in shown and "dWx, dWh, dWo and dbo are right" in shown, message
    # round 12's blind mistake: the grader said "right values in the wrong places ... the expected shape ()"
    message = decide(SPEC, "bptt_gradients", cs, [outcome_of(dWh_transposed, c) for c in cs], DEFAULT_SEED).message
    assert "dWh: right values, transposed" in message and "()" not in message, message


# --- the notebook and the examples ------------------------------------------------------------------


def _cells():
    notebook = json.loads((HERE / "rnn_bptt.ipynb").read_text())
    return [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]


def test_notebook_follows_the_core_conventions():
    cells = _cells()
    kind, config = cells[0]
    assert kind == "raw" and config.startswith("# ASSIGNMENT CONFIG")
    assert "name: rnn_bptt" in config and 'python_version: "3.11"' in config
    questions = [re.search(r"name: (\w+)", s).group(1) for k, s in cells if k == "raw" and s.startswith("# BEGIN QUESTION")]
    assert questions == list(SPEC.names)
    for k, s in cells:
        if k == "raw" and s.startswith("# BEGIN QUESTION"):
            assert "points" not in s
        if "# BEGIN TEST CONFIG" in s:
            assert "points: 0" in s and "hidden: false" in s
    assert (HERE / "requirements.txt").read_text() == (HERE.parents[0] / "rnn_shapes" / "requirements.txt").read_text()


def test_notebook_solutions_are_the_reference_solution():
    """The solution cells, without their prompts, define exactly the functions of solution.py."""
    import ast

    def functions(source):
        return {n.name: ast.dump(n) for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}

    cells = [s for k, s in _cells() if k == "code" and "# BEGIN SOLUTION NO PROMPT" in s]
    notebook = {}
    for source in cells:
        assert 'raise NotImplementedError("' in source
        without_prompt = re.sub(r'    """ # BEGIN PROMPT.*?""" # END PROMPT\n', "", source, flags=re.S)
        notebook |= functions(without_prompt)
    assert notebook == functions(Path(solution.__file__).read_text())


def _example_functions(path: Path) -> dict:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        source = "\n\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "code" and "otter_answer_cell" in c["metadata"].get("tags", [])
        )
    else:
        source = path.read_text()
    namespace = {"np": np}
    try:
        exec(compile(source, str(path), "exec"), namespace)
    except Exception:  # a submission that does not load earns nothing
        return {}
    return {q: namespace[q] for q in SPEC.names if q in namespace}


BACKWARD = ("bptt_gradients", "hidden_gradients", "gradient_norms", "truncated_bptt_gradients")

EXAMPLES = {
    "ana": {"loses": set(), "diagnosed": {}},
    "bruno": {"loses": set(BACKWARD), "diagnosed": {q: f"no_tanh_derivative@{q}" for q in BACKWARD}},
    "chen": {"loses": {"bptt_gradients", "hidden_gradients"}, "diagnosed": {
        "bptt_gradients": "loss_summed@bptt_gradients", "hidden_gradients": "hidden_time_major@hidden_gradients"}},
    "dana": {"loses": {"truncated_bptt_gradients", "gradient_norms", "clip_by_global_norm"}, "diagnosed": {
        "truncated_bptt_gradients": "window_one_more@truncated_bptt_gradients",
        "gradient_norms": "norms_squared@gradient_norms", "clip_by_global_norm": "clip_per_tensor"}},
    "emil": {"loses": set(BACKWARD), "diagnosed": {}},
}
"""Each example submission: the questions it loses, and the mistakes the feedback names."""


def test_examples_lose_exactly_the_points_they_should(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]
    folders = {p.name: p for p in (HERE / "examples").iterdir() if p.is_dir()}
    assert set(folders) == set(EXAMPLES)
    for name, expected in EXAMPLES.items():
        (path,) = [p for p in folders[name].iterdir() if p.stem == "rnn_bptt"]
        functions = _example_functions(path)
        for q in SPEC.names:
            function = functions.get(q)
            answers = [answer_of(function, c) for c in found[q]] if function else []
            passed = bool(answers) and all(
                a.kind != "raised" and SPEC.question(q).problem_with(a, c.expected) is None for a, c in zip(answers, found[q])
            )
            assert passed == (q not in expected["loses"]), (name, q)
            if q in expected["diagnosed"]:
                named = diagnose(SPEC, q, found[q], answers)
                assert named and named.id == expected["diagnosed"][q], (name, q, named and named.id)


# --- Keras ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_numpy_truth_agrees_with_keras_and_the_stepped_cell_is_the_layer(capsys):
    """Real Keras: the tape's gradients equal the NumPy reference, the SimpleRNNCell stepped by hand
    gives ``predict``'s output bit for bit, and tf.clip_by_global_norm equals the reference. (The
    shipped truths of every check equal live Keras: tests/test_build.py.)"""
    from assignments.rnn_bptt.grader import keras_truth
    from gradecore.public.compare import tolerance_ratio

    worst = 0.0
    for seed in (DEFAULT_SEED, 1000):
        for case in make_cases(seed, count=2):
            s = case.shape
            mine, keras = numpy_truth(case), checks.Truth(**keras_truth.keras_truth(case))
            pairs = [*zip(mine.grads, keras.grads), (mine.hidden, keras.hidden), (mine.norms, keras.norms)]
            pairs += [pair for k in case.ks for pair in zip(mine.truncated[k], keras.truncated[k])]
            for got, want in pairs:
                assert got.shape == want.shape, case.label()
                worst = max(worst, tolerance_ratio(got, want))
            model = keras_truth.build_model(s.T, s.D, s.M, s.K, case.weights)
            output, _, _ = keras_truth.stepped(model, case.X, case.y)
            assert np.array_equal(output, model.predict_on_batch(case.X)), case.label()
        for case in make_clip_cases(seed, count=1):
            mine, keras = numpy_clip_truth(case), keras_truth.clip_truth(case)
            for got, want in zip(mine.clipped, keras["clipped"]):
                worst = max(worst, tolerance_ratio(got, want))
            assert abs(mine.global_norm - keras["global_norm"]) <= 1e-5 * keras["global_norm"]
    with capsys.disabled():
        print(f"\nlargest Keras-vs-NumPy error {worst:.3g} tolerance units")
    assert worst <= CORRECT


@pytest.mark.slow
def test_a_truncation_past_t_is_the_whole_sequences_gradients_bit_for_bit():
    """keras_truth takes the gradients of a k past T from the whole sequence's run (the same ops,
    no stop_gradient placed) instead of tracing it again: they are what that k's own run gives."""
    from assignments.rnn_bptt.grader import keras_truth

    for case in make_cases(DEFAULT_SEED + 3, 2, with_edges=False):
        s = case.shape
        truth = keras_truth.keras_truth(case)
        model = keras_truth.build_model(s.T, s.D, s.M, s.K, case.weights)
        past = [k for k in case.ks if k > s.T]
        assert past
        for k in past:
            own = keras_truth.stepped(model, case.X, case.y, k)[2]
            assert all(a.tobytes() == b.tobytes() for a, b in zip(truth["truncated"][k], own)), case.label()


@pytest.mark.slow
def test_the_keras_truth_writes_no_temporary_file(tmp_path):
    """A truth worker's temporary folder is the grading machine's own (``/tmp``, where a template
    forked it), and the worker ends with ``os._exit``, so what it leaves there stays: TensorFlow's
    autograph wrote two files per grading (which it removes only at a normal exit). It converts a
    function once a process, hence a fresh one, which looks before it exits."""
    code = (
        "import os\n"
        "from assignments.rnn_bptt.grader import keras_truth\n"
        "from assignments.rnn_bptt.grader.cases import make_cases\n"
        "keras_truth.keras_truth(make_cases(7, 1, with_edges=False)[0])\n"
        "print(sorted(os.listdir(os.environ['TMPDIR'])))\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=HERE.parents[1], env=env, check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("question,mistake,entry", [
    ("bptt_gradients", "tanh_twice", "tanh_derivative_of_h@bptt_gradients"),
    ("hidden_gradients", "tanh_twice", "tanh_derivative_of_h@hidden_gradients"),
    ("bptt_gradients", "dbo_scalar", "dbo_summed_all@bptt_gradients"),
    ("hidden_gradients", "Wo_untransposed", "Wo_not_transposed@hidden_gradients"),
    ("bptt_gradients", "Wo_untransposed", "Wo_not_transposed@bptt_gradients"),
])
def test_a_students_own_mistake_is_named_by_its_entry(checks_by_seed, question, mistake, entry):
    """Round 12's misses, as the public checks' test writes them (apart from the catalogue's code): the tanh's
    derivative taken as 1 - tanh(h_t)**2, dbo summed into one number, dy @ Wo (which raises unless K = M)."""
    import tests.test_public_names as written

    cs = checks_by_seed[DEFAULT_SEED][question]
    named = diagnose(SPEC, question, cs, [answer_of(partial(getattr(written, question), mistake=mistake), c) for c in cs])
    assert named is not None and named.id == entry, named and named.id
    assert diagnose(SPEC, question, cs, [answer_of(getattr(written, question), c) for c in cs]) is None


def _written_norms_spectral(X, y, Wx, Wh, bh, Wo, bo):
    """gradient_norms with np.linalg.norm(dh, 2): the (N, M) matrix's largest singular value."""
    dhs = solution.hidden_gradients(X, y, Wx, Wh, bh, Wo, bo)
    return np.array([np.linalg.norm(dhs[:, t], 2) for t in range(X.shape[1])])


def _written_truncated(X, y, Wx, Wh, bh, Wo, bo, k, mistake):
    """truncated_bptt_gradients with its loop's range written wrong, as a student would."""
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    steps = {"k_minus_one": range(T, max(T - k + 1, 0), -1), "first_k": range(min(k, T), 0, -1),
             "clamped_at_1": range(T, max(T - k, 1), -1)}[mistake]
    for t in steps:
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, np.sum(dy, axis=0)


@pytest.mark.parametrize("question,mistake,entry", [
    ("bptt_gradients", "sign_flipped", "error_sign_flipped@bptt_gradients"),
    ("hidden_gradients", "sign_flipped", "error_sign_flipped@hidden_gradients"),
    ("bptt_gradients", "dbo_axis_1", "dbo_summed_over_outputs@bptt_gradients"),
    ("bptt_gradients", "dbh_assigned", "dbh_assigned_not_added@bptt_gradients"),
    ("clip_by_global_norm", "min_for_max", "clip_min_for_max"),
    ("gradient_norms", "spectral", "norms_spectral@gradient_norms"),
    ("truncated_bptt_gradients", "k_minus_one", "window_one_less_uncapped@truncated_bptt_gradients"),
    ("truncated_bptt_gradients", "first_k", "window_first_k_steps@truncated_bptt_gradients"),
    ("truncated_bptt_gradients", "clamped_at_1", "window_stop_clamped_at_1@truncated_bptt_gradients"),
])
def test_round_13s_own_mistakes_are_named_by_their_entries(checks_by_seed, question, mistake, entry):
    """Round 13's misses, written as a student writes them (apart from the catalogue's code): the error's sign
    flipped, dbo summed over axis 1, dbh assigned at each step, min for max in the clipping scale, the spectral
    norm, and three truncation windows (k - 1 steps with k > T reaching step 1, the first k steps, a stop clamped
    at 1). The reference solution is named nothing on the same checks."""
    import tests.test_public_names as written

    if question == "gradient_norms":
        function, correct = _written_norms_spectral, solution.gradient_norms
    elif question == "truncated_bptt_gradients":
        function, correct = partial(_written_truncated, mistake=mistake), solution.truncated_bptt_gradients
    else:
        function, correct = partial(getattr(written, question), mistake=mistake), getattr(written, question)
    cs = checks_by_seed[DEFAULT_SEED][question]
    named = diagnose(SPEC, question, cs, [answer_of(function, c) for c in cs])
    assert named is not None and named.id == entry, named and named.id
    assert diagnose(SPEC, question, cs, [answer_of(correct, c) for c in cs]) is None
