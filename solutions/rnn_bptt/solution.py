"""Reference solution for the rnn_bptt assignment.

The master notebook's solution cells hold exactly these functions (a test keeps them in step).
This file is also a valid ``.py`` submission: ``otter run`` grades it to full marks.
"""

import numpy as np


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    """The gradients of the mean squared error of Input((T, D)) -> SimpleRNN(M) -> Dense(K).

    Args:
        X: inputs of shape (N, T, D).
        y: targets of shape (N, K).
        Wx: input-to-hidden weights of shape (D, M).
        Wh: hidden-to-hidden weights of shape (M, M).
        bh: hidden bias of shape (M,).
        Wo: Dense kernel of shape (M, K).
        bo: Dense bias of shape (K,).

    Returns:
        tuple (dWx, dWh, dbh, dWo, dbo) of NumPy arrays, each of its weight's shape: the gradient
        of keras.losses.MeanSquaredError()(y, model(X)), as tape.gradient gives it.
    """
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    """The gradient of the loss with respect to each hidden state.

    Args:
        X, y, Wx, Wh, bh, Wo, bo: as for bptt_gradients.

    Returns:
        np.ndarray of shape (N, T, M): at index t - 1, dL/dh_t, the gradient of the loss with
        respect to the hidden state after step t, through every later step.
    """
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        out[:, t - 1] = dh
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return out


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    """The size of dL/dh_t at each step, over the whole batch.

    Args:
        X, y, Wx, Wh, bh, Wo, bo: as for bptt_gradients.

    Returns:
        np.ndarray of shape (T,): at index t - 1, the L2 norm of dL/dh_t over all N samples and
        M units together.
    """
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.sqrt(np.sum(dh**2))
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return norms


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    """The gradients when they flow back through the last k steps only.

    Args:
        X, y, Wx, Wh, bh, Wo, bo: as for bptt_gradients.
        k: how many steps the gradient flows back through (k >= 1); the hidden state entering step
            T - k + 1 is held constant. Any k >= T gives the full gradients.

    Returns:
        tuple (dWx, dWh, dbh, dWo, dbo) of NumPy arrays, each of its weight's shape.
    """
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, max(T - k, 0), -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, np.sum(dy, axis=0)


def clip_by_global_norm(grads, clip_norm):
    """Scale a list of gradients down together when their global norm exceeds clip_norm.

    Args:
        grads: list of NumPy arrays of any shapes.
        clip_norm: the largest global norm allowed, a positive number.

    Returns:
        tuple (clipped, global_norm): the list of arrays as tf.clip_by_global_norm returns them
        (new arrays; the arrays given are not changed), and the global norm before clipping.
    """
    global_norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    scale = clip_norm / max(global_norm, clip_norm)
    return [g * scale for g in grads], global_norm
