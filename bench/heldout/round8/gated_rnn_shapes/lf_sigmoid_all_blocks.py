"""lstm_forward applies the sigmoid to all 4M pre-activations at once, so the candidate gets a sigmoid instead of a tanh."""
import numpy as np

QUESTION = "lstm_forward"
ACCEPT = {"sigmoid_candidate"}


def lstm_forward(X, kernel, recurrent_kernel, bias, Wo, bo):
    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    N, T, D = X.shape
    M = recurrent_kernel.shape[0]
    h = np.zeros((N, M))
    c = np.zeros((N, M))
    for t in range(T):
        gates = sigmoid(X[:, t] @ kernel + h @ recurrent_kernel + bias)
        i, f, g, o = np.split(gates, 4, axis=1)
        c = f * c + i * g
        h = o * np.tanh(c)
    return h @ Wo + bo
