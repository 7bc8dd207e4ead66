"""Real Keras models for the hidden checks: the judge predicts with them, the kernel side builds
the models that extract_weights is called with (``BUILDERS``)."""

from __future__ import annotations

import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Grade on the CPU: TF32 on GPUs changes float32 results beyond the tolerance.
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402  (tf_keras when TF_USE_LEGACY_KERAS=1)

tf.config.experimental.enable_tensor_float_32_execution(False)

RNN_LAYER_NAME = "simple_rnn"
DENSE_LAYER_NAME = "dense"
"""The names Keras gives the first such layers of a fresh session: code that looks layers up
by name works on the graded models as it does in the student's notebook."""


def build_model(T: int, D: int, M: int, K: int, weights=None, return_sequences: bool = False):
    """``Input((T, D)) -> SimpleRNN(M) -> Dense(K)``, optionally with the given weights."""
    inputs = keras.Input(shape=(int(T), int(D)))
    hidden = keras.layers.SimpleRNN(
        int(M), return_sequences=return_sequences, name=RNN_LAYER_NAME
    )(inputs)
    outputs = keras.layers.Dense(int(K), name=DENSE_LAYER_NAME)(hidden)
    model = keras.Model(inputs, outputs)
    if weights is not None:
        model.set_weights([np.asarray(w) for w in weights])
    return model


def predict(model, X: np.ndarray) -> np.ndarray:
    """``model.predict`` on the CPU for one batch, run eagerly, as float64 for comparison.

    ``predict_on_batch`` runs the same predict step as ``predict`` without its data adapter and
    callbacks: the inputs are one batch of a few samples, and it halves the judge's start-up.
    ``run_eagerly`` (Keras' own setting) runs that step without tracing it into a ``tf.function``:
    the same layers and ops, one op at a time. Every case has sizes of its own, so each traced
    function served one call, and tracing was half of a grading's truths (2.7 s of a core for
    rnn_shapes, 1 s eagerly). Eager and traced outputs differ by float32 rounding (a few units in
    the last place, a thousandth of the checks' tolerance). tests/test_reference.py proves the bits
    are ``model.predict``'s, run eagerly, and within that rounding of the traced ``predict``.
    """
    model.run_eagerly = True
    out = model.predict_on_batch(X)
    if isinstance(out, (list, tuple)):
        return [np.asarray(o, dtype=np.float64) for o in out]
    return np.asarray(out, dtype=np.float64)


def predict_together(models: list, X: np.ndarray) -> list[np.ndarray]:
    """Each model's :func:`predict` on the same ``X``, from one model that holds them side by side:
    one predict call instead of one per model, and each output its model's, bit for bit (the same
    layers and ops on the same input)."""
    inputs = keras.Input(shape=X.shape[1:])
    outputs = predict(keras.Model(inputs, [model(inputs) for model in models]), X)
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def clear_session() -> None:
    keras.backend.clear_session()


BUILDERS = {"model": build_model}
"""What the kernel side may build from a check's ``{"build": "model", "with": {...}}`` argument."""
