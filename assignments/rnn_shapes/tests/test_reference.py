"""The judge's Keras reference is model.predict itself."""

from __future__ import annotations

import numpy as np

from assignments.rnn_shapes.grader import keras_truth as reference
from assignments.rnn_shapes.grader.cases import make_cases


def test_predict_on_batch_gives_the_bits_of_predict():
    for case in make_cases(7, 3):
        s = case.shape
        for sequences in (False, True):
            model = reference.build_model(s.T, s.D, s.M, s.K, case.weights, return_sequences=sequences)
            full = np.asarray(model.predict(case.X, verbose=0), dtype=np.float64)
            assert np.array_equal(reference.predict(model, case.X), full), case.label()
