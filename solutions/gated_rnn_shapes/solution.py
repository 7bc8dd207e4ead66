"""Reference solution for the gated_rnn_shapes assignment.

The master notebook's solution cells hold exactly these functions (a test keeps them in step).
This file is also a valid ``.py`` submission: ``otter run`` grades it to full marks.
"""

import numpy as np


def lstm_count_params(D, M, K):
    """Total number of parameters of Input((T, D)) -> LSTM(M) -> Dense(K).

    Args:
        D: input features per step.
        M: hidden units.
        K: output units.

    Returns:
        int: the LSTM's kernel, recurrent kernel and bias, plus the Dense layer's kernel and bias.
    """
    lstm = 4 * (D * M + M * M + M)
    dense = M * K + K
    return int(lstm + dense)


def gru_count_params(D, M, K, reset_after=True):
    """Total number of parameters of Input((T, D)) -> GRU(M, reset_after=reset_after) -> Dense(K).

    Args:
        D: input features per step.
        M: hidden units.
        K: output units.
        reset_after: the GRU's ``reset_after`` (Keras' default is True).

    Returns:
        int: the GRU's kernel, recurrent kernel and bias, plus the Dense layer's kernel and bias.
    """
    bias = 2 * 3 * M if reset_after else 3 * M
    gru = 3 * (D * M + M * M) + bias
    dense = M * K + K
    return int(gru + dense)


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    """Split an LSTM layer's packed weights into its four gates.

    Args:
        kernel: input kernel of shape (D, 4M).
        recurrent_kernel: recurrent kernel of shape (M, 4M).
        bias: bias of shape (4M,).

    Returns:
        dict with keys "i", "f", "c", "o" (input gate, forget gate, candidate, output gate); each
        value is a tuple (W, U, b) of NumPy arrays with shapes (D, M), (M, M) and (M,).
    """
    M = recurrent_kernel.shape[0]
    gates = {}
    for k, name in enumerate(["i", "f", "c", "o"]):
        cols = slice(k * M, (k + 1) * M)
        gates[name] = (kernel[:, cols], recurrent_kernel[:, cols], bias[cols])
    return gates


def lstm_states(X, kernel, recurrent_kernel, bias):
    """The final states of ``LSTM(M, return_state=True)`` for a batch, with NumPy.

    Args:
        X: inputs of shape (N, T, D).
        kernel: input kernel of shape (D, 4M).
        recurrent_kernel: recurrent kernel of shape (M, 4M).
        bias: bias of shape (4M,).

    Returns:
        tuple (h_T, c_T) of NumPy arrays, each of shape (N, M): the hidden state and the cell
        state after the last step, starting from zeros for every sample.
    """

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, 0 * M:1 * M])
        f = sigmoid(z[:, 1 * M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h, c


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    """Replicate ``model.predict(X)`` of Input((T, D)) -> LSTM(M) -> Dense(K) with NumPy.

    Args:
        X: inputs of shape (N, T, D).
        kernel: LSTM input kernel of shape (D, 4M).
        recurrent_kernel: LSTM recurrent kernel of shape (M, 4M).
        bias: LSTM bias of shape (4M,).
        Wo: Dense kernel of shape (M, K).
        bo: Dense bias of shape (K,).

    Returns:
        np.ndarray of shape (N, K): the Dense output after the last step.
    """

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        z = X[:, t] @ kernel + h @ recurrent_kernel + bias
        i = sigmoid(z[:, 0 * M:1 * M])
        f = sigmoid(z[:, 1 * M:2 * M])
        g = np.tanh(z[:, 2 * M:3 * M])
        o = sigmoid(z[:, 3 * M:4 * M])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo


def gru_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    """Replicate ``model.predict(X)`` of Input((T, D)) -> GRU(M) -> Dense(K) with NumPy.

    Args:
        X: inputs of shape (N, T, D).
        kernel: GRU input kernel of shape (D, 3M), gates packed z, r, h.
        recurrent_kernel: GRU recurrent kernel of shape (M, 3M).
        bias: GRU bias, of shape (2, 3M) when ``reset_after=True`` (input bias in row 0,
            recurrent bias in row 1) or (3M,) when ``reset_after=False``.
        Wo: Dense kernel of shape (M, K).
        bo: Dense bias of shape (K,).

    Returns:
        np.ndarray of shape (N, K): the Dense output after the last step.
    """

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, _ = X.shape
    M = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    if reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros(3 * M)
    U_zr, U_h = recurrent_kernel[:, :2 * M], recurrent_kernel[:, 2 * M:]
    h = np.zeros((N, M))
    for t in range(T):
        x = X[:, t] @ kernel + input_bias
        if reset_after:
            u = h @ recurrent_kernel + recurrent_bias
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:2 * M])
            candidate = np.tanh(x[:, 2 * M:] + r * u[:, 2 * M:])
        else:
            u = h @ U_zr
            z = sigmoid(x[:, :M] + u[:, :M])
            r = sigmoid(x[:, M:2 * M] + u[:, M:])
            candidate = np.tanh(x[:, 2 * M:] + (r * h) @ U_h)
        h = z * h + (1 - z) * candidate
    return h @ Wo + bo
