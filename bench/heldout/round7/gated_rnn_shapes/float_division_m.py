"""lstm_gate_weights finds M with true division, bias.shape[0] / 4, a float, so the slices raise a TypeError."""

QUESTION = "lstm_gate_weights"
# no entry raises; every call raises TypeError on a float slice index
ACCEPT = {"size_not_int"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] / 4
    W_i, W_f, W_c, W_o = (kernel[:, k * M:(k + 1) * M] for k in range(4))
    U_i, U_f, U_c, U_o = (recurrent_kernel[:, k * M:(k + 1) * M] for k in range(4))
    b_i, b_f, b_c, b_o = (bias[k * M:(k + 1) * M] for k in range(4))
    return {
        "i": (W_i, U_i, b_i),
        "f": (W_f, U_f, b_f),
        "c": (W_c, U_c, b_c),
        "o": (W_o, U_o, b_o),
    }
