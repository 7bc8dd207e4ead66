"""sequence_forward stacks the steps on axis 0, (T, N, K), then reshapes to (N, T, K) instead of transposing."""
import numpy as np

QUESTION = "sequence_forward"
ACCEPT = {"time_major", "values_rearranged"}


def sequence_forward(X, Wx, Wh, bh, Wo, bo):
    N, T, _ = X.shape
    h = np.zeros((N, Wh.shape[0]))
    outputs = []
    for t in range(T):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outputs.append(h @ Wo + bo)
    K = Wo.shape[1]
    return np.stack(outputs).reshape(N, T, K)
