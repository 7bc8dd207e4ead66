"""The truth from real Keras models: ``model.predict``, the LSTM's states and ``count_params``.

Imported only by the judge, when it builds the hidden checks (and by the slow tests): importing
it imports TensorFlow.
"""

from __future__ import annotations

import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Grade on the CPU: TF32 on GPUs changes float32 results beyond the tolerance.
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402  (tf_keras when TF_USE_LEGACY_KERAS=1)

from .cases import Case  # noqa: E402
from .checks import Truth  # noqa: E402

tf.config.experimental.enable_tensor_float_32_execution(False)

LSTM_LAYER_NAME = "lstm"
GRU_LAYER_NAME = "gru"
DENSE_LAYER_NAME = "dense"
"""The names Keras gives the first such layers of a fresh session: code that looks layers up by
name works on the graded models as it does in the student's notebook."""


def build_lstm(T: int, D: int, M: int, K: int, weights=None):
    """``Input((T, D)) -> LSTM(M) -> Dense(K)``, and the model of the same LSTM's final states.

    Returns:
        (model, states): ``model`` outputs (N, K); ``states`` shares its layers and outputs
        ``[h_T, c_T]`` of ``LSTM(M, return_state=True)``, each (N, M).
    """
    inputs = keras.Input(shape=(int(T), int(D)))
    output, h, c = keras.layers.LSTM(int(M), return_state=True, name=LSTM_LAYER_NAME)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(int(K), name=DENSE_LAYER_NAME)(output))
    states = keras.Model(inputs, [h, c])
    if weights is not None:
        model.set_weights([np.asarray(w) for w in weights])
    return model, states


def build_gru(T: int, D: int, M: int, K: int, reset_after: bool = True, weights=None):
    """``Input((T, D)) -> GRU(M, reset_after=reset_after) -> Dense(K)``."""
    inputs = keras.Input(shape=(int(T), int(D)))
    hidden = keras.layers.GRU(int(M), reset_after=bool(reset_after), name=GRU_LAYER_NAME)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(int(K), name=DENSE_LAYER_NAME)(hidden))
    if weights is not None:
        model.set_weights([np.asarray(w) for w in weights])
    return model


def predict(model, X: np.ndarray):
    """``model.predict`` on the CPU for one batch, run eagerly, as float64 for comparison.

    ``predict_on_batch`` runs the same predict step as ``predict`` without its data adapter and
    callbacks: the inputs are one batch of a few samples, and it halves the judge's start-up.
    ``run_eagerly`` (Keras' own setting) runs that step without tracing it into a ``tf.function``,
    which every case, of sizes of its own, traced anew (as in rnn_shapes' ``keras_truth.predict``).
    """
    model.run_eagerly = True
    out = model.predict_on_batch(X)
    if isinstance(out, (list, tuple)):
        return tuple(np.asarray(o, dtype=np.float64) for o in out)
    return np.asarray(out, dtype=np.float64)


def together(models: list, T: int, D: int):
    """The models side by side in one model of their common input ``(T, D)``, whose outputs are
    theirs in order: its ``predict`` is one call instead of one per model, and each
    output is its model's ``predict``, bit for bit (the same layers and ops, on the same input)."""
    inputs = keras.Input(shape=(int(T), int(D)))
    outputs = []
    for model in models:
        out = model(inputs)
        outputs += list(out) if isinstance(out, (list, tuple)) else [out]
    return keras.Model(inputs, outputs)


def keras_truth(case: Case) -> Truth:
    """Every expected answer of one case, from real Keras models with the case's weights."""
    s = case.shape
    keras.backend.clear_session()
    lstm, states = build_lstm(s.T, s.D, s.M, s.K, case.lstm)
    gru = {ra: build_gru(s.T, s.D, s.M, s.K, ra, case.gru[ra]) for ra in (True, False)}
    h_T, c_T, lstm_output, gru_true, gru_false = predict(together([states, lstm, gru[True], gru[False]], s.T, s.D), case.X)
    return Truth(
        lstm_output=lstm_output,
        lstm_states=(h_T, c_T),
        lstm_weights=[np.asarray(w) for w in lstm.get_layer(LSTM_LAYER_NAME).get_weights()],
        gru_output={True: gru_true, False: gru_false},
        lstm_count=int(lstm.count_params()),
        gru_count={ra: int(m.count_params()) for ra, m in gru.items()},
    )
