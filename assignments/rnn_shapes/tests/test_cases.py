"""The hidden cases reveal every catalogued mistake, and the diagnosis names each one.

Pure NumPy and fast: the expected answers come from the reference solution in float64 (it agrees
with Keras to about 1e-6, see bench/tolerance.py), so no model is built and no otter runs. Only
extract_weights needs real Keras models; its test is marked slow.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from assignments.rnn_shapes.grader import SPEC
from assignments.rnn_shapes.grader import checks as questions
from assignments.rnn_shapes.grader.cases import DEFAULT_SEED, make_cases
from assignments.rnn_shapes.grader.mistakes import CATALOGUE
from gradecore.judge import diagnosis
from gradecore.public.compare import Answer
from gradecore.public.encode import encode_value
from gradecore.public.spec import Check, Mistake
from gradecore.public.structure import describe

from .helpers import SOLUTION

_spec = importlib.util.spec_from_file_location("reference_solution", SOLUTION)
reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)

SEEDS = [DEFAULT_SEED] + [1000 + 97 * i for i in range(20)]
"""The grading seed, and 20 others: the cases must reveal every mistake whatever the seed."""

REVEALED = 100.0
"""Smallest error, in units of the tolerance, that counts as plainly revealed."""

REVEALED_LOOSE = 3.0
"""float16 keeps about 3 significant digits (unit roundoff 4.9e-4) against a tolerance of 1e-4:
it misses by 4x to 10x on the hidden cases, not by orders of magnitude like the other mistakes."""

NUMPY_QUESTIONS = [q for q in SPEC.names if q != "extract_weights"]


def numpy_truth(case) -> questions.Truth:
    s = case.shape
    weights = [w.astype(np.float64) for w in case.weights]
    X = case.X.astype(np.float64)
    return questions.Truth(
        last=reference.batched_forward(X, *weights),
        every=reference.sequence_forward(X, *weights),
        shapes=reference.weight_shapes(s.D, s.M, s.K),
        counts={T: reference.count_params(T, s.D, s.M, s.K) for T in (s.T, s.T + questions.COUNT_EXTRA_T)},
    )


@pytest.fixture(scope="module")
def checks_by_seed() -> dict[int, dict[str, list[Check]]]:
    return {seed: questions.build_checks(seed, truth=numpy_truth) for seed in SEEDS}


def numpy_entries():
    return [m for m in CATALOGUE if m.question != "extract_weights"]


def test_catalogue_has_many_entries_for_every_function():
    assert len(CATALOGUE) >= 25
    assert len({m.id for m in CATALOGUE}) == len(CATALOGUE)
    for q in SPEC.names:
        assert len(CATALOGUE.for_question(q)) >= 3, q
    for m in CATALOGUE:
        assert m.title and m.hint and not m.title.endswith(".") and not m.hint.endswith("."), m.id


def test_cases_have_distinct_sizes_and_nonzero_biases():
    for seed in SEEDS:
        for case in make_cases(seed, questions.RANDOM_CASES, with_edges=False):
            s = case.shape
            assert len({s.N, s.T, s.D, s.M, s.K}) == 5 and min(s.N, s.T) >= 2 and s.M >= 3
            assert np.all(np.abs(case.weights[2]) >= 0.1) and np.all(np.abs(case.weights[4]) >= 0.1)
            assert not np.allclose(case.weights[1], case.weights[1].T)


def test_the_reference_passes_every_check(checks_by_seed):
    for checks in checks_by_seed.values():
        for q in NUMPY_QUESTIONS:
            function = getattr(reference, q)
            for check in checks[q]:
                answer = Answer.decode(_encode(function(*check.local_args)))
                assert SPEC.question(q).problem_with(answer, check.expected) is None, (q, check.label)


def _encode(value):

    return encode_value(value)


def test_every_mistake_misses_by_far_more_than_the_tolerance(checks_by_seed, capsys):
    """Per entry, over all seeds: the smallest, over seeds, of its largest error on a seed's checks."""
    smallest = {}
    for checks in checks_by_seed.values():
        errors = diagnosis.mistake_errors(SPEC, {q: checks[q] for q in NUMPY_QUESTIONS} | {"extract_weights": []})
        for m in numpy_entries():
            smallest[m.id] = min(smallest.get(m.id, np.inf), max(errors[m.id]))
    with capsys.disabled():
        print("\nlargest error of each mistake on the hidden checks (worst seed), in tolerance units:")
        for m in numpy_entries():
            print(f"  {m.question:17s} {m.id:28s} {smallest[m.id]:10.3g}")
    for m in numpy_entries():
        assert smallest[m.id] >= (REVEALED_LOOSE if m.loose else REVEALED), (m.id, smallest[m.id])


def _answers_of(entry: Mistake, checks: list[Check]) -> list[Answer]:
    return [diagnosis.run_entry(entry, c) for c in checks]


def _first_signature(entry: Mistake, checks) -> Mistake:
    """The entry the diagnosis should name for ``entry``'s answers: itself, or an earlier twin."""
    if entry.signature:
        return entry
    mine = _answers_of(entry, checks)
    for other in CATALOGUE.for_question(entry.question):
        if other.signature and all(diagnosis._outcomes_agree(a, b, False) for a, b in zip(_answers_of(other, checks), mine)):
            return other
    raise AssertionError(f"{entry.id} is marked signature=False but no entry with a signature matches it")


def test_diagnosis_names_every_mistake_from_its_own_answers(checks_by_seed):
    checks = checks_by_seed[DEFAULT_SEED]
    for entry in numpy_entries():
        found = diagnosis.diagnose(SPEC, entry.question, checks[entry.question], _answers_of(entry, checks[entry.question]))
        assert found is _first_signature(entry, checks[entry.question]), (entry.id, found and found.id)


def test_signature_entries_differ_from_each_other(checks_by_seed):
    checks = checks_by_seed[DEFAULT_SEED]
    for q in NUMPY_QUESTIONS:
        entries = [m for m in CATALOGUE.for_question(q) if m.signature]
        outcomes = {m.id: _answers_of(m, checks[q]) for m in entries}
        for i, a in enumerate(entries):
            for b in entries[i + 1:]:
                assert not all(
                    diagnosis._outcomes_agree(x, y, a.loose or b.loose) for x, y in zip(outcomes[a.id], outcomes[b.id])
                ), (a.id, b.id)


def test_correct_answers_are_never_diagnosed(checks_by_seed):
    checks = checks_by_seed[DEFAULT_SEED]
    for q in NUMPY_QUESTIONS:
        answers = [Answer.decode(_encode(getattr(reference, q)(*c.local_args))) for c in checks[q]]
        assert diagnosis.diagnose(SPEC, q, checks[q], answers) is None, q


def test_float16_in_another_order_is_still_diagnosed(checks_by_seed):
    def float16_weights_only(X, Wx, Wh, bh, Wo, bo):
        Wx, Wh, bh, Wo, bo = (w.astype("float16") for w in (Wx, Wh, bh, Wo, bo))
        h = np.zeros(Wh.shape[0], dtype="float16")
        for t in range(len(X)):
            h = np.tanh(X[t].astype("float16").dot(Wx) + h.dot(Wh) + bh)
        return h.dot(Wo) + bo

    checks = checks_by_seed[DEFAULT_SEED]["manual_forward"]
    answers = [Answer.decode(_encode(float16_weights_only(*c.local_args))) for c in checks]
    assert diagnosis.diagnose(SPEC, "manual_forward", checks, answers) is CATALOGUE.by_id("float16@manual_forward")


def test_a_second_mistake_leaves_a_diagnosis_by_shape(checks_by_seed):
    """Every step returned and the output bias forgotten: the shape (N, T, K) still names the first."""

    def every_step_without_bias(X, Wx, Wh, bh, Wo, bo):
        return CATALOGUE.by_id("every_step@batched_forward").function(X, Wx, Wh, bh, Wo, np.zeros_like(bo))

    checks = checks_by_seed[DEFAULT_SEED]["batched_forward"]
    answers = [Answer.decode(_encode(every_step_without_bias(*c.local_args))) for c in checks]
    found = diagnosis.find_diagnosis(SPEC, "batched_forward", checks, answers)
    assert found.mistake is CATALOGUE.by_id("every_step@batched_forward") and found.by_shape
    assert "Likely mistake: the output of every step is returned" in found.message()


def kernel_outcome(function, check) -> dict:
    """What the kernel reports for one call: the encoded value, or the exception."""

    try:
        return {"status": "returned", "value": encode_value(function(*check.local_args))}
    except Exception as e:
        return {"status": "raised", "detail": f"{type(e).__name__}: {e}"}


def test_judge_reports_shapes_first_and_never_the_hidden_values(checks_by_seed):
    checks = checks_by_seed[DEFAULT_SEED]["sequence_forward"]
    # one step short: a wrong shape everywhere, and np.stack raises on the edge case with T = 1
    outcomes = [kernel_outcome(CATALOGUE.by_id("one_step_short@sequence_forward").function, c) for c in checks]
    assert {o["status"] for o in outcomes} == {"returned", "raised"}
    verdict = diagnosis.decide(SPEC, "sequence_forward", checks, outcomes, DEFAULT_SEED)
    assert not verdict.passed
    assert "should have shape" in verdict.message.splitlines()[1]
    assert "Likely mistake: the last time step is missing (range(T - 1))." in verdict.message
    for check in checks:
        for value in np.ravel(check.expected)[:5]:
            assert f"{value:.4f}" not in verdict.message
        for value in np.ravel(check.local_args[0])[:5]:
            assert f"{value:.4f}" not in verdict.message


def test_values_come_after_shapes_in_the_first_failure(checks_by_seed):
    """Forgot the bias on most cases and returned (1, K) on one: the shape is reported first."""
    checks = checks_by_seed[DEFAULT_SEED]["manual_forward"]
    outcomes = [kernel_outcome(CATALOGUE.by_id("no_hidden_bias@manual_forward").function, c) for c in checks[:-1]]
    outcomes.append(kernel_outcome(CATALOGUE.by_id("row_vector@manual_forward").function, checks[-1]))
    message = diagnosis.decide(SPEC, "manual_forward", checks, outcomes, DEFAULT_SEED).message
    assert f"First failure ({checks[-1].label}): the output should have shape" in message
    assert "Likely mistake" not in message


def test_a_student_raising_everywhere_is_diagnosed_only_by_the_same_exception(checks_by_seed):
    checks = checks_by_seed[DEFAULT_SEED]["batched_forward"]
    answers = [diagnosis.raised("ValueError: something else went wrong") for _ in checks]
    assert diagnosis.diagnose(SPEC, "batched_forward", checks, answers) is None


@pytest.mark.slow
def test_extract_weights_mistakes_are_revealed_and_named():
    """With real Keras models: every extract_weights entry fails a check and is named."""
    from assignments.rnn_shapes.grader import keras_truth as keras_reference

    def models_only(case):
        s = case.shape
        truth = numpy_truth(case)
        truth.model = keras_reference.build_model(s.T, s.D, s.M, s.K, case.weights)
        return truth

    checks = questions.build_checks(DEFAULT_SEED, truth=models_only)["extract_weights"]
    errors = diagnosis.mistake_errors(SPEC, {q: [] for q in SPEC.names} | {"extract_weights": checks})
    for entry in CATALOGUE.for_question("extract_weights"):
        assert max(errors[entry.id]) == np.inf, entry.id
        assert diagnosis.diagnose(SPEC, "extract_weights", checks, _answers_of(entry, checks)) is entry
    correct = [Answer.decode(_encode(reference.extract_weights(*c.local_args))) for c in checks]
    assert all(SPEC.question("extract_weights").problem_with(a, c.expected) is None for a, c in zip(correct, checks))
    assert diagnosis.diagnose(SPEC, "extract_weights", checks, correct) is None
    # round 13's misses, as a student writes them (tests/test_public_names.py, apart from the catalogue's code)
    from tests.test_public_names import extract_weights as written

    for mistake, entry in [("Wx_T", "weights_Wx_transposed"), ("Wh_T", "weights_Wh_transposed")]:
        answers = [Answer.decode(_encode(written(*c.local_args, mistake=mistake))) for c in checks]
        named = diagnosis.diagnose(SPEC, "extract_weights", checks, answers)
        assert named is not None and named.id == entry, (mistake, named and named.id)


def test_each_mistake_s_feedback_names_it_and_no_other(checks_by_seed):
    """The judge's message for each entry's answers: its own title, no other entry's, no structural guess."""
    checks = checks_by_seed[DEFAULT_SEED]
    for entry in numpy_entries():
        named = _first_signature(entry, checks[entry.question])
        outcomes = [kernel_outcome(entry.function, c) for c in checks[entry.question]]
        message = diagnosis.decide(SPEC, entry.question, checks[entry.question], outcomes, DEFAULT_SEED).message
        assert f"Likely mistake: {named.title}." in message, (entry.id, message)
        others = {m.title for m in CATALOGUE.for_question(entry.question)} - {named.title}
        assert not any(f"Likely mistake: {t}." in message for t in others), (entry.id, message)
        assert "What the hidden checks show" not in message, (entry.id, message)


def test_a_concept_is_applied_to_every_forward_function_it_fits():
    by_concept = {}
    for m in CATALOGUE:
        if m.concept:
            by_concept.setdefault(m.concept, set()).add(m.question)
            assert m.id == f"{m.concept}@{m.question}" and m.source.count(f"def {m.question}(") == 1
    assert by_concept["no_output_bias"] == by_concept["reversed_time"] == by_concept["skips_first_step"] == set(questions.FORWARD)
    assert by_concept["every_step"] == {"manual_forward", "batched_forward"}
    assert by_concept["sigmoid"] == by_concept["hidden_bias_outside"] == set(questions.FORWARD)
    assert by_concept["mean_over_time"] == {"manual_forward", "batched_forward"}
    assert by_concept["last_sample_every_step"] == {"batched_forward"}


def test_a_random_initial_state_is_named_as_randomness_in_every_forward_function(checks_by_seed):
    """Each forward function's first check is asked again: an answer that changes is called random, never a concept."""
    rng = np.random.default_rng(0)

    def noisy(function):
        return lambda X, *weights: function(X, *weights) + 0.1 * rng.standard_normal()

    for q in questions.FORWARD:
        checks = checks_by_seed[DEFAULT_SEED][q]
        assert checks[-1].repeats == 0
        outcomes = [kernel_outcome(noisy(getattr(reference, q)), c) for c in checks]
        message = diagnosis.decide(SPEC, q, checks, outcomes, DEFAULT_SEED).message
        assert "What the hidden checks show: it gives a different answer when it is called again" in message, message
        assert "Likely mistake" not in message
    titles = {m.concept: {o.title for o in CATALOGUE if o.concept == m.concept} for m in CATALOGUE if m.concept}
    assert all(len(t) == 1 for t in titles.values())


def _random_h0(seeded: bool, every_step: bool):
    """A forward pass from a small random initial state, drawn with a fixed seed (or not)."""

    def forward(X, Wx, Wh, bh, Wo, bo):
        rng = np.random.default_rng(0) if seeded else np.random.default_rng()
        h, outputs = rng.normal(0, 0.1, (X.shape[0], Wh.shape[0])), []
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
            outputs.append(h @ Wo + bo)
        return np.stack(outputs, axis=1) if every_step else outputs[-1]

    return forward


def _reshaped_sequence(X, Wx, Wh, bh, Wo, bo):
    """sequence_forward's outputs stacked time-major, (T, N, K), then reshaped where a transpose belongs."""
    h, outputs = np.zeros((X.shape[0], Wh.shape[0])), []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.array(outputs).reshape(X.shape[0], X.shape[1], -1)


def test_a_reshape_where_a_transpose_belongs_is_not_called_a_random_initial_state(checks_by_seed):
    """Its samples differ on the case whose samples all read one input (its steps are mixed across them),
    but it holds the right values: it is no random state (round 11's blind mistake, named so before)."""
    for seed in (DEFAULT_SEED, SEEDS[1]):
        checks = checks_by_seed[seed]["sequence_forward"]
        outcomes = [kernel_outcome(_reshaped_sequence, c) for c in checks]
        verdict = diagnosis.decide(SPEC, "sequence_forward", checks, outcomes, seed)
        assert not verdict.passed
        assert "samples given the very same input" not in verdict.message and "random" not in verdict.message, verdict.message
        assert "right values in the wrong places" in verdict.message and "a reshape where a transpose" in verdict.message


@pytest.mark.parametrize("question", ["batched_forward", "sequence_forward"])
def test_a_random_initial_state_drawn_with_a_fixed_seed_is_named_by_the_same_input_case(checks_by_seed, question):
    """The check asked again cannot show a seeded random h0 (it answers the same twice): the case whose
    samples all read one input vector can, and only it is said; no catalogued mistake and no correct
    answer gets that finding."""
    every_step = question == "sequence_forward"
    for seed in (DEFAULT_SEED, SEEDS[1]):
        checks = checks_by_seed[seed][question]
        outcomes = [kernel_outcome(_random_h0(True, every_step), c) for c in checks]
        verdict = diagnosis.decide(SPEC, question, checks, outcomes, seed)
        assert not verdict.passed
        assert "samples given the very same input" in verdict.message and "random" in verdict.message
        answers = [Answer.decode(o["value"]) for o in outcomes]
        assert diagnosis.find_diagnosis(SPEC, question, checks, answers) is None
        unseeded = [Answer.decode(kernel_outcome(_random_h0(False, every_step), c)["value"]) for c in checks]
        # drawn anew at each call: the check asked again may show it too (where its T lets h0 show)
        assert describe(SPEC.question(question), checks, unseeded).id in ("nondeterministic", "random_initial_state")
        for mistake in CATALOGUE.for_question(question):
            answers = [Answer.decode(kernel_outcome(mistake.function, c).get("value")) for c in checks]
            shown = describe(SPEC.question(question), checks, answers)
            # a state carried over from the previous sample also sets them apart, and the finding says so
            assert shown is None or shown.id != "random_initial_state" or "reset" in mistake.id, mistake.id
        right = [Answer.decode(kernel_outcome(getattr(reference, question), c)["value"]) for c in checks]
        assert describe(SPEC.question(question), checks, right) is None
