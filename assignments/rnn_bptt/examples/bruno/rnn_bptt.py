import numpy as np


def bptt_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, 0, -1):
        da = dh
        dWx += X[:, t - 1].T @ da
        dWh += hs[t - 1].T @ da
        dbh += da.sum(axis=0)
        dh = da @ Wh.T
    return dWx, dWh, dbh, hs[T].T @ dy, dy.sum(axis=0)


def hidden_gradients(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    out = np.zeros((N, T, Wh.shape[0]))
    for t in range(T, 0, -1):
        out[:, t - 1] = dh
        dh = dh @ Wh.T
    return out


def gradient_norms(X, y, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dh = 2 * (hs[T] @ Wo + bo - y) / y.size @ Wo.T
    norms = np.zeros(T)
    for t in range(T, 0, -1):
        norms[t - 1] = np.sqrt(np.sum(dh**2))
        dh = dh @ Wh.T
    return norms


def truncated_bptt_gradients(X, y, Wx, Wh, bh, Wo, bo, k):
    N, T, _ = X.shape
    hs = [np.zeros((N, Wh.shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ Wx + hs[-1] @ Wh + bh))
    dy = 2 * (hs[T] @ Wo + bo - y) / y.size
    dWx, dWh, dbh = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(bh.shape)
    dh = dy @ Wo.T
    for t in range(T, max(T - k, 0), -1):
        da = dh
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
