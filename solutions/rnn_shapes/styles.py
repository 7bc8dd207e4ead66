"""Correct answers written in the many ways students write them; each must earn full marks.

Every function here is a complete, correct answer for the graded function named in ``STYLES``.
Most are plain functions, renamed when a submission is built; an answer that needs a helper at
module level is given as source text holding the helper and the graded function together.
"""

from __future__ import annotations

import numpy as np

# --- count_params -----------------------------------------------------------------------------


def count_factored(T, D, M, K):
    return M * (D + M + 1) + K * (M + 1)


def count_from_shapes(T, D, M, K):
    # np.prod gives NumPy integers: the sum is an np.int64, which counts as an int
    return sum(np.prod(shape) for shape in weight_shapes(D, M, K))  # noqa: F821 (the submission's own)


def count_per_layer(T, D, M, K):
    layers = {"simple_rnn": D * M + M * M + M, "dense": (M + 1) * K}
    total = 0
    for n in layers.values():
        total += n
    return total


# --- weight_shapes ----------------------------------------------------------------------------


def shapes_as_lists(D, M, K):
    return [[D, M], [M, M], [M], [M, K], [K]]


def shapes_from_np_shape(D, M, K):
    Wx, Wh, bh = np.zeros((D, M)), np.zeros((M, M)), np.zeros(M)
    Wo, bo = np.zeros((M, K)), np.zeros(K)
    return [np.shape(w) for w in (Wx, Wh, bh, Wo, bo)]


def shapes_as_tuple(D, M, K):
    return ((D, M), (M, M), (M,), (M, K), (K,))


# --- extract_weights --------------------------------------------------------------------------


def weights_from_get_weights(model):
    return tuple(model.get_weights())


def weights_by_layer_name(model):
    Wx, Wh, bh = model.get_layer("simple_rnn").get_weights()
    Wo, bo = model.get_layer("dense").get_weights()
    return Wx, Wh, bh, Wo, bo


def weights_from_attributes(model):
    rnn, dense = model.layers[1], model.layers[2]
    return (
        rnn.cell.kernel.numpy(),
        rnn.cell.recurrent_kernel.numpy(),
        rnn.cell.bias.numpy(),
        dense.kernel.numpy(),
        dense.bias.numpy(),
    )


def weights_from_model_weights(model):
    return [np.asarray(v) for v in model.weights]


# --- manual_forward ---------------------------------------------------------------------------


def manual_seed_style(X, Wx, Wh, bh, Wo, bo):
    """The lecture's loop: h_last, .dot, a list of outputs, the last one returned."""
    T = X.shape[0]
    h_last = np.zeros((Wh.shape[0],))
    Yhats = []
    for t in range(T):
        h_last = np.tanh(X[t].dot(Wx) + h_last.dot(Wh) + bh)
        Yhats.append(h_last.dot(Wo) + bo)
    return Yhats[-1]


def manual_column_vectors(X, Wx, Wh, bh, Wo, bo):
    """Column vectors, as in a textbook: h = tanh(Wx^T x + Wh^T h + b)."""
    h = np.zeros((Wh.shape[0], 1))
    for x in X:
        h = np.tanh(Wx.T @ x.reshape(-1, 1) + Wh.T @ h + bh.reshape(-1, 1))
    y = Wo.T @ h + bo.reshape(-1, 1)
    return y.ravel()


def manual_concatenated(X, Wx, Wh, bh, Wo, bo):
    """One matrix for both terms: [x_t, h] @ [[Wx], [Wh]]."""
    W = np.vstack([Wx, Wh])
    h = np.zeros(Wh.shape[1])
    for x_t in X:
        h = np.tanh(np.concatenate([x_t, h]) @ W + bh)
    return h @ Wo + bo


def manual_float32(X, Wx, Wh, bh, Wo, bo):
    """float32 throughout, as Keras computes."""
    X, Wx, Wh, bh, Wo, bo = (np.asarray(a, dtype=np.float32) for a in (X, Wx, Wh, bh, Wo, bo))
    h = np.zeros(Wh.shape[0], dtype=np.float32)
    for t in range(len(X)):
        h = np.tanh(np.dot(X[t], Wx) + np.dot(h, Wh) + bh)
    return np.dot(h, Wo) + bo


MANUAL_WITH_HELPER = '''
def rnn_step(x_t, h_prev, Wx, Wh, bh):
    """One step of the recurrence."""
    return np.tanh(np.matmul(x_t, Wx) + np.matmul(h_prev, Wh) + bh)


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros(len(bh))
    for x_t in list(X):
        h = rnn_step(x_t, h, Wx, Wh, bh)
    return np.matmul(h, Wo) + bo
'''


# --- batched_forward --------------------------------------------------------------------------


def batched_einsum(X, Wx, Wh, bh, Wo, bo):
    N, T, D = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(np.einsum("nd,dm->nm", X[:, t, :], Wx) + np.einsum("nm,mk->nk", h, Wh) + bh)
    return np.einsum("nm,mk->nk", h, Wo) + bo


def batched_calls_manual_forward(X, Wx, Wh, bh, Wo, bo):
    """A loop over samples calling the graded manual_forward, a list converted at the end."""
    outputs = []
    for i in range(len(X)):
        outputs.append(list(manual_forward(X[i], Wx, Wh, bh, Wo, bo)))  # noqa: F821 (the submission's own)
    return np.array(outputs)


def batched_time_major(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]), dtype=np.float32)
    for x_t in np.transpose(X, (1, 0, 2)):
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return (h @ Wo + bo).astype(np.float32)


def batched_python_lists(X, Wx, Wh, bh, Wo, bo):
    """Pure Python lists for the state and the outputs, NumPy only for the products."""
    M = Wh.shape[0]
    results = []
    for sample in X.tolist():
        h = [0.0] * M
        for x_t in sample:
            h = np.tanh(np.array(x_t) @ Wx + np.array(h) @ Wh + bh).tolist()
        results.append((np.array(h) @ Wo + bo).tolist())
    return np.array(results)


# --- sequence_forward -------------------------------------------------------------------------


def sequence_preallocated(X, Wx, Wh, bh, Wo, bo):
    """All hidden states in one (N, T, M) array, the Dense layer applied once at the end."""
    N, T, D = X.shape
    M = Wh.shape[0]
    H = np.zeros((N, T, M))
    h = np.zeros((N, M))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        H[:, t] = h
    return H @ Wo + bo


def sequence_einsum_time_major(X, Wx, Wh, bh, Wo, bo):
    h = np.zeros((X.shape[0], Wh.shape[0]))
    ys = []
    for x_t in np.swapaxes(X, 0, 1):
        h = np.tanh(np.einsum("nd,dm->nm", x_t, Wx) + h @ Wh + bh)
        ys.append(np.einsum("nm,mk->nk", h, Wo) + bo)
    return np.array(ys).transpose(1, 0, 2)


def sequence_nested_lists(X, Wx, Wh, bh, Wo, bo):
    out = []
    for x in X:
        h = np.zeros(Wh.shape[0])
        steps = []
        for x_t in x:
            h = np.tanh(x_t.dot(Wx) + h.dot(Wh) + bh)
            steps.append(h.dot(Wo) + bo)
        out.append(steps)
    return np.array(out)


def sequence_float32(X, Wx, Wh, bh, Wo, bo):
    X = X.astype(np.float32)
    h = np.zeros((X.shape[0], Wh.shape[0]), np.float32)
    out = np.empty((X.shape[0], X.shape[1], Wo.shape[1]), np.float32)
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        out[:, t, :] = h @ Wo + bo
    return out


STYLES = {
    "count_params": [count_factored, count_from_shapes, count_per_layer],
    "weight_shapes": [shapes_as_lists, shapes_from_np_shape, shapes_as_tuple],
    "extract_weights": [weights_from_get_weights, weights_by_layer_name, weights_from_attributes, weights_from_model_weights],
    "manual_forward": [manual_seed_style, manual_column_vectors, manual_concatenated, manual_float32, MANUAL_WITH_HELPER],
    "batched_forward": [batched_einsum, batched_calls_manual_forward, batched_time_major, batched_python_lists],
    "sequence_forward": [sequence_preallocated, sequence_einsum_time_major, sequence_nested_lists, sequence_float32],
}
"""Correct styles of each graded function."""


