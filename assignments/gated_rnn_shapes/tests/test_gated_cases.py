"""The hidden cases reveal every catalogued mistake, and accept every correct style.

Pure NumPy and fast: the expected answers come from the reference solution in float64, so no
model is built and no otter runs. The one test that builds real Keras models, to prove that the
reference agrees with Keras, is marked slow.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from assignments.gated_rnn_shapes.grader import SPEC, checks
from assignments.gated_rnn_shapes.grader.cases import DEFAULT_SEED, RANDOM_CASES, make_cases
from gradecore.judge.diagnosis import decide, diagnose, error_of, run_entry
from gradecore.public.compare import Answer
from gradecore.public.encode import encode_value
from solutions.gated_rnn_shapes import solution
from solutions.gated_rnn_shapes.styles import STYLES, as_function
from tests.support import entries_run_once, name_of

HERE = Path(__file__).resolve().parents[1]
SEEDS = [DEFAULT_SEED] + [1000 + 97 * i for i in range(20)]
"""The grading seed, and 20 others: the cases must reveal every mistake whatever the seed."""

REVEALED = 100.0
"""Smallest error, in units of the tolerance, that counts as plainly revealed."""

REVEALED_LOOSE = 3.0
"""float16 keeps about 3 significant digits (unit roundoff 4.9e-4) against a tolerance of 1e-4:
it misses by a few times the tolerance, not by orders of magnitude like the other mistakes."""

CORRECT = 0.05
"""Largest error, in units of the tolerance, allowed of correct code against the float64 truth:
what remains of the tolerance covers Keras' float32 arithmetic (see the slow test)."""


def numpy_truth(case) -> checks.Truth:
    """The expected answers from the reference solution in float64."""
    s = case.shape
    X = case.X.astype(np.float64)
    lstm = [w.astype(np.float64) for w in case.lstm]
    gru = {ra: [w.astype(np.float64) for w in ws] for ra, ws in case.gru.items()}
    return checks.Truth(
        lstm_output=solution.lstm_forward(X, *lstm),
        lstm_states=solution.lstm_states(X, *lstm[:3]),
        lstm_weights=case.lstm[:3],
        gru_output={ra: solution.gru_forward(X, *ws) for ra, ws in gru.items()},
        lstm_count=solution.lstm_count_params(s.D, s.M, s.K),
        gru_count={ra: solution.gru_count_params(s.D, s.M, s.K, ra) for ra in (True, False)},
    )


pytestmark = pytest.mark.usefixtures(entries_run_once.__name__)


@pytest.fixture(scope="module")
def checks_by_seed():
    return {seed: checks.build_checks(seed, truth=numpy_truth) for seed in SEEDS}


def answer_of(function, check) -> Answer:
    """What the judge sees of one call: the encoded value, or the exception."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in check.local_args]
    try:
        return Answer.decode(encode_value(function(*args)))
    except Exception as e:
        return Answer("raised", type(e).__name__, f"{type(e).__name__}: {e}")


def outcome_of(function, check) -> dict:
    """What the kernel reports for one call."""
    try:
        return {"status": "returned", "value": encode_value(function(*check.local_args))}
    except Exception as e:
        return {"status": "raised", "detail": f"{type(e).__name__}: {e}"}


# --- the spec and its cases -----------------------------------------------------------------------


def test_spec_lists_the_six_questions_with_their_points():
    assert SPEC.points == {
        "lstm_count_params": 1,
        "gru_count_params": 1,
        "lstm_gate_weights": 1,
        "lstm_forward": 2,
        "lstm_states": 2,
        "gru_forward": 2,
    }
    numpy_only = {q.name for q in SPEC.questions if q.numpy_only}
    assert numpy_only == {"lstm_forward", "lstm_states", "gru_forward"}
    assert all(q.title and q.title.startswith(q.name) for q in SPEC.questions)


def test_importing_the_grader_does_not_import_tensorflow():
    code = "import sys; import assignments.gated_rnn_shapes.grader; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_catalogue_has_many_entries_for_every_function():
    assert len(SPEC.catalogue) >= 28
    assert len({m.id for m in SPEC.catalogue}) == len(SPEC.catalogue)
    for q in SPEC.names:
        assert len(SPEC.catalogue.for_question(q)) >= 4, q
    for m in SPEC.catalogue:
        assert m.question in SPEC.names, m.id
        assert m.title and m.hint and not m.title.endswith(".") and not m.hint.endswith("."), m.id


def test_cases_have_distinct_sizes_and_random_nonzero_weights():
    for seed in SEEDS:
        for case in make_cases(seed, with_edges=False):
            s = case.shape
            assert len({s.N, s.T, s.D, s.M, s.K}) == 5 and min(s.N, s.T) >= 2 and s.M >= 3
            for weights in [case.lstm, case.gru[True], case.gru[False]]:
                assert all(np.all(np.abs(w) > 0) for w in weights)
                assert np.all(np.abs(weights[2]) >= 0.1) and np.all(np.abs(weights[4]) >= 0.1)
                assert all(w.dtype == np.float32 for w in weights)
                U = weights[1]
                assert not np.allclose(U[:, : s.M], U[:, : s.M].T)
            assert case.gru[True][2].shape == (2, 3 * s.M) and case.gru[False][2].shape == (3 * s.M,)


def test_checks_cover_edges_and_labels_name_only_seeds_and_sizes(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]
    label = re.compile(r"(case [0-9a-f]{8}, N=\d+, T=\d+, )?D=\d+, M=\d+, K=\d+(, reset_after(=True|=False| left at its default))?(, asked again)?")
    for q, cs in found.items():
        assert len(cs) >= RANDOM_CASES + 3, q
        for c in cs:
            assert label.fullmatch(c.label), c.label
    sizes = [c.args[0].shape for c in found["lstm_forward"]]
    assert any(shape[1] == 1 for shape in sizes) and any(c.args[2].shape[0] == 1 for c in found["lstm_forward"])
    gru_layouts = {c.args[3].ndim for c in found["gru_forward"]}
    assert gru_layouts == {1, 2}
    assert {len(c.args) for c in found["gru_count_params"]} == {3, 4}
    assert {c.args[3] for c in found["gru_count_params"] if len(c.args) == 4} == {True, False}


# --- correct answers --------------------------------------------------------------------------------


def test_the_reference_passes_every_check_well_within_the_tolerance(checks_by_seed, capsys):
    worst = {}
    for found in checks_by_seed.values():
        for q in SPEC.names:
            function, question = getattr(solution, q), SPEC.question(q)
            for check in found[q]:
                answer = answer_of(function, check)
                assert question.problem_with(answer, check.expected) is None, (q, check.label)
                worst[q] = max(worst.get(q, 0.0), error_of(SPEC, check, answer))
    with capsys.disabled():
        print("\nlargest error of the reference (float32 inputs) in tolerance units:", worst)
    assert max(worst.values()) <= CORRECT


def test_every_style_passes_every_check(checks_by_seed, capsys):
    assert sum(len(v) for v in STYLES.values()) >= 10
    assert set(STYLES) == set(SPEC.names)
    worst = 0.0
    for found in checks_by_seed.values():
        for q, styles in STYLES.items():
            for style in styles:
                function = as_function(style, q)
                for check in found[q]:
                    answer = answer_of(function, check)
                    problem = SPEC.question(q).problem_with(answer, check.expected)
                    assert problem is None, (q, name_of(style), check.label, problem)
                    worst = max(worst, error_of(SPEC, check, answer))
    with capsys.disabled():
        print(f"\nlargest error of any correct style in tolerance units: {worst:.3g}")
    assert worst <= CORRECT


def test_correct_answers_are_never_diagnosed(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]
    for q, styles in STYLES.items():
        for function in [getattr(solution, q)] + [as_function(s, q) for s in styles]:
            answers = [answer_of(function, c) for c in found[q]]
            assert diagnose(SPEC, q, found[q], answers) is None, (q, function.__name__)


# --- mistakes -------------------------------------------------------------------------------------


def test_every_mistake_misses_by_far_more_than_the_tolerance(checks_by_seed, capsys):
    """Per entry, over all seeds: the smallest, over seeds, of its largest error on a seed's checks.

    An error above 1 fails the check, so every entry also loses its question's points on every seed.
    """
    smallest = {}
    for found in checks_by_seed.values():
        for m in SPEC.catalogue:
            errors = [error_of(SPEC, c, run_entry(m, c)) for c in found[m.question]]
            smallest[m.id] = min(smallest.get(m.id, np.inf), max(errors))
    with capsys.disabled():
        print("\nlargest error of each mistake on the hidden checks (worst seed), in tolerance units:")
        for m in SPEC.catalogue:
            print(f"  {m.question:18s} {m.id:34s} {smallest[m.id]:10.3g}")
    for m in SPEC.catalogue:
        assert smallest[m.id] >= (REVEALED_LOOSE if m.loose else REVEALED), (m.id, smallest[m.id])


def _first_signature(entry, cs):
    """The entry the diagnosis should name for ``entry``'s answers: itself, or an earlier twin."""
    if entry.signature:
        return entry
    mine = [run_entry(entry, c) for c in cs]
    for other in SPEC.catalogue.for_question(entry.question):
        if other.signature and diagnose(SPEC, entry.question, cs, mine) is other:
            return other
    raise AssertionError(f"{entry.id} is marked signature=False but no entry with a signature matches it")


def test_diagnosis_names_every_mistake_from_its_own_answers(checks_by_seed):
    for seed in SEEDS[:2]:
        found = checks_by_seed[seed]
        for m in SPEC.catalogue:
            cs = found[m.question]
            named = diagnose(SPEC, m.question, cs, [run_entry(m, c) for c in cs])
            assert named is _first_signature(m, cs), (seed, m.id, named and named.id)


def test_a_students_own_recurrent_bias_counted_for_one_block_is_named(checks_by_seed):
    """3·M + M for reset_after=True, as the public checks' test writes it (apart from the catalogue's code)."""
    from functools import partial

    from tests.test_public_names import gru_count_params

    cs = checks_by_seed[DEFAULT_SEED]["gru_count_params"]
    written = partial(gru_count_params, mistake="candidate_recurrent_bias_only")
    named = diagnose(SPEC, "gru_count_params", cs, [answer_of(written, c) for c in cs])
    assert named is not None and named.id == "gru_count_recurrent_bias_one_block"
    assert diagnose(SPEC, "gru_count_params", cs, [answer_of(gru_count_params, c) for c in cs]) is None


def test_signature_entries_differ_from_each_other(checks_by_seed):
    from gradecore.judge.diagnosis import _outcomes_agree

    found = checks_by_seed[DEFAULT_SEED]
    for q in SPEC.names:
        entries = [m for m in SPEC.catalogue.for_question(q) if m.signature]
        outcomes = {m.id: [run_entry(m, c) for c in found[q]] for m in entries}
        for i, a in enumerate(entries):
            for b in entries[i + 1:]:
                assert not all(
                    _outcomes_agree(x, y, a.loose or b.loose) for x, y in zip(outcomes[a.id], outcomes[b.id])
                ), (a.id, b.id)


# --- judge messages -------------------------------------------------------------------------------


def _assert_no_hidden_values(message, cs):
    for check in cs:
        values = check.expected
        if isinstance(values, dict):
            values = [a for parts in values.values() for a in parts]
        elif isinstance(values, tuple):
            values = list(values)
        else:
            values = [values]
        for array in values:
            for value in np.ravel(array)[:5]:
                assert f"{value:.4f}" not in message


def test_states_judge_reports_shapes_with_letters_first(checks_by_seed):
    cs = checks_by_seed[DEFAULT_SEED]["lstm_states"]
    entry = SPEC.catalogue.by_id("every_step@lstm_states")
    verdict = decide(SPEC, "lstm_states", cs, [outcome_of(entry.function, c) for c in cs], DEFAULT_SEED)
    assert not verdict.passed
    assert re.search(r"h_T should have shape \(N, M\)=\(\d+, \d+\), got shape \(\d+, \d+, \d+\)", verdict.message)
    assert f"Likely mistake: {entry.title}." in verdict.message
    _assert_no_hidden_values(verdict.message, cs)


def test_gate_weights_judge_names_the_keys_and_the_gate(checks_by_seed):
    cs = checks_by_seed[DEFAULT_SEED]["lstm_gate_weights"]
    as_list = SPEC.catalogue.by_id("gates_as_list")
    message = decide(SPEC, "lstm_gate_weights", cs, [outcome_of(as_list.function, c) for c in cs], DEFAULT_SEED).message
    assert "lstm_gate_weights should return a dict with keys 'i', 'f', 'c', 'o', got a list of 4 items" in message
    order = SPEC.catalogue.by_id("order_ifoc@lstm_gate_weights")
    message = decide(SPEC, "lstm_gate_weights", cs, [outcome_of(order.function, c) for c in cs], DEFAULT_SEED).message
    assert "W of gate 'c' has the right shape" in message and "i, f, o, c" in message
    _assert_no_hidden_values(message, cs)


def test_gru_judge_reports_the_raising_layout(checks_by_seed):
    cs = checks_by_seed[DEFAULT_SEED]["gru_forward"]
    entry = SPEC.catalogue.by_id("gru_only_two_row_bias")
    verdict = decide(SPEC, "gru_forward", cs, [outcome_of(entry.function, c) for c in cs], DEFAULT_SEED)
    assert f"{len(cs) // 2} of {len(cs)} checks failed" in verdict.message
    assert "reset_after=False): gru_forward raised ValueError" in verdict.message
    assert f"Likely mistake: {entry.title}." in verdict.message


def test_counts_must_be_ints(checks_by_seed):
    c = checks_by_seed[DEFAULT_SEED]["lstm_count_params"][0]
    count_problem = SPEC.question("lstm_count_params").problem_with
    assert count_problem(Answer.decode(encode_value(np.int64(c.expected))), c.expected) is None
    assert "should return an int, got a str" in count_problem(Answer.decode(encode_value("12")), c.expected)
    assert "returned 7, which is not" in count_problem(Answer.decode(encode_value(7)), c.expected)


# --- the notebook and the examples ----------------------------------------------------------------


def _cells():
    notebook = json.loads((HERE / "gated_rnn_shapes.ipynb").read_text())
    return [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]


def test_notebook_follows_the_core_conventions():
    cells = _cells()
    kind, config = cells[0]
    assert kind == "raw" and config.startswith("# ASSIGNMENT CONFIG")
    assert "name: gated_rnn_shapes" in config and 'python_version: "3.11"' in config
    assert "requirements: requirements.txt" in config and "overwrite_requirements: false" in config
    assert "autograder_files" not in config and "plugins" not in config
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


EXAMPLES = {
    "ada": {"loses": set(), "diagnosed": {}},
    "ben": {"loses": {"lstm_gate_weights", "lstm_forward", "lstm_states"}, "diagnosed": {
        "lstm_gate_weights": "order_ifoc@lstm_gate_weights", "lstm_forward": "order_ifoc@lstm_forward", "lstm_states": "order_ifoc@lstm_states"}},
    "chloe": {"loses": {"gru_forward"}, "diagnosed": {"gru_forward": "gru_z_swapped"}},
    "dmitri": {"loses": {"lstm_states", "gru_forward"}, "diagnosed": {}},
    "eve": {"loses": {"gru_count_params", "gru_forward"}, "diagnosed": {
        "gru_count_params": "gru_count_ignores_reset_after", "gru_forward": "gru_only_two_row_bias"}},
    "farid": {"loses": set(SPEC.names), "diagnosed": {}},
}
"""Each example submission: the questions it loses, and the mistakes the feedback names."""


def test_examples_lose_exactly_the_points_they_should(checks_by_seed):
    found = checks_by_seed[DEFAULT_SEED]
    folders = {p.name: p for p in (HERE / "examples").iterdir() if p.is_dir()}
    assert set(folders) == set(EXAMPLES)
    for name, expected in EXAMPLES.items():
        (path,) = [p for p in folders[name].iterdir() if p.stem == "gated_rnn_shapes"]
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
def test_the_numpy_truth_agrees_with_keras(capsys):
    """Real Keras models: predict, return_state and count_params equal the NumPy reference."""
    import time

    from assignments.gated_rnn_shapes.grader import keras_truth
    from gradecore.public.compare import tolerance_ratio

    worst = 0.0
    for seed in (DEFAULT_SEED, 1000, 1097):
        for case in make_cases(seed, count=3):
            mine, keras = numpy_truth(case), keras_truth.keras_truth(case)
            assert mine.lstm_count == keras.lstm_count and mine.gru_count == keras.gru_count, case.label()
            pairs = [(mine.lstm_output, keras.lstm_output), *zip(mine.lstm_states, keras.lstm_states)]
            pairs += [(mine.gru_output[ra], keras.gru_output[ra]) for ra in (True, False)]
            for got, want in pairs:
                assert got.shape == want.shape, case.label()
                np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4, err_msg=case.label())
                worst = max(worst, tolerance_ratio(got, want))
            for got, want in zip(mine.lstm_weights, keras.lstm_weights):
                np.testing.assert_array_equal(got, want)
    start = time.perf_counter()
    built = checks.build_checks(DEFAULT_SEED)
    with capsys.disabled():
        print(f"\nlargest Keras-vs-NumPy error {worst:.3g} tolerance units; build_checks with Keras took "
              f"{time.perf_counter() - start:.1f} s")
    assert worst <= CORRECT
    assert {q: len(c) for q, c in built.items()} == {
        q: len(c) for q, c in checks.build_checks(DEFAULT_SEED, truth=numpy_truth).items()
    }


def test_each_mistake_s_feedback_names_it_and_no_other(checks_by_seed):
    """The judge's message for each entry's answers: its own title, no other entry's, no structural guess."""
    found = checks_by_seed[DEFAULT_SEED]
    for m in SPEC.catalogue:
        cs = found[m.question]
        named = _first_signature(m, cs)
        message = decide(SPEC, m.question, cs, [outcome_of(m.function, c) for c in cs], DEFAULT_SEED).message
        assert f"Likely mistake: {named.title}." in message, (m.id, message)
        others = {o.title for o in SPEC.catalogue.for_question(m.question)} - {named.title}
        assert not any(f"Likely mistake: {t}." in message for t in others), (m.id, message)
        assert "What the hidden checks show" not in message, (m.id, message)


def test_a_concept_is_applied_to_every_function_it_fits():
    fits = {}
    for m in SPEC.catalogue:
        if m.concept:
            fits.setdefault(m.concept, set()).add(m.question)
            assert m.id == f"{m.concept}@{m.question}" and m.source.count(f"def {m.question}(") == 1
    assert fits["order_ifoc"] == {"lstm_gate_weights", "lstm_forward", "lstm_states"}
    assert fits["state_not_reset"] == fits["every_step"] == {"lstm_forward", "lstm_states", "gru_forward"}
    assert fits["no_dense_bias"] == {"lstm_forward", "gru_forward"}
    orders = {f"order_{''.join(p)}" for p in itertools.permutations("ifco")} - {"order_ifco"}
    assert {c for c in fits if c.startswith("order_")} == orders
    assert all(fits[c] == {"lstm_gate_weights", "lstm_forward", "lstm_states"} for c in orders)
    assert fits["no_recurrent"] == fits["no_input_bias"] == fits["h_starts_ones"] == fits["state_not_reset"]
    assert fits["c_starts_ones"] == {"lstm_forward", "lstm_states"}
    assert fits["mean_over_time"] == fits["last_sample_every_step"] == fits["no_dense_bias"]


def test_lstm_states_are_looked_at_one_by_one(checks_by_seed):
    """No entry matches: the structural diagnosis says which state is right and what the other shows."""
    cs = checks_by_seed[DEFAULT_SEED]["lstm_states"]

    def c_shifted(X, kernel, recurrent_kernel, bias):
        h, c = solution.lstm_states(X, kernel, recurrent_kernel, bias)
        return h, c + np.arange(c.shape[1])

    message = decide(SPEC, "lstm_states", cs, [outcome_of(c_shifted, c) for c in cs], DEFAULT_SEED).message
    assert "What the hidden checks show: c_T: off by the same vector for every sample" in message, message
    assert message.split("What the hidden checks show: ")[1].splitlines()[0].endswith("h_T is right.")


@pytest.mark.slow
def test_the_truth_of_models_predicted_together_is_each_models_own_predict():
    """keras_truth predicts a case's four outputs (the LSTM's output and states, both GRUs) with one
    model that holds the case's models side by side: each is its own model's predict, bit for bit."""
    from assignments.gated_rnn_shapes.grader import keras_truth

    for case in [*make_cases(DEFAULT_SEED + 5, 2), make_cases(DEFAULT_SEED, 0)[0]]:
        s = case.shape
        truth = keras_truth.keras_truth(case)
        lstm, states = keras_truth.build_lstm(s.T, s.D, s.M, s.K, case.lstm)
        alone = {"lstm_output": keras_truth.predict(lstm, case.X), "lstm_states": keras_truth.predict(states, case.X)}
        for reset_after in (True, False):
            model = keras_truth.build_gru(s.T, s.D, s.M, s.K, reset_after, case.gru[reset_after])
            alone[f"gru_{reset_after}"] = keras_truth.predict(model, case.X)
        pairs = [(truth.lstm_output, alone["lstm_output"]), *zip(truth.lstm_states, alone["lstm_states"]),
                 *((truth.gru_output[ra], alone[f"gru_{ra}"]) for ra in (True, False))]
        for got, want in pairs:
            assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), case.label()


@pytest.mark.parametrize("question,mistake,entry", [
    ("lstm_forward", "first_step_skipped", "first_step_skipped@lstm_forward"),
    ("lstm_states", "first_step_skipped", "first_step_skipped@lstm_states"),
    ("gru_forward", "first_step_skipped", "first_step_skipped@gru_forward"),
    ("lstm_states", "c_returned_squashed", "c_returned_squashed@lstm_states"),
    ("gru_forward", "input_bias_row_twice", "input_bias_row_twice@gru_forward"),
    ("lstm_forward", "one_minus_f", "forget_one_minus@lstm_forward"),
    ("lstm_states", "one_minus_f", "forget_one_minus@lstm_states"),
    ("gru_forward", "reset_on_input_too", "reset_whole_preactivation_after@gru_forward"),
    ("lstm_gate_weights", "M_over_3", "M_from_bias_over_3@lstm_gate_weights"),
    ("lstm_gate_weights", "U_transposed", "recurrent_kernels_transposed@lstm_gate_weights"),
    ("lstm_gate_weights", "bias_whole", "bias_not_sliced@lstm_gate_weights"),
])
def test_a_students_own_mistake_is_named_by_its_entry(checks_by_seed, question, mistake, entry):
    """Round 12's and round 13's misses, as the public checks' test writes them (apart from the catalogue's code):
    range(1, T), tanh(c_T) returned, bias[0] read for both rows of a (2, 3M) bias; (1 - f) * c, the reset gate on
    the input part too with reset_after=True, M from bias.shape[0] // 3, each U transposed, the whole bias for
    every gate."""
    import tests.test_public_names as written

    cs = checks_by_seed[DEFAULT_SEED][question]
    named = diagnose(SPEC, question, cs, [answer_of(partial(getattr(written, question), mistake=mistake), c) for c in cs])
    assert named is not None and named.id == entry, named and named.id
    assert diagnose(SPEC, question, cs, [answer_of(getattr(written, question), c) for c in cs]) is None
