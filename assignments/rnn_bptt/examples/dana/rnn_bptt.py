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
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.sum(dh**2)
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return norms


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, max(T - k - 1, 0), -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, np.sum(dy, axis=0)


def clip_by_global_norm(grads, clip_norm):
    norms = [np.linalg.norm(g) for g in grads]
    global_norm = np.sqrt(sum(n**2 for n in norms))
    clipped = [g * clip_norm / max(n, clip_norm) for g, n in zip(grads, norms)]
    return clipped, global_norm
