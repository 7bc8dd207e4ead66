"""The public checks' helper (``gradecore.public.selfcheck``): what it says about right and wrong answers.

The assignments' public checks build Keras models and call it; here it gets NumPy truths directly,
so that each message can be asserted on its own (the notebooks' messages are in goldens).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from gradecore.public import selfcheck
from gradecore.public.selfcheck import SelfCheck

SIZES = [(4, 5, 3, 2, 2), (3, 1, 2, 4, 3), (2, 6, 4, 4, 1)]


def _forward(X, Wx, Wh, bh, Wo, bo, reset=True):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)


def _batched_check(numpy_only: bool = True) -> SelfCheck:
    check = SelfCheck("batched_forward", axes="NK", numpy_only=numpy_only, truth="model.predict")
    rng = np.random.default_rng(0)
    for N, T, D, M, K in SIZES:
        weights = [rng.uniform(-1, 1, s) for s in [(D, M), (M, M), (M,), (M, K), (K,)]]
        X = rng.standard_normal((N, T, D))
        check.add(f"N={N}, T={T}", [X, *weights], _forward(X, *weights)[:, -1], dict(N=N, T=T, D=D, M=M, K=K))
    return check


def _message(check: SelfCheck, function) -> str:
    with pytest.raises(AssertionError) as failed:
        check.run(function)
    return str(failed.value)


def test_a_right_answer_passes_in_any_dtype_and_arrays_are_not_changed():
    check = _batched_check()
    check.run(lambda *args: _forward(*args)[:, -1].astype(np.float32))
    check.run(lambda X, *w: _forward(X, *w)[:, -1] + 0 * X.sum())
    before = [a.copy() for a in check.cases[0][1]]

    def scribbles(X, *w):
        out = _forward(X, *w)[:, -1]
        X[:] = 0
        return out

    check.run(scribbles)
    assert all(np.array_equal(a, b) for a, b in zip(before, check.cases[0][1])), "each call gets its own copy"


def _clip(grads, clip_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    return [g * clip_norm / max(norm, clip_norm) for g in grads], norm


def _clip_check() -> SelfCheck:
    check = SelfCheck("clip_by_global_norm", names=("clipped", "global_norm"), keeps_arguments=True)
    grads = [np.random.default_rng(1).standard_normal(s) for s in [(3, 2), (2,)]]
    for clip_norm in (0.5, 100.0):
        check.add(f"clip_norm={clip_norm}", [grads, clip_norm], _clip(grads, clip_norm))
    return check


def test_arrays_inside_a_list_argument_are_the_call_s_own_and_a_changed_one_is_named():
    check = _clip_check()
    before = [g.copy() for g in check.cases[0][1][0]]

    def in_place(grads, clip_norm):
        clipped, norm = _clip(grads, clip_norm)
        for g, c in zip(grads, clipped):
            g[...] = c
        return grads, norm

    assert "changed the arrays it was given (on clip_norm=0.5)" in _message(check, in_place)
    assert all(np.array_equal(a, b) for a, b in zip(before, check.cases[0][1][0])), "the case's own arrays are kept"
    check.run(_clip)
    SelfCheck("clip_by_global_norm", names=("clipped", "global_norm"), cases=check.cases).run(in_place)


def test_a_wrong_answer_says_shape_first_then_what_the_values_show():
    check = _batched_check()
    assert "should have shape (4, 2), got shape (4, 5, 2)" in _message(check, lambda *a: _forward(*a))

    def carries_over(X, Wx, Wh, bh, Wo, bo):
        h = np.zeros(Wh.shape[0])
        out = []
        for x in X:
            for x_t in x:
                h = np.tanh(x_t @ Wx + h @ Wh + bh)
            out.append(h @ Wo + bo)
        return np.array(out)

    message = _message(check, carries_over)
    assert "values differ from model.predict" in message and "right for the first sample only" in message, message


def test_a_count_that_grows_with_T_is_named_with_its_formula():
    check = SelfCheck("count_params", sizes="TDMK", truth="model.count_params()")
    for T, D, M, K in [(10, 3, 5, 2), (20, 3, 5, 2), (4, 2, 3, 1), (6, 4, 1, 3)]:
        check.add(f"T={T}", [T, D, M, K], D * M + M * M + M + M * K + K, dict(T=T, D=D, M=M, K=K))
    message = _message(check, lambda T, D, M, K: T * D * M + M * M + M + M * K + K)
    assert "the count changes with T: it is off by (T − 1)·(D·M)" in message, message


def test_a_name_defined_in_a_later_cell_is_explained():
    message = _message(_batched_check(), lambda *a: later_helper(*a))  # noqa: F821 (not defined yet)
    assert "NameError" in message and "grading runs every cell before it calls batched_forward" in message, message


def test_a_numpy_only_function_that_calls_tensorflow_is_told_so_and_the_watch_is_removed():
    import tensorflow as tf

    message = _message(_batched_check(), lambda *a: tf.math.tanh(_forward(*a)[:, -1]).numpy())
    assert "called tensorflow: it must compute with NumPy alone" in message, message
    assert sys.getprofile() is None, "the watch is removed after the call"
    # Holding a TensorFlow name is no call: only calls count.
    _batched_check().run(lambda *a, unused=tf: _forward(*a)[:, -1])
    # Without the rule, the library may be used.
    _batched_check(numpy_only=False).run(lambda *a: tf.identity(_forward(*a)[:, -1]).numpy())


def test_not_implemented_is_left_to_otter_and_pytest_to_report():
    def stub(*args):
        raise NotImplementedError("batched_forward is not implemented yet")

    with pytest.raises(NotImplementedError):
        _batched_check().run(stub)


def _batched_with_alternatives() -> SelfCheck:
    """The batched check with the alternatives a notebook's check gives (computed here in NumPy)."""
    check = SelfCheck("batched_forward", axes="NK", numpy_only=True, truth="model.predict")
    rng = np.random.default_rng(0)
    for N, T, D, M, K in [*SIZES, (2, 3, 3, 3, 2)]:
        Wx, Wh, bh, Wo, bo = [rng.uniform(-1, 1, s) for s in [(D, M), (M, M), (M,), (M, K), (K,)]]
        X = rng.standard_normal((N, T, D))

        def transposed_input(X=X, Wx=Wx, Wh=Wh, bh=bh, Wo=Wo, bo=bo):
            if Wx.shape[0] != Wx.shape[1]:
                raise ValueError("the transposed kernel does not fit")
            return _forward(X, Wx.T, Wh, bh, Wo, bo)[:, -1]

        check.add(f"N={N}, T={T}, D={D}, M={M}", [X, Wx, Wh, bh, Wo, bo], _forward(X, Wx, Wh, bh, Wo, bo)[:, -1],
                  dict(N=N, T=T, D=D, M=M, K=K), alternatives={
                      "the hidden bias bh is left out": lambda X=X, Wx=Wx, Wh=Wh, bh=bh, Wo=Wo, bo=bo: _forward(X, Wx, Wh, 0 * bh, Wo, bo)[:, -1],
                      "Wx is used transposed": transposed_input,
                      "it fails only where T > 3": selfcheck.FAILS if T > 3 else _forward(X, Wx, Wh, bh, Wo, bo)[:, -1],
                  })
    return check


def test_an_answer_that_matches_a_mistaken_model_on_every_check_gets_that_name():
    check = _batched_with_alternatives()
    check.run(lambda *a: _forward(*a)[:, -1])  # right: no alternative is computed, nothing is said
    message = _message(check, lambda X, Wx, Wh, bh, Wo, bo: _forward(X, Wx, Wh, 0 * bh, Wo, bo)[:, -1])
    assert "Likely mistake: the hidden bias bh is left out." in message, message


def test_a_call_that_raises_where_the_mistake_cannot_be_made_is_named_by_the_checks_where_it_can():
    def wx_at_x(X, Wx, Wh, bh, Wo, bo):
        h = np.zeros((X.shape[0], Wh.shape[0]))
        for t in range(X.shape[1]):
            h = np.tanh((Wx @ X[:, t].T).T + h @ Wh + bh)
        return h @ Wo + bo

    message = _message(_batched_with_alternatives(), wx_at_x)
    assert message.startswith("batched_forward raised ValueError"), message
    assert "Likely mistake: Wx is used transposed." in message, message


def test_a_name_that_does_not_explain_every_failing_check_is_not_said():
    def half_wrong(X, Wx, Wh, bh, Wo, bo):
        # no bias on the first check only, then another mistake: neither name explains both
        wrong = _forward(X, Wx, Wh, 0 * bh, Wo, bo)[:, -1]
        return wrong if X.shape[0] == 4 else wrong * 2

    message = _message(_batched_with_alternatives(), half_wrong)
    assert "Likely mistake" not in message, message


def test_fails_stands_for_any_wrong_answer_on_its_checks_and_the_truth_elsewhere():
    def long_sequences_wrong(X, *w):
        right = _forward(X, *w)[:, -1]
        return right + 1 if X.shape[1] > 3 else right

    message = _message(_batched_with_alternatives(), long_sequences_wrong)
    assert "Likely mistake: it fails only where T > 3." in message, message


def test_a_call_that_never_returns_is_stopped_with_the_grader_s_message():
    check = _batched_check()
    check.time_limit_s = 0.5

    def endless(*args):
        while True:
            try:
                pass
            except Exception:  # a student's catch-all does not swallow the limit
                pass

    message = _message(check, endless)
    assert "did not return within 0.5 seconds (on N=4, T=5): is there an endless loop?" in message, message
    check.run(lambda *a: _forward(*a)[:, -1])  # the timer is disarmed after each call


def _samples_start_apart(function) -> bool:
    """The notebook's probe for a random initial state: identical samples (all-zero inputs) must get one answer."""
    rng = np.random.default_rng(7)
    Wx, Wo = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    y = np.asarray(function(np.zeros((3, 2, 3)), Wx, 0.5 * np.eye(4), np.zeros(4), Wo, np.zeros(2)), dtype=float)
    return y.shape[:1] == (3,) and not np.allclose(y, y[:1], rtol=0, atol=1e-6)


def test_a_probe_names_a_mistake_no_alternative_explains_and_only_then():
    check = _batched_with_alternatives()
    check.probes["the samples do not all start from h = 0"] = _samples_start_apart

    def random_h0(X, Wx, Wh, bh, Wo, bo):
        h = np.random.default_rng(0).normal(0, 0.1, (X.shape[0], Wh.shape[0]))
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        return h @ Wo + bo

    assert "Likely mistake: the samples do not all start from h = 0." in _message(check, random_h0)
    # An alternative that explains every check is named first; a probe that does not show, or raises, names nothing.
    no_bias = _message(check, lambda X, Wx, Wh, bh, Wo, bo: _forward(X, Wx, Wh, 0 * bh, Wo, bo)[:, -1])
    assert "Likely mistake: the hidden bias bh is left out." in no_bias, no_bias
    doubled = _message(check, lambda *a: 2 * _forward(*a)[:, -1])
    assert "Likely mistake" not in doubled, doubled
    check.probes = {"it raises": lambda function: 1 / 0}
    assert "Likely mistake" not in _message(check, random_h0)


def test_an_answer_that_changes_when_asked_again_is_said_and_fails_even_where_every_first_answer_was_right():
    kept: dict = {}

    def state_kept_by_shape(X, Wx, Wh, bh, Wo, bo):
        # a global h, zeros only where its shape changes: every check of _batched_check has its own (N, M)
        N, T, _ = X.shape
        h = kept.get((N, Wh.shape[0]), np.zeros((N, Wh.shape[0])))
        for t in range(T):
            h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        kept[(N, Wh.shape[0])] = h
        return h @ Wo + bo

    message = _message(_batched_check(), state_kept_by_shape)
    assert "then otherwise when it is called again" in message, message
    assert message.endswith("What these checks show: " + selfcheck.CALLED_AGAIN), message

    calls = []

    def drifts(*args):
        calls.append(1)
        return _forward(*args)[:, -1] + 0.1 * (len(calls) - 1)

    message = _message(_batched_with_alternatives(), drifts)
    assert "Likely mistake: " + selfcheck.CALLED_AGAIN in message, message
    # A wrong answer that is the same every time is not said to change.
    assert "called again" not in _message(_batched_with_alternatives(), lambda *a: 2 * _forward(*a)[:, -1])


def test_miscounted_names_a_kernel_with_another_s_size_but_no_bias_with_another_bias_s():
    sizes = {"Wx": 3 * 5, "Wh": 5 * 5, "bh": 5, "Wo": 5 * 2, "bo": 2}
    found = selfcheck.miscounted(sizes, biases=("bh", "bo"))
    assert found["Wh is counted with the size of Wx"] == 15 + 15 + 5 + 10 + 2
    assert "bo is counted with the size of bh" not in found and "bh is counted with the size of bo" not in found
    # Without the bias names every pair is named, as before.
    assert "bo is counted with the size of bh" in selfcheck.miscounted(sizes)
