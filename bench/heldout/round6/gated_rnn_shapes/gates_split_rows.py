"""lstm_gate_weights splits the kernels with np.split(..., 4) on the default axis 0 (rows) instead of axis 1 (columns)."""
import numpy as np

QUESTION = "lstm_gate_weights"
# raises unless D and M are multiples of 4, so gates_by_rows (kernel[k*M:(k+1)*M]) never matches, but it names the mistake
ACCEPT = {"gates_by_rows"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    Ws = np.split(kernel, 4)
    Us = np.split(recurrent_kernel, 4)
    bs = np.split(bias, 4)
    return {name: (W, U, b) for name, W, U, b in zip("ifco", Ws, Us, bs)}
