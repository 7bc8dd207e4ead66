"""The truth from real Keras: gradients under ``tf.GradientTape``, and ``tf.clip_by_global_norm``.

Imported only by the build (and by the slow tests), when it computes the hidden checks' truths:
importing it imports TensorFlow.

- bptt_gradients: ``tape.gradient(loss, model.trainable_weights)`` of the model
  ``Input((T, D)) -> SimpleRNN(M) -> Dense(K)`` with ``loss = MeanSquaredError()(y, model(X))``.
- hidden_gradients, gradient_norms, truncated_bptt_gradients: the same model's own
  ``SimpleRNNCell`` and ``Dense`` layers, the cell stepped by hand under a tape, so that each
  hidden state h_t is a tensor whose gradient the tape gives, and h_{T-k} can be held constant
  with ``tf.stop_gradient``. ``tests/test_bptt_cases.py`` shows that this stepped forward pass
  equals the layer's ``predict`` bit for bit.
"""

from __future__ import annotations

import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Grade on the CPU: TF32 on GPUs changes float32 results beyond the tolerance.
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402  (tf_keras when TF_USE_LEGACY_KERAS=1)

from .cases import Case, ClipCase  # noqa: E402

tf.config.experimental.enable_tensor_float_32_execution(False)

RNN_LAYER_NAME = "simple_rnn"
DENSE_LAYER_NAME = "dense"


def build_model(T: int, D: int, M: int, K: int, weights=None):
    """``Input((T, D)) -> SimpleRNN(M) -> Dense(K)``, tanh and biases, Keras' defaults."""
    inputs = keras.Input(shape=(int(T), int(D)))
    hidden = keras.layers.SimpleRNN(int(M), name=RNN_LAYER_NAME)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(int(K), name=DENSE_LAYER_NAME)(hidden))
    if weights is not None:
        model.set_weights([np.asarray(w) for w in weights])
    return model


def _as64(tensors) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(t, dtype=np.float64) for t in tensors)


def tape_gradients(model, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """``tape.gradient(loss, model.trainable_weights)``: dWx, dWh, dbh, dWo, dbo, in a
    ``tf.function`` as a training step runs it."""
    loss_fn = keras.losses.MeanSquaredError()

    @tf.function(autograph=False)  # nothing to convert, and autograph leaves its files in /tmp
    def gradients(X, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(X))
        return tape.gradient(loss, model.trainable_weights)

    return _as64(gradients(tf.constant(X), tf.constant(y)))


def stepped(model, X: np.ndarray, y: np.ndarray, k: int | None = None):
    """The model's SimpleRNNCell stepped by hand under a tape, then its Dense layer and the loss.

    It runs in a ``tf.function``, as ``predict`` runs the layer: its forward pass is then the
    layer's bit for bit (eagerly, the two differ in the last bit of float32 now and then).

    Args:
        model: a model of :func:`build_model`.
        X: inputs (N, T, D); y: targets (N, K).
        k: hold h_{T-k} constant (``tf.stop_gradient``) so that the gradient flows back through
            the last k steps only; None for the whole sequence (as is any k >= T).

    Returns:
        (output, hidden_gradients, weight_gradients): the Dense output (N, K), dL/dh_t for
        t = 1..T as (N, T, M), and the gradients of the five weights.
    """
    cell = model.get_layer(RNN_LAYER_NAME).cell
    dense = model.get_layer(DENSE_LAYER_NAME)
    N, T = int(X.shape[0]), int(X.shape[1])
    weights = [cell.kernel, cell.recurrent_kernel, cell.bias, dense.kernel, dense.bias]

    # a Python loop over Python ints: traced as it runs, with or without autograph, which would
    # write its converted source in the temporary folder (removed only at a normal exit)
    @tf.function(autograph=False)
    def run(X, y):
        with tf.GradientTape(persistent=True) as tape:
            h = tf.zeros((N, int(cell.units)), dtype=X.dtype)
            states = []
            for t in range(T):
                if k is not None and t == T - k:
                    h = tf.stop_gradient(h)
                h, _ = cell(X[:, t], [h])
                states.append(h)
            output = dense(h)
            loss = keras.losses.MeanSquaredError()(y, output)
        # the states before h_{T-k} are cut off from the loss: their gradient is zero
        hidden = tape.gradient(loss, states, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        grads = tape.gradient(loss, weights)
        del tape
        return output, hidden, grads

    output, hidden, grads = run(tf.constant(X), tf.constant(y))
    return np.asarray(output), np.stack(_as64(hidden), axis=1), _as64(grads)


def keras_truth(case: Case) -> dict:
    """Every expected answer of one case, from real Keras with the case's weights."""
    s = case.shape
    keras.backend.clear_session()
    model = build_model(s.T, s.D, s.M, s.K, case.weights)
    _, hidden, whole = stepped(model, case.X, case.y)
    norms = np.sqrt(np.asarray(tf.reduce_sum(tf.square(tf.constant(hidden)), axis=(0, 2)), dtype=np.float64))
    return {
        "grads": tape_gradients(model, case.X, case.y),
        "hidden": hidden,
        "norms": norms,
        # a k past T cuts nothing: its run is the whole sequence's, op for op (no stop_gradient
        # placed), so its gradients are those already computed, bit for bit
        "truncated": {k: whole if k > s.T else stepped(model, case.X, case.y, k)[2] for k in case.ks},
    }


def clip_truth(case: ClipCase) -> dict:
    """``tf.clip_by_global_norm(grads, clip_norm)``: the clipped list and the global norm."""
    clipped, norm = tf.clip_by_global_norm([tf.constant(g) for g in case.grads], case.clip_norm)
    return {"clipped": list(_as64(clipped)), "global_norm": float(norm)}
