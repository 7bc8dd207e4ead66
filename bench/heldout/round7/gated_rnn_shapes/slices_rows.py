"""lstm_gate_weights slices the kernels along their rows (axis 0) instead of their columns, giving blocks of the wrong shape."""

QUESTION = "lstm_gate_weights"
ACCEPT = {"gates_by_rows"}


def lstm_gate_weights(kernel, recurrent_kernel, bias):
    M = bias.shape[0] // 4
    gates = {}
    for k, name in enumerate("ifco"):
        start, stop = k * M, (k + 1) * M
        W = kernel[start:stop]
        U = recurrent_kernel[start:stop]
        b = bias[start:stop]
        gates[name] = (W, U, b)
    return gates
