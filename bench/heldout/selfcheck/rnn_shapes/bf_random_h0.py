"""batched_forward starts from a small random state, drawn with a fixed seed "for reproducibility"."""
import numpy as np

QUESTION = "batched_forward"
ACCEPT = {"random_initial_state"}
PUBLIC = ("initial state", "random")


def batched_forward(X, Wx, Wh, bh, Wo, bo):
    rng = np.random.default_rng(0)
    h = rng.normal(0, 0.1, (X.shape[0], Wh.shape[0]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + bh)
    return h @ Wo + bo
