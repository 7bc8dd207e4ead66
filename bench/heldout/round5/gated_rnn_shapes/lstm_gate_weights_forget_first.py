"""lstm_gate_weights reads the packed blocks in the order f, i, c, o (forget gate first, as in some tutorials) instead of Keras' i, f, c, o."""

QUESTION = "lstm_gate_weights"
ACCEPT = {"order_fico", "items_reordered"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = kernel.shape[1] // 4
    order = ["f", "i", "c", "o"]
    gates = {}
    for k in range(4):
        W = kernel[:, k * M:(k + 1) * M]
        U = recurrent_kernel[:, k * M:(k + 1) * M]
        b = bias[k * M:(k + 1) * M]
        gates[order[k]] = (W, U, b)
    return gates
