"""lstm_gate_weights uses np.split(..., 4) with the default axis=0 on the kernels, splitting their rows instead of their 4M columns."""
import numpy as np

QUESTION = "lstm_gate_weights"
# raises unless D and M are multiples of 4, so gates_by_rows rarely matches, but it names the mistake
ACCEPT = {"gates_by_rows"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    W_i, W_f, W_c, W_o = np.split(kernel, 4)
    U_i, U_f, U_c, U_o = np.split(recurrent_kernel, 4)
    b_i, b_f, b_c, b_o = np.split(bias, 4)
    return {
        "i": (W_i, U_i, b_i),
        "f": (W_f, U_f, b_f),
        "c": (W_c, U_c, b_c),
        "o": (W_o, U_o, b_o),
    }
