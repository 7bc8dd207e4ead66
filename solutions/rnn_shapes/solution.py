"""Reference solution for the rnn_shapes assignment.

The master notebook's solution cells hold exactly these functions (a test keeps them in step).
This file is also a valid ``.py`` submission: ``otter run`` grades it to full marks.
"""

import numpy as np


def count_params(T, D, M, K):
    """Total number of parameters of Input((T, D)) -> SimpleRNN(M) -> Dense(K).

    Args:
        T: sequence length (time steps per sample).
        D: input features per step.
        M: hidden units.
        K: output units.

    Returns:
        int: the number of parameters, as ``model.count_params()`` reports it.
    """
    rnn = D * M + M * M + M
    dense = M * K + K
    return int(rnn + dense)


def weight_shapes(D, M, K):
    """Shapes of ``model.get_weights()``, in order.

    Args:
        D: input features per step.
        M: hidden units.
        K: output units.

    Returns:
        list of 5 tuples of ints: the shape of each array of ``model.get_weights()``, in the
        order Keras returns them.
    """
    return [(D, M), (M, M), (M,), (M, K), (K,)]


def extract_weights(model):
    """The five weight arrays of a built ``Input -> SimpleRNN -> Dense`` model.

    Args:
        model: a Keras functional model; ``model.layers`` is [InputLayer, SimpleRNN, Dense].

    Returns:
        tuple (Wx, Wh, bh, Wo, bo) of NumPy arrays: the SimpleRNN's kernel, recurrent kernel and
        bias, then the Dense layer's kernel and bias, as ``manual_forward`` takes them.
    """
    Wx, Wh, bh = model.layers[1].get_weights()
    Wo, bo = model.layers[2].get_weights()
    return Wx, Wh, bh, Wo, bo


def manual_forward(X, Wx, Wh, bh, Wo, bo):
    """Replicate ``model.predict(X[None])[0]`` for one sample with a loop over time.

    Args:
        X: one input sequence of shape (T, D).
        Wx: input-to-hidden weights of shape (D, M).
        Wh: hidden-to-hidden weights of shape (M, M).
        bh: hidden bias of shape (M,).
        Wo: hidden-to-output weights of shape (M, K).
        bo: output bias of shape (K,).

    Returns:
        np.ndarray of shape (K,): the Dense output after the last step.
    """
    h = np.zeros(Wh.shape[0])
    for x_t in X:
        h = np.tanh(x_t @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    """Replicate ``model.predict(X)`` for a batch, vectorized over the N samples.

    Args:
        X: inputs of shape (N, T, D).
        Wx, Wh, bh, Wo, bo: as in ``manual_forward``.

    Returns:
        np.ndarray of shape (N, K).
    """
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    """Outputs at every step, as ``SimpleRNN(M, return_sequences=True) -> Dense(K)`` gives.

    Args:
        X: inputs of shape (N, T, D).
        Wx, Wh, bh, Wo, bo: as in ``manual_forward``.

    Returns:
        np.ndarray of shape (N, T, K).
    """
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    return np.stack(outputs, axis=1)
