"""The judge's Keras reference is model.predict itself (run eagerly)."""

from __future__ import annotations

import numpy as np

from assignments.rnn_shapes.grader import keras_truth as reference
from assignments.rnn_shapes.grader.cases import make_cases


def test_predict_on_batch_gives_the_bits_of_predict_run_eagerly():
    """The truth is ``model.predict`` with Keras' ``run_eagerly``, bit for bit, and within float32
    rounding of the traced ``model.predict`` (a thousandth of the checks' tolerance)."""
    for case in make_cases(7, 3):
        s = case.shape
        for sequences in (False, True):
            model = reference.build_model(s.T, s.D, s.M, s.K, case.weights, return_sequences=sequences)
            traced = np.asarray(model.predict(case.X, verbose=0), dtype=np.float64)
            got = reference.predict(model, case.X)
            assert model.run_eagerly
            eager = np.asarray(model.predict(case.X, verbose=0), dtype=np.float64)
            assert np.array_equal(got, eager), case.label()
            np.testing.assert_allclose(got, traced, rtol=1e-6, atol=1e-6, err_msg=case.label())


def test_models_predicted_together_give_each_models_own_bits():
    """The truth predicts a case's two models (the last output, every output) with one model that
    holds them side by side: each output is its own model's predict, bit for bit."""
    for case in make_cases(11, 3):
        s = case.shape
        models = [reference.build_model(s.T, s.D, s.M, s.K, case.weights, return_sequences=seq) for seq in (False, True)]
        together = reference.predict_together(models, case.X)
        for model, got in zip(models, together):
            want = reference.predict(model, case.X)
            assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), case.label()
