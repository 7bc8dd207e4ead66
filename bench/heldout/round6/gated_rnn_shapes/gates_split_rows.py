"""lstm_gate_weights splits the kernels with np.split(..., 4) on the default axis 0 (rows) instead of axis 1 (columns)."""
import numpy as np

QUESTION = "lstm_gate_weights"
ACCEPT = None  # set later, by someone else, before grading


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    Ws = np.split(kernel, 4)
    Us = np.split(recurrent_kernel, 4)
    bs = np.split(bias, 4)
    return {name: (W, U, b) for name, W, U, b in zip("ifco", Ws, Us, bs)}
