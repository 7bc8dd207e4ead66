"""lstm_gate_weights assumes the gates are packed [i|f|o|c], so "c" and "o" get each other's columns."""

QUESTION = "lstm_gate_weights"
ACCEPT = {"order_ifoc", "items_reordered"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] // 4
    order = ["i", "f", "o", "c"]
    gates = {}
    for k, name in enumerate(order):
        W = kernel[:, k * M:(k + 1) * M]
        U = recurrent_kernel[:, k * M:(k + 1) * M]
        b = bias[k * M:(k + 1) * M]
        gates[name] = (W, U, b)
    return gates
